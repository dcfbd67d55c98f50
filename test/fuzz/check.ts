/**
 * One fuzz case: a mutated file through its reader (the real file driver, ingestFile or the SQL runner's
 * ingestSqlFile, over an in-memory store), and
 * the properties every reader keeps whatever it is fed:
 * - it ends, within CASE_TIMEOUT_MS;
 * - it returns a report with read = accepted + quarantined + skipped, and one quarantine line per quarantined
 *   record naming the file, a record number (a positive whole number, each once) and a reason; or it stops the file
 *   with an Error of its own (an unterminated quote, invalid UTF-8, a broken gzip…) whose message is a sentence, not
 *   a TypeError or RangeError from inside the code nor a raw zod dump, and leaves nothing of the file behind.
 */
import { Readable } from 'node:stream';
import { fingerprint } from '../../lib/ingest/fingerprint.js';
import { ingestFile } from '../../lib/ingest/ingest-file.js';
import { ingestSqlFile } from '../../lib/ingest/sql/run-file.js';
import { KnownPersons } from '../../lib/ingest/known-persons.js';
import { quarantineKey } from '../../lib/ingest/quarantine.js';
import type { IngestReport, IngestSource, QuarantineLine } from '../../lib/ingest/types.js';
import { silent } from '../../lib/pipeline/context.js';
import { MemoryStore } from './memory-store.js';
import type { Seed } from './seeds.js';

export const CASE_TIMEOUT_MS = 10_000;

export type Outcome = { readonly report: IngestReport } | { readonly stopped: string };

/** zod's issue codes: a message holding one is a raw zod dump, which names no file, record or field */
const ZOD_DUMP = /"code":\s*"(invalid_type|invalid_value|invalid_format|invalid_union|invalid_key|invalid_element|too_big|too_small|unrecognized_keys|not_multiple_of|custom)"/;

/** an error thrown by a bug rather than by a reader refusing a file */
const BUG = [TypeError, RangeError, ReferenceError, SyntaxError];

function fail(seed: Seed, why: string): never {
  throw new Error(`${seed.name}: ${why}`);
}

async function run(seed: Seed, store: MemoryStore, source: IngestSource): Promise<Outcome> {
  try {
    const fp = await fingerprint(source);
    const persons = await KnownPersons.load(store);
    const options = { flushEvery: 1000 };
    const { reader } = seed;
    return {
      report:
        'query' in reader
          ? await ingestSqlFile(store, silent, source, fp, reader, persons, options)
          : await ingestFile(store, silent, source, fp, reader, persons, options),
    };
  } catch (e) {
    if (!(e instanceof Error) || BUG.some((c) => e.constructor === c)) fail(seed, `crashed: ${String((e as Error)?.stack ?? e)}`);
    if (e.message.trim() === '' || ZOD_DUMP.test(e.message)) fail(seed, `stopped without a sentence: ${e.message}`);
    return { stopped: e.message };
  }
}

export async function checkCase(seed: Seed, bytes: Buffer): Promise<Outcome> {
  const store = new MemoryStore();
  const source: IngestSource = { name: `landing/${seed.file}`, size: bytes.length, open: () => Readable.from([bytes]) };
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${seed.name}: no answer within ${CASE_TIMEOUT_MS} ms (a hang)`)), CASE_TIMEOUT_MS);
  });
  const outcome = await Promise.race([run(seed, store, source), timeout]).finally(() => clearTimeout(timer));
  if ('stopped' in outcome) {
    const left = [...store.objects.keys()].filter((k) => !k.startsWith('ingesting/'));
    if (left.length > 0) fail(seed, `stopped (${outcome.stopped}) but left ${left.join(', ')}`);
    return outcome;
  }
  const r = outcome.report;
  if (r.read !== r.accepted + r.quarantined + r.skippedRecords) fail(seed, `read ${r.read} != ${r.accepted} + ${r.quarantined} + ${r.skippedRecords}`);
  const log = store.objects.get(quarantineKey(r.sha256.slice(0, 16)));
  const lines = log === undefined ? [] : log.toString('utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as QuarantineLine);
  if (lines.length !== r.quarantined) fail(seed, `${r.quarantined} quarantined but ${lines.length} quarantine lines`);
  const records = new Set<number>();
  for (const l of lines) {
    if (l.file !== source.name) fail(seed, `quarantine line names file ${l.file}`);
    if (!Number.isInteger(l.record) || l.record < 1 || records.has(l.record)) fail(seed, `quarantine line with record ${l.record}`);
    if (typeof l.reason !== 'string' || l.reason.trim() === '' || typeof l.field !== 'string') fail(seed, `quarantine line without a reason: ${JSON.stringify(l)}`);
    records.add(l.record);
  }
  return outcome;
}
