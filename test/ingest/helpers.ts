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



/** a CSV file's text: its rows (header first), one line each */
export function csvText(rows: readonly (readonly (string | number)[])[]): string {
  return rows.map(csvLine).join('\n') + '\n';
}

/** `[record, field, reason]` of the quarantine lines of one file */
export function quarantinedIn(lines: readonly QuarantineLine[], file: string): [number, string, string][] {
  return lines.filter((l) => l.file === file).map((l) => [l.record, l.field, l.reason]);
}

/** the Tuva medical_claim columns the ingest tests vary */
export const CLAIM_HEADER = ['claim_id', 'claim_line_number', 'claim_type', 'person_id', 'claim_start_date', 'claim_end_date', 'admission_date',
  'discharge_date', 'bill_type_code', 'place_of_service_code', 'revenue_center_code', 'paid_amount', 'allowed_amount', 'diagnosis_code_type',
  'diagnosis_code_1', 'diagnosis_code_2'] as const;
type ClaimColumn = (typeof CLAIM_HEADER)[number];

/** a professional claim line of P1 on 2025-03-01 (office, $10.00, E11.9), some columns replaced */
export function claimLine(id: string, over: Partial<Record<ClaimColumn, string>> = {}): string[] {
  const base: Record<ClaimColumn, string> = { claim_id: id, claim_line_number: '1', claim_type: 'professional', person_id: 'P1', claim_start_date: '2025-03-01',
    claim_end_date: '2025-03-01', admission_date: '', discharge_date: '', bill_type_code: '', place_of_service_code: '11', revenue_center_code: '',
    paid_amount: '10.00', allowed_amount: '', diagnosis_code_type: 'icd-10-cm', diagnosis_code_1: 'e11.9', diagnosis_code_2: '' };
  return CLAIM_HEADER.map((c) => over[c] ?? base[c]);
}
