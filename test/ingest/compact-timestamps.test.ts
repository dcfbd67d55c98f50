/**
 * Compaction (lib/pipeline/compact.ts) of parts whose timestamps are in different units: ingest's writers use
 * milliseconds, an Athena UNLOAD (the device formats on AWS) its engine's own, here DuckDB's microseconds. The parts
 * are concatenated as Arrow columns, so without a conversion the second part's instants were read in the first's
 * unit: a thousand times off.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parquetRows } from '../../lib/parquet/reader.js';
import { rowsToParquet } from '../../lib/parquet/writer.js';
import { compactCurated } from '../../lib/pipeline/compact.js';
import { DuckDbEngine } from '../../lib/sql/duckdb.js';
import { LocalFolderStore } from '../../lib/store/local.js';
import { observations } from '../../lib/tables/index.js';

const A = 'aaaaaaaaaaaaaaaa';
const B = 'bbbbbbbbbbbbbbbb';
// 2026-03-04T12:00:00.123Z
const INSTANT = Date.UTC(2026, 2, 4, 12, 0, 0, 123);
const row = (person: string, sha16: string) => ({
  person_id: person, observed_at: INSTANT, loinc_code: '8867-4', value: 70, unit: '/min', device_id: null, source: 'device',
  source_file: 'landing/x.ndjson', source_record: 1, source_sha256: sha16.padEnd(64, '0'),
});

describe('compaction of parts with timestamps in other units', () => {
  let root: string;
  let store: LocalFolderStore;
  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'stratify-compact-ts-'));
    store = new LocalFolderStore(root);
  });
  afterAll(async () => {
    if (root) await rm(root, { recursive: true, force: true });
  });

  it('keeps every instant: milliseconds and microseconds parts compact to the same instants', async () => {
    await store.put(`curated/observations/${A}-0000.parquet`, rowsToParquet(observations, [row('P1', A)]));
    // the same row as DuckDB's COPY writes it: TIMESTAMP, microseconds
    const engine = await DuckDbEngine.open(store);
    try {
      await engine.connection.run(
        `COPY (SELECT 'P2' AS person_id, epoch_ms(${INSTANT}) AS observed_at, '8867-4' AS loinc_code, 70.0 AS value, '/min' AS unit, CAST(NULL AS VARCHAR) AS device_id, ` +
          `'device' AS source, 'landing/x.ndjson' AS source_file, 1 AS source_record, '${B.padEnd(64, '0')}' AS source_sha256) TO '${join(root, `curated/observations/${B}-0000.parquet`)}' (FORMAT parquet)`,
      );
    } finally {
      await engine.close();
    }
    for (const sha16 of [A, B]) await store.put(`manifests/${sha16}.json`, JSON.stringify({ file: 'x', sha256: sha16.padEnd(64, '0') }));
    await compactCurated(store);
    const keys = (await store.list('curated/observations/')).map((o) => o.key);
    expect(keys).toHaveLength(1);
    const rows = parquetRows(await store.get(keys[0]!), observations, keys[0]!);
    expect(rows.map((r) => [r.person_id, new Date(r.observed_at as number).toISOString()])).toEqual([
      ['P1', '2026-03-04T12:00:00.123Z'],
      ['P2', '2026-03-04T12:00:00.123Z'],
    ]);
  });
});
