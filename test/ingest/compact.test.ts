/**
 * Compaction of the curated tables (lib/pipeline/compact.ts) on a demo population ingested in small parts: the same
 * rows in fewer objects, the same features from DuckDB, parts of files not committed left alone, a redelivery still
 * answered by its manifest, and an interrupted compaction finished by the next run.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openLocal, type LocalContext } from '../../lib/cli/local.js';
import { generateDemo } from '../../lib/demo/index.js';
import { parquetRows } from '../../lib/parquet/reader.js';
import { rowsToParquet } from '../../lib/parquet/writer.js';
import { compactCurated, COMPACTIONS_PREFIX } from '../../lib/pipeline/compact.js';
import { silent } from '../../lib/pipeline/context.js';
import { buildFeatures } from '../../lib/pipeline/features.js';
import { ingest, sourcesFromStore } from '../../lib/pipeline/ingest.js';
import { CURATED_TABLES, members, type TableDef } from '../../lib/tables/index.js';

const AS_OF = '2026-06-30';
/** parts of 200 rows, so that the demo's few files make many parts */
const FLUSH_EVERY = 200;
const ROWS_PER_PART = 1_000;

let home: string;
let ctx: LocalContext;

async function tableRows(table: TableDef<string, unknown>): Promise<string[]> {
  const rows: string[] = [];
  for (const o of await ctx.store.list(table.prefix)) rows.push(...parquetRows(await ctx.store.get(o.key), table, o.key).map((r) => JSON.stringify(r)));
  return rows.sort();
}

/** floating-point values to 9 significant digits: a sum over rows in another order differs in its last bits */
const rounded = (rows: Record<string, unknown>[]) =>
  rows.map((r) => Object.fromEntries(Object.entries(r).map(([k, v]) => [k, typeof v === 'number' && !Number.isInteger(v) ? Number(v.toPrecision(9)) : v])));

const parts = async (table: TableDef<string, unknown>) => (await ctx.store.list(table.prefix)).map((o) => o.key.slice(table.prefix.length));

beforeAll(async () => {
  home = await mkdtemp(join(tmpdir(), 'stratify-compact-'));
  ctx = await openLocal(home, silent);
  await generateDemo(ctx.store, { members: 300, seed: 5, asOf: AS_OF });
  const reports = await ingest(ctx, await sourcesFromStore(ctx.store, 'landing/'), { flushEvery: FLUSH_EVERY });
  expect(reports.filter((r) => r.error !== undefined)).toEqual([]);
});

afterAll(async () => {
  await ctx?.engine.close();
  if (home) await rm(home, { recursive: true, force: true });
});

describe('compactCurated', () => {
  it('rewrites the small parts into parts of up to rowsPerPart rows, the same rows, the same features', async () => {
    const before = new Map<string, string[]>();
    for (const t of CURATED_TABLES) before.set(t.name, await tableRows(t));
    await buildFeatures(ctx, AS_OF);
    const featuresBefore = rounded(await ctx.engine.query('select * from features order by person_id'));

    const result = await compactCurated(ctx.store, { rowsPerPart: ROWS_PER_PART });
    await ctx.engine.refresh();

    for (const t of CURATED_TABLES) {
      const r = result.find((x) => x.table === t.name)!;
      const rows = before.get(t.name)!.length;
      // e.g. 2,000 rows in parts of 200 (10 parts, from one or more files) become ceil(2,000 / 1,000) = 2 parts
      expect(r.rows, t.name).toBe(rows);
      expect(r.partsAfter, t.name).toBe(Math.ceil(rows / ROWS_PER_PART));
      // a part is flushed once it holds FLUSH_EVERY rows, and one record adds up to 25 diagnoses: at most 224 a part
      expect(r.partsBefore, t.name).toBeGreaterThanOrEqual(Math.ceil(rows / (FLUSH_EVERY + 24)));
      expect(await tableRows(t), t.name).toEqual(before.get(t.name));
      expect((await parts(t)).every((p) => /^c-[0-9a-f]{16}-\d{4}\.parquet$/.test(p)), t.name).toBe(true);
    }
    expect(result.reduce((n, r) => n + r.partsAfter, 0)).toBeLessThan(result.reduce((n, r) => n + r.partsBefore, 0));
    expect(await ctx.store.list(COMPACTIONS_PREFIX)).toEqual([]);
    await buildFeatures(ctx, AS_OF);
    // the same features; sums and slopes only to 9 significant digits, as rows come in another order
    expect(rounded(await ctx.engine.query('select * from features order by person_id'))).toEqual(featuresBefore);
  });

  it('leaves a file that is not committed alone, and a redelivered file is still answered by its manifest', async () => {
    // parts of a file being ingested (or of a failed try): no manifest under their sha16
    const stray = 'ffffffffffffffff-0000.parquet';
    await ctx.store.put(`${members.prefix}${stray}`, rowsToParquet(members, []));
    const again = await compactCurated(ctx.store, { rowsPerPart: ROWS_PER_PART });
    expect(await parts(members)).toContain(stray);
    expect(again.find((r) => r.table === members.name)!.rows).toBe(0);
    await ctx.store.delete(`${members.prefix}${stray}`);

    const reports = await ingest(ctx, await sourcesFromStore(ctx.store, 'landing/'));
    expect(reports.map((r) => r.skipped)).toEqual(reports.map(() => 'already-ingested'));
  });

  it('finishes an interrupted run: a pending record loses its partial outputs, a done record its remaining inputs', async () => {
    const [first] = await parts(members);
    const rows = parquetRows(await ctx.store.get(`${members.prefix}${first}`), members, first!);
    // a crash after the outputs of group 0123… were written but before the record said done
    await ctx.store.put(`${COMPACTIONS_PREFIX}0123456789abcdef.json`, JSON.stringify({ table: 'members', state: 'pending', inputs: [`${members.prefix}${first}`], outputs: [] }));
    await ctx.store.put(`${members.prefix}c-0123456789abcdef-0000.parquet`, rowsToParquet(members, rows));
    // a crash after group fedc… was done, its input copy not yet deleted
    const copy = `${members.prefix}c-0000000000000000-0000.parquet`;
    await ctx.store.put(copy, rowsToParquet(members, rows));
    await ctx.store.put(`${COMPACTIONS_PREFIX}fedcba9876543210.json`, JSON.stringify({ table: 'members', state: 'done', inputs: [copy], outputs: [] }));

    const before = await tableRows(members);
    await compactCurated(ctx.store, { rowsPerPart: ROWS_PER_PART });
    // each member once: neither the partial output nor the input copy is left
    expect((await tableRows(members)).length).toBe(before.length - 2 * rows.length);
    expect(await ctx.store.list(COMPACTIONS_PREFIX)).toEqual([]);
  });
});
