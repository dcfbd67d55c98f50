/**
 * The features stage's memory: DuckDB is held to STRATIFY_QUERY_MEMORY (default QUERY_MEMORY) while the features
 * query runs and to what it was before once it ends, and a limit small enough to make DuckDB spill to disk gives the
 * same features as none. A demo population of 300 members, ingested once.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { openLocal, type LocalContext } from '../../lib/cli/local.js';
import { generateDemo } from '../../lib/demo/index.js';
import { buildFeatures, featuresKey } from '../../lib/pipeline/features.js';
import { featuresDiffering } from '../../lib/pipeline/features-diff.js';
import { ingest, sourcesFromStore } from '../../lib/pipeline/ingest.js';
import { runPipeline } from '../../lib/pipeline/run.js';
import { loadConfig } from '../../lib/config/index.js';
import { recordMaterializePeaks } from '../../lib/sql/duckdb-profile.js';
import { QUERY_MEMORY } from '../../lib/sql/memory.js';
import { sqlString } from '../../lib/sql/params.js';

const AS_OF = '2026-06-30';
let home: string;
let ctx: LocalContext;
beforeAll(async () => {
  home = await mkdtemp(join(tmpdir(), 'stratify-features-memory-'));
  ctx = await openLocal(home, () => {});
  await generateDemo(ctx.store, { members: 300, seed: 5, asOf: AS_OF });
  await ingest(ctx, await sourcesFromStore(ctx.store, 'landing/'));
});
afterAll(async () => {
  await ctx.engine.close();
  await rm(home, { recursive: true, force: true });
});
afterEach(() => vi.unstubAllEnvs());

const memoryLimit = async () => (await ctx.engine.query<{ l: string }>("select current_setting('memory_limit') as l"))[0]!.l;

/** buildFeatures, with the memory limit DuckDB had when the features query started */
async function featuresSeeingLimit(): Promise<string> {
  const materialize = ctx.engine.materialize.bind(ctx.engine);
  let seen = '';
  const spy = vi.spyOn(ctx.engine, 'materialize').mockImplementation(async (...args) => {
    seen = await memoryLimit();
    return materialize(...args);
  });
  try {
    await buildFeatures(ctx, AS_OF);
  } finally {
    spy.mockRestore();
  }
  return seen;
}

describe('the features stage holds DuckDB to its memory limit', () => {
  it('runs the query under the default, 1GB (953.6 MiB), and leaves DuckDB as it was after', async () => {
    const before = await memoryLimit();
    expect(QUERY_MEMORY).toBe('1GB');
    // 1GB = 10^9 bytes = 10^9 / 2^20 MiB = 953.67 MiB as DuckDB prints it
    expect(await featuresSeeingLimit()).toBe('953.6 MiB');
    expect(await memoryLimit()).toBe(before);
  });

  it('runs it under STRATIFY_QUERY_MEMORY when set', async () => {
    vi.stubEnv('STRATIFY_QUERY_MEMORY', '300MB');
    // 300 * 10^6 / 2^20 = 286.10 MiB
    expect(await featuresSeeingLimit()).toBe('286.1 MiB');
  });

  it('keeps a limit set around the stage in force after it (the stage restores, not resets)', async () => {
    // 2GB = 2 * 10^9 / 2^30 = 1.86 GiB
    expect(await ctx.engine.withMemoryLimit('2GB', async () => (await featuresSeeingLimit()) + ' then ' + (await memoryLimit()))).toBe('953.6 MiB then 1.8 GiB');
  });
});

describe('a daily run', () => {
  it('holds the data-quality query, which reads what the features read, to the same limit', async () => {
    vi.stubEnv('STRATIFY_QUERY_MEMORY', '300MB');
    const materialize = ctx.engine.materialize.bind(ctx.engine);
    const seen: string[] = [];
    const spy = vi.spyOn(ctx.engine, 'materialize').mockImplementation(async (sql, key, params) => {
      seen.push(`${key.split('/')[0]} ${await memoryLimit()}`);
      return materialize(sql, key, params);
    });
    try {
      await runPipeline(ctx, AS_OF, loadConfig());
    } finally {
      spy.mockRestore();
    }
    // 300MB = 286.1 MiB (above); the score and dispatch stages materialize nothing through the engine
    expect(seen).toEqual(['features 286.1 MiB', 'data_quality 286.1 MiB']);
  });
});

describe('the features under a limit that makes DuckDB spill', () => {
  it('are the same features as without a limit', async () => {
    const peaks = await recordMaterializePeaks(ctx.engine);
    vi.stubEnv('STRATIFY_QUERY_MEMORY', '100GB');
    const free = await buildFeatures(ctx, AS_OF);
    const reference = join(home, 'reference.parquet');
    await ctx.engine.query(`copy (select * from read_parquet(${sqlString(ctx.store.pathOf(featuresKey(AS_OF)))}, hive_partitioning = false)) to ${sqlString(reference)}`);
    vi.stubEnv('STRATIFY_QUERY_MEMORY', SPILL_LIMIT);
    const held = await buildFeatures(ctx, AS_OF);

    expect(peaks.map((p) => p.spillBytes > 0)).toEqual([false, true]);
    expect(held.members).toBe(free.members);
    expect(free.members).toBeGreaterThan(250); // 300 generated, most enrolled on the as-of date
    // doubles within 1e-9: DuckDB sums doubles across threads in no fixed order, so two runs differ in the last bits
    expect(await featuresDiffering(ctx.engine, ctx.store.pathOf(featuresKey(AS_OF)), reference)).toBe(0);
  });
});

const SPILL_LIMIT = '128MB';

describe('featuresDiffering', () => {
  it('counts members missing on one side or with a column that differs, doubles within 1e-9', async () => {
    const write = async (name: string, rows: string) => {
      const path = join(home, name);
      await ctx.engine.query(`copy (select * from (values ${rows}) as t(person_id, total, flag)) to ${sqlString(path)}`);
      return path;
    };
    const a = await write('a.parquet', `('p1', 100.0::double, 'x'), ('p2', 5.0::double, 'y'), ('p3', 1.0::double, 'z'), ('p4', null, 'w')`);
    // p1 off by 1e-11 (the same), p2 off by 0.01 (differs), p3 a flag changed (differs), p4 missing (differs), p5 new (differs)
    const b = await write('b.parquet', `('p1', 100.00000000001::double, 'x'), ('p2', 5.01::double, 'y'), ('p3', 1.0::double, 'Z'), ('p5', null, 'v')`);
    expect(await featuresDiffering(ctx.engine, a, b)).toBe(4);
    expect(await featuresDiffering(ctx.engine, a, a)).toBe(0);
  });
});
