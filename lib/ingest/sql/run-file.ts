/**
 * Ingests one file of a SQL format (format.ts) in DuckDB, as ingest-file.ts ingests the others: the same outputs
 * under the same keys, the manifest last. The file's header is bound (header.ts); `raw_records` is a view over the
 * file (raw-records.ts); the format's query runs once into a temporary table, `ingest_result`; its accepted rows
 * become the curated tables' Parquet parts (parts.ts), its rejected rows, with those of the CSV parser and of the
 * duplicate-column rule, the quarantine log, in record order. What an earlier attempt left is cleared first, and
 * again when this one fails, so a file is fully ingested or leaves nothing.
 */
import { randomUUID } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { Progress } from '../../pipeline/context.js';
import { scratchDir } from '../../scratch.js';
import { LocalFolderStore } from '../../store/local.js';
import type { ObjectStore } from '../../store/port.js';
import { clearOutputs, commit, type IngestFileOptions } from '../ingest-file.js';
import type { Fingerprint } from '../fingerprint.js';
import { PERSONS_NOT_CHECKED, type KnownPersons } from '../known-persons.js';
import { QuarantineLog, quarantineKey } from '../quarantine.js';
import { RecordRejected, rejectedValue } from '../rejection.js';
import type { IngestManifest, IngestReport, IngestSource } from '../types.js';
import { encodingError, parserRejectRows, parserRejects, recordOf, rejectedSpans, renumber, type Rejected, type RejectRow } from './csv-rejects.js';
import { scanLines } from './record-lines.js';
import { IngestDb, sqlString } from './db.js';
import type { SqlFormat } from './format.js';
import { bindHeader, headerNames, type BoundHeader } from './header.js';
import { ingestParamsSql } from './params.js';
import { loadIngestQuery } from './queries.js';
import { linesOfRecordsSql, ndjsonRawRecordsSql } from './ndjson-records.js';
import { CSV_TABLE, csvTableSql, distinctValuesSql, duplicateRejectsSql, numberedCsvSql, rawRecordsSql, type CsvFile } from './raw-records.js';
import { DEFAULT_FLUSH_EVERY } from '../batch-writer.js';
import { countRecords, writeParts } from './parts.js';

/** the rows of `ingest_result` that are curated rows */
const ACCEPTED = 'ingest_accepted';
const IS_ACCEPTED = 'reject_reason IS NULL AND skip_reason IS NULL';

type ResultReject = {
  readonly source_record: number;
  readonly reject_field: string | null;
  readonly reject_reason: string;
  readonly reject_value: string | null;
  readonly reject_value_type: string | null;
  readonly raw_record: string;
};

/** the file as a path DuckDB can open: its own, or a private copy of its bytes in the scratch folder */
async function localCopy(source: IngestSource): Promise<{ path: string; copied: boolean }> {
  if (source.path !== undefined) return { path: source.path, copied: false };
  const path = join(await scratchDir(), `landing-${randomUUID()}`);
  await pipeline(source.open(), createWriteStream(path, { mode: 0o600 }));
  return { path, copied: true };
}

/**
 * the persons claims are checked against, as the relation `members` (person_id, distinct) the format's SQL joins; true
 * when it holds anyone. On a local folder store DuckDB reads the members parts itself (known-persons.ts), elsewhere
 * they are read in JavaScript and appended.
 */
async function loadMembers(db: IngestDb, store: ObjectStore, persons: KnownPersons): Promise<boolean> {
  const local = store instanceof LocalFolderStore ? store : undefined;
  const parts = local ? await persons.parts() : [];
  await db.run('CREATE TABLE members_added (person_id VARCHAR)');
  const appender = await db.connection.createAppender('members_added');
  for (const id of local ? persons.added : (await persons.read()).ids()) {
    appender.appendVarchar(id);
    appender.endRow();
  }
  appender.closeSync();
  const read = parts.length === 0 ? '' : `SELECT person_id FROM read_parquet([${parts.map((p) => sqlString(local!.pathOf(p.key))).join(', ')}]) UNION ALL `;
  await db.run(`CREATE TABLE members AS SELECT DISTINCT person_id FROM (${read}SELECT person_id FROM members_added); DROP TABLE members_added`);
  const [{ known } = { known: false }] = await db.query<{ known: boolean }>('SELECT EXISTS (SELECT 1 FROM members) AS known');
  return known;
}

/** the raw text of the rejected records of `ingest_result`, by their number among the records the parser took */
async function fillRaws(db: IngestDb, raws: ReadonlyMap<number, string>): Promise<void> {
  if (raws.size === 0) return;
  await db.run('CREATE TABLE ingest_raws (source_record BIGINT, raw_record VARCHAR)');
  const appender = await db.connection.createAppender('ingest_raws');
  for (const [record, raw] of raws) {
    appender.appendBigInt(BigInt(record));
    appender.appendVarchar(raw);
    appender.endRow();
  }
  appender.closeSync();
  await db.run(
    'UPDATE ingest_result SET raw_record = r.raw_record FROM ingest_raws AS r WHERE ingest_result.source_record = r.source_record AND ingest_result.reject_reason IS NOT NULL',
  );
}

/**
 * A CSV file up to this size is read by its format's query, not stored first (runQuery): the bench's eligibility,
 * 106,888 records in 19 MiB, fits one row group of DuckDB's (122,880 rows), so its query ran on one thread after the
 * read had stored every field
 */
const READ_IN_QUERY_BYTES = 32 * 2 ** 20;

export interface SqlIngestOptions extends IngestFileOptions {
  /** a plain CSV file up to this many bytes is read by its format's query, its fields not stored first @default 32 MiB */
  readonly readInQueryBytes?: number;
}

/** the landing file as DuckDB reads it, and its size */
type LandingFile = CsvFile & { readonly bytes: number };

/** what is left of a file's query once its parts are written: the records rejected before the format's rules */
type Finish = () => Promise<Rejected[]>;

/**
 * Reads the file into `ingest_csv` (a small one: as the query runs) and runs the format's query over `raw_records`
 * into `ingest_result`. The raw text of
 * its rejected records comes from a pass over the file's lines (record-lines.ts), which also finds the blank lines
 * that number the records the CSV parser rejected: with such records it runs before `ingest_result` is renumbered
 * (csv-rejects.ts); without, it runs while the caller writes the parts (1 s of the bench's 991 MiB medical claims).
 * Returns what fills the raw texts in and gives the records rejected before the format's rules: by the CSV parser,
 * then by the duplicate-column rule, numbered as the file's records.
 */
async function runQuery(db: IngestDb, header: BoundHeader, file: LandingFile, format: SqlFormat, source: IngestSource, readInQuery: boolean): Promise<Finish> {
  // a small plain file's query reads the file itself (numberedCsvSql): its fields are not stored first, where a query
  // over more than one row group of stored fields runs on two threads. Not for a header naming a column twice (its
  // rejects read the stored fields) nor for a query made from the stored fields (a vendor mapping's)
  const stored = !readInQuery || file.gzip || header.duplicates.length > 0 || typeof format.query !== 'string';
  let rejectRows: RejectRow[] = [];
  if (stored) {
    await db.readingFile(file.bytes, file.gzip, () => db.run(csvTableSql(file, header)));
    rejectRows = await parserRejectRows(db, source, file.gzip);
  }
  await db.run(`CREATE VIEW raw_records AS ${stored ? rawRecordsSql(header) : rawRecordsSql(header, numberedCsvSql(file, header))}`);
  await db.run(`CREATE TABLE ingest_result AS ${await queryOf(db, format, header)}`);
  if (!stored) rejectRows = await parserRejectRows(db, source, file.gzip);
  const copies =
    header.duplicates.length === 0 ? [] : await db.query<{ source_record: number; field: string; copies: string[] }>(duplicateRejectsSql(header));
  // the file's fields are read: the memory they hold goes to what follows (on the bench's 991 MiB medical claims the
  // diagnoses' and the conventions' windows and aggregates spilled to disk while it stood)
  await db.run(`DROP VIEW raw_records${stored ? `; DROP TABLE ${CSV_TABLE}` : ''}`);
  const wanted = new Set([
    ...(await db.query<{ n: number }>('SELECT DISTINCT source_record AS n FROM ingest_result WHERE reject_reason IS NOT NULL')).map((r) => r.n),
    ...copies.map((c) => c.source_record),
  ]);
  const scanning =
    rejectRows.length === 0 && wanted.size === 0
      ? Promise.resolve({ blanks: [], raws: new Map<number, string>() })
      : scanLines(source, file, rejectedSpans(rejectRows), wanted, rejectRows.at(-1)?.line ?? 0);
  // awaited below or by the caller; should the caller fail first, its failure is not an unhandled one
  scanning.catch(() => {});
  let rejected: Rejected[] = [];
  // the raw texts are keyed by the number among the records taken: filled before the renumbering
  let filled = false;
  if (rejectRows.length > 0) {
    const scan = await scanning;
    await fillRaws(db, scan.raws);
    filled = true;
    rejected = parserRejects(rejectRows, scan.blanks, header.width);
    await renumber(db, 'ingest_result', rejected);
  }
  return async () => {
    const scan = await scanning;
    if (!filled) await fillRaws(db, scan.raws);
    return [
      ...rejected,
      ...copies.map((r) => ({
        record: recordOf(rejected, r.source_record),
        field: r.field,
        reason: `column ${r.field} appears ${r.copies.length} times with different values`,
        value: r.copies,
        raw: scan.raws.get(r.source_record) ?? '',
      })),
    ];
  };
}

/**
 * NDJSON: `raw_records` holds every line with its number (ndjson-records.ts); no record is rejected before the query.
 * A byte that is not UTF-8 fails the file with today's error, naming the byte and its line.
 */
async function runNdjsonQuery(db: IngestDb, file: LandingFile, format: SqlFormat, source: IngestSource): Promise<Rejected[]> {
  try {
    await db.readingFile(file.bytes, file.gzip, async () => {
      for (const statement of ndjsonRawRecordsSql(file)) await db.run(statement);
    });
  } catch (e) {
    throw /not utf-8 encoded/i.test((e as Error).message) ? await encodingError(source, file.gzip) : e;
  }
  // the query tells its fast path from its full rules by one test over a CTE read twice: DuckDB's CTE filter pusher
  // would evaluate that test again in a filter pushed into the CTE (query 3.4 s → 1.8 s on the bench's first 262,245 lines)
  const query = await queryOf(db, format);
  await db.withSettings({ disabled_optimizers: 'cte_filter_pusher' }, () => db.run(`CREATE TABLE ingest_result AS ${query}`));
  // from the lines, not raw_records: that view parses every line again (5.7 s of 6 on the bench's 2,622,450 lines)
  const rejected = linesOfRecordsSql('SELECT source_record FROM ingest_result WHERE reject_reason IS NOT NULL');
  await db.run(
    `UPDATE ingest_result SET raw_record = r.raw_record FROM (${rejected}) AS r WHERE ingest_result.source_record = r.source_record AND ingest_result.reject_reason IS NOT NULL`,
  );
  return [];
}

/** the format's query text: its file of queries/ingest/, or made over `raw_records` (a vendor mapping's) */
async function queryOf(db: IngestDb, format: SqlFormat, header?: BoundHeader): Promise<string> {
  if (typeof format.query === 'string') return loadIngestQuery(format.query);
  return await format.query((sql) => db.query(sql), header && ((column) => distinctValuesSql(header, column)));
}

/** the quarantine log: the parser's and the duplicate rule's rejects merged, by record, with the format's */
async function quarantineAll(db: IngestDb, log: QuarantineLog, early: readonly Rejected[], fieldOf: ReadonlyMap<string, string>): Promise<void> {
  const pending = [...early].sort((a, b) => a.record - b.record);
  let next = 0;
  const add = async (r: Rejected) => {
    if (log.add(r.record, new RecordRejected(r.field, r.reason, r.value), r.raw)) await log.flush();
  };
  const sql =
    'SELECT source_record, reject_field, reject_reason, reject_value, reject_value_type, raw_record FROM ingest_result WHERE reject_reason IS NOT NULL ORDER BY source_record';
  for await (const rows of db.chunks<ResultReject>(sql)) {
    for (const r of rows) {
      while (next < pending.length && pending[next]!.record < r.source_record) await add(pending[next++]!);
      const field = r.reject_field === null ? '' : (fieldOf.get(r.reject_field) ?? r.reject_field);
      // a number, a JSON value (of an NDJSON line) or text, as the quarantine line had it
      const value = rejectedValue(r.reject_value, r.reject_value_type);
      await add({ record: r.source_record, field, reason: r.reject_reason, value, raw: r.raw_record });
    }
  }
  while (next < pending.length) await add(pending[next++]!);
}

export async function ingestSqlFile(
  store: ObjectStore,
  _progress: Progress,
  source: IngestSource,
  fp: Fingerprint,
  format: SqlFormat,
  persons: KnownPersons,
  options: SqlIngestOptions = {},
): Promise<IngestReport> {
  await clearOutputs(store, format.tables, fp.sha16);
  const quarantine = new QuarantineLog(store, quarantineKey(fp.sha16), source.name);
  let db: IngestDb | undefined;
  let copy: { path: string; copied: boolean } | undefined;
  try {
    const header = format.kind === 'csv' ? bindHeader(headerNames(fp.head), format) : undefined;
    copy = await localCopy(source);
    db = await IngestDb.open();
    await db.run(ingestParamsSql(source.name, fp.sha256, options));
    const known = await loadMembers(db, store, persons);
    const notes = !format.makesMembers && !known ? [PERSONS_NOT_CHECKED] : [];
    const file: LandingFile = { path: copy.path, gzip: fp.gzip, encoding: options.encoding ?? 'utf8', bytes: fp.bytes };
    const finish: Finish =
      header === undefined ? await runNdjsonQuery(db, file, format, source).then((early) => async () => early) : await runQuery(db, header, file, format, source, file.bytes <= (options.readInQueryBytes ?? READ_IN_QUERY_BYTES));
    await db.run(`CREATE VIEW ${ACCEPTED} AS SELECT * FROM ingest_result WHERE ${IS_ACCEPTED}`);
    const counts = await countRecords(db, 'ingest_result', IS_ACCEPTED);
    const rows: Record<string, number> = {};
    for (const t of format.tables) {
      const query = format.tableQueries?.[t.name];
      const relation = query === undefined ? ACCEPTED : `(${loadIngestQuery(query)})`;
      const counted = query === undefined ? counts : undefined;
      rows[t.name] = await writeParts(db, store, t, relation, fp.sha16, fp.sha256, options.flushEvery ?? DEFAULT_FLUSH_EVERY, counted);
    }
    const early = await finish();
    // the copy of a file without a local path (on S3) holds raw records: gone as soon as DuckDB and the line scan have read it
    if (copy.copied) await rm(copy.path, { force: true });
    await quarantineAll(db, quarantine, early, new Map(header?.columns.map((c) => [c.name, c.field])));
    await quarantine.save();
    const skips = await db.query<{ reason: string; n: number }>(
      'SELECT skip_reason AS reason, count(DISTINCT source_record) AS n FROM ingest_result WHERE skip_reason IS NOT NULL AND reject_reason IS NULL GROUP BY skip_reason ORDER BY min(source_record)',
    );
    const found = format.finding && format.finding.of((await db.query(format.finding.sql()))[0]!);
    const skipped = skips.reduce((n, s) => n + s.n, 0);
    const manifest: IngestManifest = {
      file: source.name,
      sha256: fp.sha256,
      format: format.format,
      read: counts.taken + early.length,
      accepted: counts.accepted,
      quarantined: quarantine.count,
      skipped,
      reasons: quarantine.reasons,
      skip_reasons: Object.fromEntries(skips.map((s) => [s.reason, s.n])),
      rows,
      notes: [
        ...notes,
        ...(header?.notes ?? []),
        ...(found?.note ? [found.note] : []),
        ...Object.entries(found?.decisions ?? {}).map(([decision, n]) => `${n} records: ${decision}`),
      ],
      ...(found?.conventions && { conventions: found.conventions }),
      ingested_at: new Date().toISOString(),
    };
    const committed = await commit(store, manifest);
    // its members parts hold the persons it makes: known to the files after it
    if (format.makesMembers) persons.addDelivery(fp.sha16);
    return committed;
  } catch (e) {
    await clearOutputs(store, format.tables, fp.sha16);
    throw e;
  } finally {
    db?.close();
    if (copy?.copied) await rm(copy.path, { force: true });
    await quarantine.dispose();
  }
}
