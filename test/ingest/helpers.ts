/**
 * Test helpers for the ingest stage: a fresh store with a real DuckDB engine, in-memory sources, readers for what
 * ingest wrote (quarantine lines, manifests, every file's bytes).
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { csvQuoted } from '../../lib/csv.js';
import type { QuarantineLine } from '../../lib/ingest/types.js';
import type { IngestSource } from '../../lib/pipeline/ingest.js';
import type { PipelineContext, ProgressEvent } from '../../lib/pipeline/context.js';
import { OutboxQueue } from '../../lib/queue/outbox.js';
import { DuckDbEngine } from '../../lib/sql/duckdb.js';
import { LocalFolderStore } from '../../lib/store/local.js';

export { TUVA_SAMPLES as SAMPLES } from '../samples.js';

export interface TestContext extends PipelineContext {
  readonly store: LocalFolderStore;
  readonly engine: DuckDbEngine;
  readonly events: ProgressEvent[];
  dispose(): Promise<void>;
}

export async function testContext(): Promise<TestContext> {
  const root = await mkdtemp(join(tmpdir(), 'stratify-ingest-'));
  const store = new LocalFolderStore(root);
  const engine = await DuckDbEngine.open(store);
  const events: ProgressEvent[] = [];
  return {
    store,
    engine,
    queue: new OutboxQueue(store),
    events,
    progress: (e) => events.push(e),
    dispose: async () => {
      await engine.close();
      await rm(root, { recursive: true, force: true });
    },
  };
}

/** a source over text held in memory */
export function textSource(name: string, text: string): IngestSource {
  const bytes = Buffer.from(text, 'utf8');
  return { name, size: bytes.length, open: () => Readable.from([bytes]) };
}

export async function quarantineLines(ctx: TestContext): Promise<QuarantineLine[]> {
  const lines: QuarantineLine[] = [];
  for (const { key } of await ctx.store.list('quarantine/')) {
    const text = await readFile(ctx.store.pathOf(key), 'utf8');
    lines.push(...text.split('\n').filter(Boolean).map((l) => JSON.parse(l) as QuarantineLine));
  }
  return lines;
}

/** key → bytes of every object in the store, to prove a re-ingest changed nothing */
export async function snapshot(ctx: TestContext): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  for (const { key } of await ctx.store.list('')) out.set(key, (await readFile(ctx.store.pathOf(key))).toString('base64'));
  return out;
}

/** a CSV line from values, quoting what needs it */
export function csvLine(values: readonly (string | number)[]): string {
  return values.map((v) => csvQuoted(String(v))).join(',');
}


