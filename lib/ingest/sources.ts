/**
 * Where ingest's files come from: keys under a store prefix (landing/ by default) or local files and folders.
 * Symbolic links met while walking a folder are followed to a file; one whose target is missing (dangling), or that
 * points to a folder (which could loop), becomes a source that fails to open with that reason, so the file is
 * reported with it and the others go on. A local store's landing/ lists regular files only: `landingLinks` names
 * the links it leaves out, for `run` to report.
 */
import { createReadStream } from 'node:fs';
import { lstat, readdir, readlink, stat } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import { Readable } from 'node:stream';
import { LocalFolderStore } from '../store/local.js';
import type { ObjectStore } from '../store/port.js';
import type { IngestSource } from './types.js';

export async function sourcesFromStore(store: ObjectStore, prefix = 'landing/'): Promise<IngestSource[]> {
  const objects = await store.list(prefix);
  const local = store instanceof LocalFolderStore ? store : undefined;
  return objects.map((o) => ({ name: o.key, size: o.size, ...(local && { path: local.pathOf(o.key) }), open: () => store.read(o.key) }));
}

/** a source that cannot be read, for the reason given: opening it fails, and ingest reports the file with that reason */
function unreadable(name: string, reason: string): IngestSource {
  return { name, open: () => new Readable({ read() { this.destroy(new Error(reason)); } }) };
}

/** the reason a symbolic link is not read, or undefined when it leads to a file */
async function linkProblem(path: string): Promise<string | undefined> {
  const target = await readlink(path);
  try {
    const info = await stat(path);
    return info.isFile() ? undefined : `symbolic link to ${target}, not a file: not followed`;
  } catch {
    return `dangling symbolic link: its target ${target} does not exist`;
  }
}

async function filesUnder(path: string, walking = false): Promise<IngestSource[]> {
  if (walking && (await lstat(path)).isSymbolicLink()) {
    const problem = await linkProblem(path);
    if (problem !== undefined) return [unreadable(path, problem)];
  }
  const info = await stat(path);
  if (info.isFile()) return [{ name: path, size: info.size, path, open: () => createReadStream(path) }];
  if (!info.isDirectory()) return [];
  const entries = (await readdir(path)).sort();
  return (await Promise.all(entries.map((e) => filesUnder(join(path, e), true)))).flat();
}

/** `[store key, reason]` of each symbolic link under a local store's folder (`landing/`), which the store does not list */
export async function landingLinks(root: string, folder = 'landing'): Promise<[key: string, reason: string][]> {
  const out: [string, string][] = [];
  const walk = async (dir: string): Promise<void> => {
    let entries;
    try {
      entries = await readdir(dir, { withFileTypes: true });
    } catch {
      return; // no landing folder yet
    }
    for (const e of entries.sort((a, b) => (a.name < b.name ? -1 : 1))) {
      const full = join(dir, e.name);
      if (e.isDirectory()) await walk(full);
      else if (e.isSymbolicLink()) {
        const key = relative(root, full).split(sep).join('/');
        out.push([key, (await linkProblem(full)) ?? `symbolic link to ${await readlink(full)}: not followed (landing/ takes regular files)`]);
      }
    }
  };
  await walk(join(root, folder));
  return out;
}

/** Files as given, folders walked recursively in name order. A path that does not exist is an error naming it. */
export async function sourcesFromPaths(paths: string[]): Promise<IngestSource[]> {
  const out: IngestSource[] = [];
  for (const p of paths) {
    try {
      await stat(p);
    } catch (e) {
      throw new Error(`no such file or folder: ${p}`, { cause: e });
    }
    out.push(...(await filesUnder(p)));
  }
  return out;
}
