/**
 * Ingests one file whose format is known: bind the reader, map every record, buffer accepted rows into Parquet
 * batches, quarantine rejected records, then write the manifest LAST: its presence is what marks the file as done.
 * Anything a failed earlier attempt left under the same sha is cleared first, and cleared again if this attempt
 * fails, so a file is either fully ingested or leaves nothing behind.
 */
import type { ObjectStore } from '../store/port.js';
import type { Progress } from '../pipeline/context.js';
import { CuratedBatchWriter, DEFAULT_FLUSH_EVERY } from './batch-writer.js';
import { csvQuoted } from '../csv.js';
import { CsvHeader, type DuplicateColumn } from './csv-header.js';
import type { Fingerprint } from './fingerprint.js';
import type { KnownPersons } from './known-persons.js';
import type { FileFinding, FormatReader, Mapped, MapperEnv } from './mapper.js';
import { crashPoint } from '../crash.js';
import { writeManifest } from './manifests.js';

export { manifestKey, readManifest } from './manifests.js';
import { QuarantineLog, quarantineKey } from './quarantine.js';
import { csvRecordBatches, malformedQuotes, ndjsonLineBatches } from './records.js';
import { openDecoded } from './decode.js';
import { stripBom } from './head.js';
import type { Encoding } from './encoding.js';
import { PlausibleRanges, type IngestLimits } from './plausibility.js';
import { RecordRejected, reject } from './rejection.js';
import type { IngestManifest, IngestReport, IngestSource } from './types.js';

const PROGRESS_EVERY = 100_000;

export interface IngestFileOptions {
  /** rows per Parquet part file @default 100_000 */
  readonly flushEvery?: number;
  /** the ceilings of amounts and quantities (plausibility.ts) @default DEFAULT_LIMITS */
  readonly limits?: IngestLimits;
  /** the instant files are taken as delivered, epoch ms (tests fix it) @default Date.now() */
  readonly now?: number;
  /** the files' text encoding (`--encoding`): UTF-8 is checked, Latin-1 converted @default 'utf8' */
  readonly encoding?: Encoding;
}

/** the report a manifest stands for; `file` is the name the bytes arrived under this time */
export function reportOf(file: string, m: IngestManifest): IngestReport {
  return {
    file,
    format: m.format,
    sha256: m.sha256,
    read: m.read,
    accepted: m.accepted,
    quarantined: m.quarantined,
    skippedRecords: m.skipped,
    reasons: m.reasons,
    skipReasons: m.skip_reasons,
    rows: m.rows,
    notes: m.notes,
    ...(m.conventions && { conventions: m.conventions }),
    ...(m.replaced === undefined ? {} : { replaced: m.replaced }),
  };
}

/** writes the manifest, the commit of a file's outputs (written before it), and returns the report it stands for */
export async function commit(store: ObjectStore, manifest: IngestManifest): Promise<IngestReport> {
  crashPoint('ingest:before-manifest');
  await writeManifest(store, manifest);
  crashPoint('ingest:after-manifest');
  return reportOf(manifest.file, manifest);
}

/** everything ingest writes for one input file */
export async function clearOutputs(store: ObjectStore, tables: FormatReader['tables'], sha16: string): Promise<void> {
  const keys = [quarantineKey(sha16)];
  for (const t of tables) keys.push(...(await store.list(`${t.prefix}${sha16}-`)).map((o) => o.key));
  for (const k of keys) await store.delete(k);
}

type PendingRecord = readonly [record: number, map: () => Mapped, raw: () => string];

/**
 * Batches of [record number, map] for the records of the file, where map() maps that record: it runs inside the
 * driver's try, so the driver catches every rejection in one place. The CSV header is consumed here to bind the mapper.
 */
async function* mappedBatches(reader: FormatReader, source: IngestSource, gzip: boolean, env: MapperEnv, onBytes: (n: number) => void, encoding?: Encoding) {
  const stream = openDecoded(source, gzip, onBytes, encoding);
  if (reader.kind === 'ndjson') {
    const map = reader.bind(env);
    for await (const lines of ndjsonLineBatches(stream)) yield lines.map(([n, line]): PendingRecord => [n, () => map(line), () => line]);
    return;
  }
  if (reader.kind === 'document') {
    // a document (a FHIR Bundle) is parsed whole: its records are entries, not lines
    const chunks: Buffer[] = [];
    for await (const chunk of stream) chunks.push(chunk as Buffer);
    yield reader.bind(env)(stripBom(Buffer.concat(chunks).toString('utf8'))).map((r): PendingRecord => [r.record, () => r.map(), () => r.raw()]);
    return;
  }
  let map: ((fields: readonly string[]) => Mapped) | undefined;
  let width = 0;
  let duplicates: DuplicateColumn[] = [];
  let n = 0;
  for await (const records of csvRecordBatches(stream)) {
    const batch: PendingRecord[] = [];
    for (const fields of records) {
      if (map === undefined) {
        const header = new CsvHeader(fields);
        map = reader.bind(header, env);
        width = header.width;
        duplicates = header.duplicatesRead();
        for (const d of duplicates) {
          env.fileNote?.(`column ${d.name} appears ${d.positions.length} times (columns ${d.positions.join(' and ')}): a record whose copies differ is quarantined`);
        }
        continue;
      }
      const bound = map;
      batch.push([
        ++n,
        () => {
          const quotes = malformedQuotes(fields);
          if (quotes !== undefined) reject('', `malformed quotes: ${quotes}`, null);
          if (fields.length !== width) reject('', 'wrong number of fields', `${fields.length} of ${width}`);
          for (const d of duplicates) sameInEveryCopy(d, fields);
          return bound(fields);
        },
        () => fields.map(csvQuoted).join(','), // as it arrived: quarantine keeps the record to be fixed and sent again
      ]);
    }
    yield batch;
  }
}

/** a column the header has twice is read from its first copy only when every copy says the same */
function sameInEveryCopy(d: DuplicateColumn, fields: readonly string[]): void {
  const values = d.positions.map((p) => fields[p - 1]!.trim());
  if (values.some((v) => v !== values[0])) reject(d.name, `column ${d.name} appears ${values.length} times with different values`, values);
}

const MIB = 2 ** 20;

/** `claims.csv.gz: 512 of 2,048 MiB read, 1,400,000 records` (bytes as delivered, so compressed for a .gz) */
function progressMessage(file: string, records: number, bytes: number, total: number): string {
  const mib = (n: number) => Math.round(n / MIB).toLocaleString('en-US');
  return `${file}: ${mib(bytes)} of ${mib(total)} MiB read, ${records.toLocaleString('en-US')} records`;
}

export async function ingestFile(
  store: ObjectStore,
  progress: Progress,
  source: IngestSource,
  fp: Fingerprint,
  reader: FormatReader,
  persons: KnownPersons,
  options: IngestFileOptions = {},
): Promise<IngestReport> {
  const check = persons.checker();
  const decisions = new Map<string, number>();
  const fileNotes: string[] = [];
  let finding: (() => FileFinding) | undefined;
  const env: MapperEnv = {
    sourceFile: source.name,
    persons: check,
    addPerson: (id) => persons.add(id),
    note: (decision) => decisions.set(decision, (decisions.get(decision) ?? 0) + 1),
    fileNote: (note) => fileNotes.push(note),
    finding: (atEnd) => (finding = atEnd),
  };
  const notes =
    reader.format !== 'tuva-eligibility' && !check.active
      ? ['person ids not checked: no eligibility has been ingested, so no person is known yet']
      : [];
  await clearOutputs(store, reader.tables, fp.sha16);
  const writer = new CuratedBatchWriter(store, fp.sha16, reader.tables, options.flushEvery ?? DEFAULT_FLUSH_EVERY);
  const quarantine = new QuarantineLog(store, quarantineKey(fp.sha16), source.name);
  const ranges = new PlausibleRanges(options.now ?? Date.now(), options.limits);
  const skipReasons: Record<string, number> = {};
  let read = 0;
  let accepted = 0;
  let skipped = 0;
  let bytes = 0;
  try {
    for await (const batch of mappedBatches(reader, source, fp.gzip, env, (n) => (bytes += n), options.encoding)) {
      for (const [record, map, raw] of batch) {
        read++;
        let mapped: Mapped | { reject: RecordRejected };
        try {
          mapped = map();
          if ('rows' in mapped) for (const { table, row } of mapped.rows) ranges.check(table, row);
        } catch (e) {
          if (!(e instanceof RecordRejected)) throw e;
          mapped = { reject: e };
        }
        if ('reject' in mapped) {
          if (quarantine.add(record, mapped.reject, raw())) await quarantine.flush();
        } else if ('skip' in mapped) {
          skipped++;
          skipReasons[mapped.skip] = (skipReasons[mapped.skip] ?? 0) + 1;
        } else {
          accepted++;
          let full = false;
          for (const { table, row } of mapped.rows) {
            row.source_record = record;
            row.source_sha256 = fp.sha256;
            full = writer.add(table, row) || full;
          }
          if (full) await writer.flushFull();
        }
        if (read % PROGRESS_EVERY === 0) {
          progress({ stage: 'ingest', message: progressMessage(source.name, read, bytes, fp.bytes), done: bytes, total: fp.bytes });
        }
      }
    }
    const rows = await writer.finish();
    await quarantine.save();
    const found = finding?.();
    const manifest: IngestManifest = {
      file: source.name,
      sha256: fp.sha256,
      format: reader.format,
      read,
      accepted,
      quarantined: quarantine.count,
      skipped,
      reasons: quarantine.reasons,
      skip_reasons: skipReasons,
      rows,
      notes: [...notes, ...fileNotes, ...(found?.note ? [found.note] : []), ...[...decisions].map(([decision, n]) => `${n} records: ${decision}`)],
      ...(found && { conventions: found.conventions }),
      ingested_at: new Date().toISOString(),
    };
    return await commit(store, manifest);
  } catch (e) {
    await clearOutputs(store, reader.tables, fp.sha16);
    throw e;
  } finally {
    await quarantine.dispose();
  }
}
