/**
 * The rows of a curated table the report may show, read from the store without an engine (the dispatch Lambda that
 * writes the report on AWS has no Athena grant): the rule of lib/tables/deliveries.ts, which the SQL views apply
 * everywhere else. Only the parts of committed deliveries are read (`committedParts`: an ingest that died before its
 * manifest contributes nothing), and of the versions of a key (`RECORD_KEYS`) the latest delivery wins: its
 * manifest's `ingested_at`, then its sha256, then the later record of the file, then the later part.
 */
import { committedManifests, committedParts, partDelivery } from '../ingest/manifests.js';
import { parquetRows } from '../parquet/reader.js';
import type { ObjectStore } from '../store/port.js';
import type { CuratedTableName } from '../tables/curated.js';
import { RECORD_KEYS } from '../tables/deliveries.js';
import type { TableDef } from '../tables/define.js';

/** what a narrow definition of a curated table must read besides the columns its reader uses */
interface Versioned {
  readonly source_sha256: string | null;
  readonly source_record: number | null;
}

interface Version {
  readonly at: string;
  readonly sha256: string;
  readonly record: number;
  readonly part: string;
}

const order = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** > 0 when `a` is the later version */
function compareVersions(a: Version, b: Version): number {
  return order(a.at, b.at) || order(a.sha256, b.sha256) || a.record - b.record || order(a.part, b.part);
}

/**
 * Each winning row that `keep` accepts, one part in memory at a time. `keep` is applied after the latest version is
 * chosen (a corrected claim moved out of the window must not leave its earlier version in it), so the version of
 * every key that `candidate` accepts is held, with the row only when kept. `candidate` bounds that memory: it may
 * reject only rows no version of whose key is kept (the report passes its flagged persons: on the 10,000-member demo,
 * holding every key instead doubled the heap). The definition must name the key columns, source_sha256 and
 * source_record.
 */
export async function latestCommittedRows<R extends Versioned>(
  store: ObjectStore,
  table: TableDef<CuratedTableName, unknown>,
  candidate: (row: R) => boolean,
  keep: (row: R) => boolean,
): Promise<R[]> {
  const { columns, whole } = RECORD_KEYS[table.name];
  if (whole) throw new Error(`${table.name}: a whole-claim key is not read row by row`);
  const manifests = await committedManifests(store);
  const winners = new Map<string, { version: Version; row: R | null }>();
  for (const part of await committedParts(store, table.prefix, manifests)) {
    if (part.size === 0) continue;
    for (const row of parquetRows(await store.get(part.key), table, `${store.location}/${part.key}`) as unknown as R[]) {
      if (!candidate(row)) continue;
      // the row's delivery; a part written before rows named it is named by its file
      const sha16 = (row.source_sha256 ?? partDelivery(part.key))?.slice(0, 16);
      const manifest = sha16 === undefined ? undefined : manifests.get(sha16);
      if (!manifest) continue;
      const version: Version = { at: manifest.ingested_at, sha256: manifest.sha256, record: row.source_record ?? -1, part: part.key };
      const key = JSON.stringify(columns.map((c) => (row as unknown as Record<string, unknown>)[c]));
      const held = winners.get(key);
      if (held && compareVersions(version, held.version) <= 0) continue;
      winners.set(key, { version, row: keep(row) ? row : null });
    }
  }
  const out: R[] = [];
  for (const { row } of winners.values()) if (row) out.push(row);
  return out;
}
