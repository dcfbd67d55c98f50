/**
 * The grants of infra/layout.ts against what the stages really do: the real stages run on a small demo population
 * (ingest with its bad records, features and the data-quality checks on DuckDB, score, dispatch, a partner's feedback drop) over stores that
 * record every operation with its key, and each operation must be granted to its stage by ACCESS: read for
 * get/read/exists/list, write for put/create/append, delete for delete. A key moved to another prefix in lib/, or a new
 * operation such as a delete, fails here rather than as an AccessDenied after deployment.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { storeFeedback } from '../../lib/queue/feedback-drop.js';
import { uploadSeeds } from '../../functions/features.js';
import { ACCESS, type StageName } from '../../infra/layout.js';
import { loadConfig } from '../../lib/config/index.js';
import { generateDemo } from '../../lib/demo/index.js';
import { silent, type PipelineContext } from '../../lib/pipeline/context.js';
import { dispatch } from '../../lib/pipeline/dispatch.js';
import { compactCurated } from '../../lib/pipeline/compact.js';
import { buildDataQuality } from '../../lib/pipeline/data-quality.js';
import { buildFeatures } from '../../lib/pipeline/features.js';
import { ingest, sourcesFromStore } from '../../lib/pipeline/ingest.js';
import { scoreMembers } from '../../lib/pipeline/score.js';
import type { Queue } from '../../lib/queue/port.js';
import { DuckDbEngine } from '../../lib/sql/duckdb.js';
import type { QueryEngine } from '../../lib/sql/port.js';
import { LocalFolderStore } from '../../lib/store/local.js';
import type { ObjectStore } from '../../lib/store/port.js';
import { CURATED_TABLES } from '../../lib/tables/index.js';

type Bucket = 'landing' | 'lake';
type Action = 'read' | 'write' | 'delete';

interface Operation {
  readonly stage: StageName;
  readonly bucket: Bucket;
  readonly op: string;
  readonly action: Action;
  readonly key: string;
}

const AS_OF = '2026-06-30';
const config = loadConfig();

function granted(stage: StageName, bucket: Bucket, key: string, action: Action): boolean {
  return ACCESS[stage].objects.some((o) => o.bucket === bucket && key.startsWith(o.prefix) && o[action] === true);
}

/** `inner` with every call logged as (stage, bucket, operation, action, key) into `log` */
function recording(inner: ObjectStore, stage: StageName, bucket: Bucket, log: Operation[]): ObjectStore {
  const note = (op: string, action: Action, key: string) => log.push({ stage, bucket, op, action, key });
  return {
    location: inner.location,
    put: (key, body) => (note('put', 'write', key), inner.put(key, body)),
    create: (key, body) => (note('create', 'write', key), inner.create(key, body)),
    append: (key, text) => (note('append', 'write', key), inner.append(key, text)),
    get: (key) => (note('get', 'read', key), inner.get(key)),
    read: (key) => (note('read', 'read', key), inner.read(key)),
    exists: (key) => (note('exists', 'read', key), inner.exists(key)),
    list: (prefix) => (note('list', 'read', prefix), inner.list(prefix)),
    delete: (key) => (note('delete', 'delete', key), inner.delete(key)),
  };
}

/** the engine with each materialize logged as a write of its key (DuckDB writes the file itself, Athena's UNLOAD as the role) */
function recordingEngine(inner: QueryEngine, stage: StageName, log: Operation[]): QueryEngine {
  return {
    query: (sql, params) => inner.query(sql, params),
    materialize: (sql, key, params) => (log.push({ stage, bucket: 'lake', op: 'materialize', action: 'write', key }), inner.materialize(sql, key, params)),
    refresh: () => inner.refresh(),
    withMemoryLimit: (limit, fn) => inner.withMemoryLimit(limit, fn),
    close: () => inner.close(),
  };
}

/** a partner queue that accepts everything, as SQS would */
const acceptingQueue: Queue = { location: 'test', send: async (_partner, messages) => ({ sent: messages.length, failed: [] }) };

describe('infra/layout.ts grants', () => {
  let work: string;
  let engine: DuckDbEngine;
  const log: Operation[] = [];

  beforeAll(async () => {
    work = await mkdtemp(join(tmpdir(), 'stratify-layout-'));
    const landing = new LocalFolderStore(join(work, 'landing'));
    const lake = new LocalFolderStore(join(work, 'lake'));
    const truth = await generateDemo(landing, { members: 300, seed: 11, asOf: AS_OF });
    expect(truth.badRecords.length).toBeGreaterThan(0);
    engine = await DuckDbEngine.open(lake);
    const ctx = (stage: StageName, queue: Queue = acceptingQueue): PipelineContext => ({
      store: recording(lake, stage, 'lake', log),
      engine: recordingEngine(engine, stage, log),
      queue,
      progress: silent,
    });

    // parts of 200 rows: several per table, so that the features function's compaction rewrites and deletes some
    const reports = await ingest(ctx('ingest'), await sourcesFromStore(recording(landing, 'ingest', 'landing', log)), { flushEvery: 200 });
    expect(reports.map((r) => r.error)).toEqual(reports.map(() => undefined));

    const partner = config.partners[0]!.name;
    const drop = `feedback/${partner}/2026-06-29.ndjson`;
    await landing.put(drop, '{"person_id":"P1","status":"declined","reported_at":"2026-06-29T09:00:00Z"}\nnot json\n');
    await storeFeedback(recording(landing, 'feedback', 'landing', log), recording(lake, 'feedback', 'lake', log), partner, drop);

    await compactCurated(recording(lake, 'features', 'lake', log), { smallBytes: Number.MAX_SAFE_INTEGER });
    await engine.refresh();
    await uploadSeeds(recording(lake, 'features', 'lake', log));
    await buildFeatures(ctx('features'), AS_OF);
    await buildDataQuality(ctx('features'), AS_OF);
    await scoreMembers(ctx('score'), AS_OF, config);
    const sent = await dispatch(ctx('dispatch'), AS_OF, config);
    expect(sent.partners.reduce((n, p) => n + p.sent, 0)).toBeGreaterThan(0);
  });

  afterAll(async () => {
    await engine?.close();
    if (work) await rm(work, { recursive: true, force: true });
  });

  it('grant every operation each stage performs on its bucket, under the prefix and for the action', () => {
    const refused = log.filter((o) => !granted(o.stage, o.bucket, o.key, o.action)).map((o) => `${o.stage} ${o.op} ${o.bucket}:${o.key}`);
    expect([...new Set(refused)]).toEqual([]);
  });

  it('were checked against every stage and kind of operation, including the deletes of a retried ingest', () => {
    const seen = new Set(log.map((o) => `${o.stage} ${o.op}`));
    for (const s of ['ingest read', 'ingest put', 'ingest create', 'ingest delete', 'ingest exists', 'ingest list', 'feedback get', 'feedback put']) {
      expect(seen, s).toContain(s);
    }
    for (const s of ['features put', 'features materialize', 'features delete', 'score get', 'score put', 'dispatch get', 'dispatch put']) expect(seen, s).toContain(s);
    // ingest deletes the quarantine log of a file before it ingests it, so quarantine/ needs delete as well
    expect(log.some((o) => o.stage === 'ingest' && o.op === 'delete' && o.key.startsWith('quarantine/'))).toBe(true);
  });

  it('let no stage but ingest and the features compaction write the curated tables, and ingest touch no output of a later stage', () => {
    for (const stage of ['feedback', 'score', 'dispatch'] as const) {
      for (const t of CURATED_TABLES) expect(granted(stage, 'lake', `${t.prefix}0123456789abcdef-0001.parquet`, 'write'), stage).toBe(false);
    }
    for (const key of ['features/as_of=2026-06-30/features.parquet', 'scores/as_of=2026-06-30/scores.parquet', 'flags/as_of=2026-06-30/flags.parquet']) {
      expect(granted('ingest', 'lake', key, 'read'), key).toBe(false);
    }
  });
});
