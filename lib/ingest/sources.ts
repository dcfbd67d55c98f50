/** Where ingest's files come from: keys under a store prefix (landing/ by default) or local files and folders. */
import { createReadStream } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { ObjectStore } from '../store/port.js';
import type { IngestSource } from './types.js';

export async function sourcesFromStore(store: ObjectStore, prefix = 'landing/'): Promise<IngestSource[]> {
  const objects = await store.list(prefix);
  return objects.map((o) => ({ name: o.key, size: o.size, open: () => store.read(o.key) }));
}

async function filesUnder(path: string): Promise<IngestSource[]> {
  const info = await stat(path);
  if (info.isFile()) return [{ name: path, size: info.size, open: () => createReadStream(path) }];
  if (!info.isDirectory()) return [];
  const entries = (await readdir(path)).sort();
  return (await Promise.all(entries.map((e) => filesUnder(join(path, e))))).flat();
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
