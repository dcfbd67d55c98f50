/**
 * The end of a landing file's Athena ingest, once its plan's statements ran (plan.ts): the UNLOADed files become the
 * curated tables' parts under their usual names (`curated/<table>/<sha16>-NNNN.parquet`, server-side copies), the
 * rejected rows the quarantine log, and the manifest is written last, as locally (lib/ingest/sql/run-file.ts): the
 * same keys, fields and visibility. Then the file's tables and staging folder go. `abandon` is the other end:
 * everything the file wrote is removed, so it is fully ingested or leaves nothing.
 *
 * What differs from a local ingest of a CSV file, since Athena exposes no record number: a quarantine line's `record`
 * is null (its `raw`, the record as it arrived re-quoted, identifies it) and the lines are in the order of their raw
 * text; the curated rows' `source_record` is null; a record accepted yields one row of the format's first table
 * (true of the Tuva formats), which is what `accepted` counts. An NDJSON file is staged numbered (plan.numbered):
 * its quarantine lines carry their record number, in that order, and `accepted` is the count of distinct record
 * numbers among the first table's rows, as the local runner has it (a blood-pressure panel is one record and two
 * observations), which Athena counts into a one-row output (plan.ts ACCEPTED_RECORDS): the commit does not read the
 * rows again.
 */
import { countParquetRows, readParquetFolder } from '../../parquet/reader.js';
import type { AthenaEngine } from '../../sql/athena.js';
import type { S3ObjectStore } from '../../store/s3.js';
import { defineTable, type Row } from '../../tables/index.js';
import { partKey } from '../batch-writer.js';
import { clearOutputs, commit } from '../ingest-file.js';
import type { CuratedTable } from '../mapper.js';
import { QuarantineLog, quarantineKey } from '../quarantine.js';
import { RecordRejected, rejectedValue } from '../rejection.js';
import type { IngestManifest, IngestReport } from '../types.js';
import type { SqlFinding, SqlFormat } from '../sql/format.js';
import { ACCEPTED_RECORDS, FINDING, REJECTED, type AthenaIngestPlan } from './plan.js';
import { dropTableSql, rawTableName } from './raw-table.js';
import { resultTableName } from './result-table.js';
import { removeStaging } from './stage.js';

/** the rows of the `rejected` output (plan.ts) */
const rejectedRows = defineTable('athena_rejected', '', 'the records of one file not accepted by its ingest SQL, as Athena UNLOADed them', [
  ['source_record', 'int', 'optional', 'the record number (1-based) of a numbered file; null for a CSV file'],
  ['reject_field', 'string', 'optional', 'the field blamed, by its canonical name'],
  ['reject_reason', 'string', 'optional', 'why the record was rejected; null when it was skipped'],
  ['reject_value', 'string', 'optional', 'the value blamed, as text'],
  ['reject_value_type', 'string', 'optional', "'number' when the value is a number"],
  ['skip_reason', 'string', 'optional', 'why the record was skipped'],
  ['raw_record', 'string', 'optional', 'the record as it arrived, re-quoted'],
]);

/** the file's finding, from the one row of text the plan's `finding` output holds (none when the format has no finding) */
async function findingOf(lake: S3ObjectStore, plan: AthenaIngestPlan, format: SqlFormat): Promise<SqlFinding | undefined> {
  if (format.finding === undefined) return undefined;
  const columns = format.finding.columns.map((c): [string, 'string', 'optional', string] => [c, 'string', 'optional', `the finding's ${c}`]);
  const [row] = await readParquetFolder(lake, folderOf(plan, FINDING), defineTable('athena_finding', '', 'what a file says as a whole, as Athena UNLOADed it', columns));
  if (row === undefined) throw new Error(`${plan.file}: its finding query gave no row`);
  return format.finding.of(row);
}

function folderOf(plan: AthenaIngestPlan, name: string): string {
  const o = plan.outputs.find((x) => x.name === name);
  if (o === undefined) throw new Error(`the plan of ${plan.file} has no output ${name}`);
  return o.folder;
}

/** the UNLOADed files of `table`, copied to the table's part names; returns the rows they hold */
async function promoteParts(lake: S3ObjectStore, plan: AthenaIngestPlan, table: CuratedTable): Promise<number> {
  const folder = folderOf(plan, table.name);
  const files = (await lake.list(folder)).filter((o) => o.size > 0);
  for (const [i, f] of files.entries()) await lake.copyTo(f.key, f.size, lake, partKey(table, plan.sha256.slice(0, 16), i));
  return countParquetRows(lake, folder);
}

const acceptedRecordsRow = defineTable('athena_accepted_records', '', "a numbered file's accepted records, counted by Athena", [
  ['records', 'int', 'optional', 'the distinct record numbers among the first table\'s rows'],
]);

/** a numbered file's accepted records, from the one row of the plan's ACCEPTED_RECORDS output */
async function acceptedRecords(lake: S3ObjectStore, plan: AthenaIngestPlan): Promise<number> {
  const [row] = await readParquetFolder(lake, folderOf(plan, ACCEPTED_RECORDS), acceptedRecordsRow);
  if (row?.records === undefined || row.records === null) throw new Error(`${plan.file}: its count of accepted records gave no row`);
  return row.records;
}

/** quarantine's order: by record number when the file is numbered, else by the raw text */
function byRecord(a: Row<typeof rejectedRows>, b: Row<typeof rejectedRows>): number {
  if (a.source_record !== null && b.source_record !== null) return a.source_record - b.source_record;
  return (a.raw_record ?? '') < (b.raw_record ?? '') ? -1 : 1;
}

/** writes the file's parts, quarantine log and manifest (last); returns the file's report */
export async function commitAthenaIngest(lake: S3ObjectStore, plan: AthenaIngestPlan, format: SqlFormat): Promise<IngestReport> {
  const { tables } = format;
  const sha16 = plan.sha256.slice(0, 16);
  const rows: Record<string, number> = {};
  for (const t of tables) rows[t.name] = await promoteParts(lake, plan, t);
  const accepted = plan.numbered ? await acceptedRecords(lake, plan) : (rows[tables[0]!.name] ?? 0);
  const notAccepted = await readParquetFolder(lake, folderOf(plan, REJECTED), rejectedRows);
  const quarantine = new QuarantineLog(lake, quarantineKey(sha16), plan.file);
  const skipReasons: Record<string, number> = {};
  try {
    const rejected = notAccepted.filter((r) => r.reject_reason !== null).sort(byRecord);
    for (const r of rejected) {
      const field = r.reject_field === null ? '' : (plan.fieldNames[r.reject_field] ?? r.reject_field);
      const value = rejectedValue(r.reject_value, r.reject_value_type);
      if (quarantine.add(r.source_record, new RecordRejected(field, r.reject_reason!, value), r.raw_record ?? '')) await quarantine.flush();
    }
    for (const r of notAccepted) if (r.reject_reason === null && r.skip_reason !== null) skipReasons[r.skip_reason] = (skipReasons[r.skip_reason] ?? 0) + 1;
    await quarantine.save();
    const skipped = Object.values(skipReasons).reduce((n, k) => n + k, 0);
    // accepted: see the header; the rest from the rows not accepted
    const { file, sha256 } = plan;
    const { count: quarantined, reasons } = quarantine;
    const read = accepted + quarantined + skipped;
    const counts = { read, accepted, quarantined, skipped, reasons, skip_reasons: skipReasons, rows };
    const found = await findingOf(lake, plan, format);
    // in the local runner's order (lib/ingest/sql/run-file.ts)
    const notes = [...plan.notes, ...(found?.note ? [found.note] : []), ...Object.entries(found?.decisions ?? {}).map(([decision, n]) => `${n} records: ${decision}`)];
    const manifest: IngestManifest = {
      file,
      sha256,
      format: plan.format,
      ...counts,
      notes,
      ...(found?.conventions && { conventions: found.conventions }),
      ingested_at: new Date().toISOString(),
    };
    return await commit(lake, manifest);
  } finally {
    await quarantine.dispose();
  }
}

/**
 * The file's tables and staging folder, after the commit or an abandon. The tables go first: a staging folder left
 * by a crash in between still names them for the leftovers sweep (lib/ingest/leftovers.ts).
 */
export async function cleanUpAthenaIngest(lake: S3ObjectStore, engine: AthenaEngine, plan: AthenaIngestPlan): Promise<void> {
  const sha16 = plan.sha256.slice(0, 16);
  await dropFileTables(engine, sha16);
  await removeStaging(lake, sha16);
}

/** drops the per-file tables of the content `sha16`, its result table and its raw table, if they exist */
export async function dropFileTables(engine: AthenaEngine, sha16: string): Promise<void> {
  await engine.execute(dropTableSql(resultTableName(sha16)));
  await engine.execute(dropTableSql(rawTableName(sha16)));
}

/** removes everything the file's ingest wrote: parts, quarantine log, staging folder, tables */
export async function abandonAthenaIngest(lake: S3ObjectStore, engine: AthenaEngine, plan: AthenaIngestPlan, tables: readonly CuratedTable[]): Promise<void> {
  await clearOutputs(lake, tables, plan.sha256.slice(0, 16));
  await cleanUpAthenaIngest(lake, engine, plan);
}
