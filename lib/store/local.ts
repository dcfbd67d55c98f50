/**
 * ObjectStore over a local folder. Writes go to a temporary name and are renamed, so a reader never sees half a file.
 * Everything is private whatever the umask: folders are created 0700 and files 0600 (the store holds claims and
 * member ids), the root included when the store creates it.
 * `create` writes its temporary file the same way and then hard-links it to the key: link() fails with EEXIST when
 * the name exists, atomically in the file system, so of concurrent creates (from any process on this folder) exactly
 * one wins, and a reader never sees the object half written (an open 'wx' would be as exclusive, but would show
 * the file before its bytes are in).
 */
import { createReadStream } from 'node:fs';
import { appendFile, link, mkdir, readFile, readdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import { dirname, join, relative, resolve, sep } from 'node:path';
import type { Readable } from 'node:stream';
import { pidAlive } from '../owner.js';
import { ObjectNotFoundError, type ObjectInfo, type ObjectStore } from './port.js';

const TEMPORARY = /\.tmp-(\d+)(?:-\d+)?$/;

/** modes of what the store creates (the umask can only take bits away from these) */
export const PRIVATE_DIR = 0o700;
export const PRIVATE_FILE = 0o600;

export class LocalFolderStore implements ObjectStore {
  readonly root: string;
  readonly location: string;
  #tmp = 0;

  constructor(root: string) {
    this.root = resolve(root);
    this.location = this.root;
  }

  /** absolute path of a key, for engines that read the folder directly (DuckDB) */
  pathOf(key: string): string {
    const p = resolve(this.root, key);
    if (p !== this.root && !p.startsWith(this.root + sep)) throw new Error(`key ${key} escapes the store root`);
    return p;
  }

  /** a Readable body is written to the temporary name as it arrives; if it fails, that name is removed */
  async put(key: string, body: Uint8Array | string | Readable): Promise<void> {
    await this.#viaTemporary(key, body, rename);
  }

  async create(key: string, body: Uint8Array | string): Promise<boolean> {
    try {
      await this.#viaTemporary(key, body, link);
      return true;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'EEXIST') return false;
      throw e;
    }
  }

  /** writes `body` to a temporary name beside the key's path, then `publish`es it there; the temporary name never stays */
  async #viaTemporary(key: string, body: Uint8Array | string | Readable, publish: (tmp: string, path: string) => Promise<void>): Promise<void> {
    const p = this.pathOf(key);
    await mkdir(dirname(p), { recursive: true, mode: PRIVATE_DIR });
    const tmp = `${p}.tmp-${process.pid}-${this.#tmp++}`;
    try {
      await writeFile(tmp, body, { mode: PRIVATE_FILE });
      await publish(tmp, p);
    } finally {
      // after a rename, nothing is left at tmp; after a link, tmp is the object's second name
      await rm(tmp, { force: true });
    }
  }

  async get(key: string): Promise<Uint8Array> {
    try {
      return await readFile(this.pathOf(key));
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') throw new ObjectNotFoundError(key, { cause: e });
      throw e;
    }
  }

  read(key: string): Readable {
    return createReadStream(this.pathOf(key));
  }

  async exists(key: string): Promise<boolean> {
    try {
      return (await stat(this.pathOf(key))).isFile();
    } catch {
      return false;
    }
  }

  async list(prefix: string): Promise<ObjectInfo[]> {
    // walk from the deepest folder the prefix names, then filter by the full prefix
    const folder = prefix.endsWith('/') ? prefix : dirname(prefix) === '.' ? '' : dirname(prefix) + '/';
    const out: ObjectInfo[] = [];
    const walk = async (dir: string): Promise<void> => {
      let entries;
      try {
        entries = await readdir(dir, { withFileTypes: true });
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code === 'ENOENT') return;
        throw e;
      }
      for (const ent of entries) {
        const full = join(dir, ent.name);
        if (ent.isDirectory()) await walk(full);
        else if (ent.isFile() && !ent.name.includes('.tmp-')) {
          const key = relative(this.root, full).split(sep).join('/');
          if (!key.startsWith(prefix)) continue;
          const info = await stat(full, { bigint: true });
          out.push({ key, size: Number(info.size), stamp: `mtime:${info.mtimeNs}` });
        }
      }
    };
    await walk(this.pathOf(folder));
    return out.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  }

  /**
   * Removes the temporary files (`<key>.tmp-<pid>-N`, and DuckDB's `<key>.tmp-<pid>`) that a process killed in the
   * middle of a write left, whose pid is no longer alive; returns how many. Readers never see them (list skips them).
   */
  async removeDeadTemporaries(): Promise<number> {
    let removed = 0;
    for (const name of await readdir(this.root, { recursive: true }).catch(() => [] as string[])) {
      const pid = TEMPORARY.exec(name)?.[1];
      if (pid === undefined || Number(pid) === process.pid || pidAlive(Number(pid))) continue;
      await rm(join(this.root, name), { force: true });
      removed++;
    }
    return removed;
  }

  async delete(key: string): Promise<void> {
    await rm(this.pathOf(key), { force: true });
  }

  async append(key: string, text: string): Promise<void> {
    const p = this.pathOf(key);
    await mkdir(dirname(p), { recursive: true, mode: PRIVATE_DIR });
    await appendFile(p, text, { mode: PRIVATE_FILE });
  }
}
