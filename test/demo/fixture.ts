/** One generated population per seed, shared by the demo tests of a file, in a throwaway store folder. */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Papa from 'papaparse';
import { generateDemo, type DemoTruth } from '../../lib/demo/index.js';
import { LocalFolderStore } from '../../lib/store/local.js';

export const AS_OF = '2026-06-30';

export interface Generated {
  readonly store: LocalFolderStore;
  readonly truth: DemoTruth;
  text(key: string): Promise<string>;
  /** data records of a CSV file, by column name (header excluded, so index 0 is record 1) */
  csv(key: string): Promise<Record<string, string>[]>;
  /** lines of an NDJSON file, parsed (index 0 is record 1) */
  ndjson(key: string): Promise<unknown[]>;
  dispose(): Promise<void>;
}

export async function generate(members: number, seed: number): Promise<Generated> {
  const root = await mkdtemp(join(tmpdir(), 'stratify-demo-'));
  const store = new LocalFolderStore(root);
  const truth = await generateDemo(store, { members, seed, asOf: AS_OF });
  const text = (key: string) => readFile(store.pathOf(key), 'utf8');
  return {
    store,
    truth,
    text,
    csv: async (key) => Papa.parse<Record<string, string>>(await text(key), { header: true, skipEmptyLines: true }).data,
    ndjson: async (key) => (await text(key)).split('\n').filter(Boolean).map((l) => JSON.parse(l) as unknown),
    dispose: () => rm(root, { recursive: true, force: true }),
  };
}
