/**
 * The plan of one landing file's Athena ingest: the statements to run in order (the file's table; the format's query
 * once, into the file's result table, result-table.ts; then one UNLOAD per output, each reading that table), and what
 * the commit needs afterwards. It is plain JSON: the ingest function runs it itself (a file up
 * to `deploy.ingest_large_file_bytes`) or hands it to the ingest state machine as the execution's input.
 *
 * The outputs are those of the local runner (lib/ingest/sql/run-file.ts) from the same SQL text: each curated table
 * from the accepted rows (no reject, no skip), its columns cast to the table's types, `source_sha256` the file's;
 * and `rejected`, the rows rejected or skipped, from which the commit writes the quarantine log and the counts.
 */
import { randomUUID } from 'node:crypto';
import { requestToken, unloadSql } from '../../sql/athena.js';
import type { S3ObjectStore } from '../../store/s3.js';
import { SQL_TYPES } from '../../tables/index.js';
import type { Fingerprint } from '../fingerprint.js';
import type { CuratedTable } from '../mapper.js';
import type { SqlFormat } from '../sql/format.js';
import { bindHeader, headerNames } from '../sql/header.js';
import { ingestParamsSelect, type IngestParamsOptions } from '../sql/params.js';
import { loadIngestQuery } from '../sql/queries.js';
import { deviceNdjsonQuery } from '../sql/devices.js';
import type { InputFormat } from '../types.js';
import { DEVICE_FIELDS } from '../sql/ndjson-records.js';
import { createLinesTableSql, createRawTableSql, linesRawRecordsSql, rawRecordsSql, rawTableName, withItems } from './raw-table.js';
import { resultTableName, resultTableSqls } from './result-table.js';
import { stagedOutputFolder, stagedRawFolder, stagedResultFolder } from './stage.js';

export interface AthenaStatement {
  readonly sql: string;
  /** the ClientRequestToken of its start, drawn once: every retry of the start names the same execution */
  readonly token: string;
}

/** the output of the records not accepted */
export const REJECTED = 'rejected';

/** the output of what the file says as a whole (SqlFormat.finding), one row of text columns */
export const FINDING = 'finding';

/** the output of a numbered file's accepted records, one row: `records`, the distinct record numbers accepted */
export const ACCEPTED_RECORDS = 'accepted_records';

export interface AthenaIngestPlan {
  /** the landing key, as quarantine lines and the manifest name it */
  readonly file: string;
  readonly sha256: string;
  readonly format: InputFormat;
  /** the file's external table */
  readonly rawTable: string;
  /** the table the format's query fills once, which the outputs read (result-table.ts) */
  readonly resultTable: string;
  readonly statements: readonly AthenaStatement[];
  /** the folders the UNLOADs write: a curated table's rows (by table name), or the records not accepted (REJECTED) */
  readonly outputs: readonly { readonly name: string; readonly folder: string }[];
  /** the file's notes known before its records are read (a column the file lacks, person ids not checked) */
  readonly notes: readonly string[];
  /** quarantine blames a record's field by the header's name for it (`patient_id` in the older layout) */
  readonly fieldNames: Readonly<Record<string, string>>;
  /**
   * the records carry their number (`source_record`: an NDJSON file, staged numbered); accepted records are then
   * the distinct numbers among the first table's rows (a blood-pressure panel is two observations), which the
   * ACCEPTED_RECORDS output counts
   */
  readonly numbered: boolean;
  /** the token of the file's marker (ingesting/<sha16>.json) once it was handed over with the plan */
  readonly markerToken?: string;
}

const ACCEPTED = 'reject_reason IS NULL AND skip_reason IS NULL';

/** the table's columns, typed, from `relation` */
function typedSelect(table: CuratedTable, sha256: string, relation: string): string {
  const columns = table.columns.map((c) =>
    c.name === 'source_sha256' ? `CAST('${sha256}' AS VARCHAR) AS source_sha256` : `CAST(${c.name} AS ${SQL_TYPES[c.type]}) AS ${c.name}`,
  );
  return `SELECT ${columns.join(', ')} FROM ${relation}`;
}

const REJECTED_COLUMNS = 'source_record, reject_field, reject_reason, reject_value, reject_value_type, skip_reason';

/**
 * The records not accepted, from the result table. A format that leaves `raw_record` to the runner (the device
 * formats: lib/ingest/sql/devices.ts) reads numbered records: the line is joined by its number from the file's
 * table, for the records not accepted alone (a second read of the staged file: the result does not carry the line).
 */
function rejectedSelect(result: string, numbered: boolean, rawTable: string): string {
  const notAccepted = `SELECT * FROM ${result} WHERE NOT (${ACCEPTED})`;
  if (!numbered) return `SELECT ${REJECTED_COLUMNS}, raw_record FROM (${notAccepted}) AS result`;
  const columns = REJECTED_COLUMNS.split(', ').map((c) => `result.${c}`).join(', ');
  return `SELECT ${columns}, lines.line AS raw_record FROM (${notAccepted}) AS result LEFT JOIN ${rawTable} AS lines ON lines.record = result.source_record`;
}

export interface PlanInput {
  readonly lake: S3ObjectStore;
  /** the landing key */
  readonly file: string;
  readonly fp: Fingerprint;
  readonly format: SqlFormat;
  /** notes the stage adds (person ids not checked) */
  readonly notes: readonly string[];
  readonly params: IngestParamsOptions;
}

/** the query's statements and outputs once its text (with `ingest_params` and `raw_records`) and the table's DDL are known */
function planned(
  { lake, file, fp, format }: PlanInput,
  query: string,
  items: readonly (readonly [string, string])[],
  createTable: string,
  rest: Pick<AthenaIngestPlan, 'notes' | 'fieldNames' | 'numbered'>,
): AthenaIngestPlan {
  // the format's query runs once, into the file's result table (result-table.ts), preceded by `raw_records` and
  // `ingest_params`; each output reads that table, a table query and the finding its accepted rows as
  // `ingest_accepted`, as the local runner gives them (lib/ingest/sql/run-file.ts)
  const rawTable = rawTableName(fp.sha16);
  const result = resultTableName(fp.sha16);
  const accepted = `SELECT * FROM ${result} WHERE ${ACCEPTED}`;
  const params = items.filter(([name]) => name === 'ingest_params');
  const overAccepted = (sql: string) => withItems(sql, [...params, ['ingest_accepted', accepted]]);
  const selects: [name: string, select: string][] = format.tables.map((t) => {
    const tableQuery = format.tableQueries?.[t.name];
    const relation = tableQuery === undefined ? `(${accepted}) AS accepted` : `(\n${overAccepted(loadIngestQuery(tableQuery))}\n) AS made`;
    return [t.name, typedSelect(t, fp.sha256, relation)];
  });
  selects.push([REJECTED, rejectedSelect(result, rest.numbered, rawTable)]);
  if (format.finding) {
    const text = format.finding.columns.map((c) => `CAST(${c} AS VARCHAR) AS ${c}`).join(', ');
    selects.push([FINDING, `SELECT ${text} FROM (\n${overAccepted(format.finding.sql())}\n) AS found`]);
  }
  // a numbered file's accepted records: the distinct record numbers of the first table's rows (a panel is one record)
  if (rest.numbered) selects.push([ACCEPTED_RECORDS, `SELECT CAST(count(DISTINCT source_record) AS BIGINT) AS records FROM ${result} WHERE ${ACCEPTED}`]);
  const outputs = selects.map(([name]) => ({ name, folder: stagedOutputFolder(fp.sha16, name) }));
  const body = withItems(query.trim().replace(/;$/, ''), items);
  const sqls = [
    createTable,
    ...resultTableSqls(result, body, lake.urlOf(stagedResultFolder(fp.sha16))),
    ...selects.map(([name, select]) => unloadSql(select, lake.urlOf(stagedOutputFolder(fp.sha16, name)))),
  ];
  const callId = randomUUID();
  return { file, sha256: fp.sha256, format: format.format, rawTable, resultTable: result, statements: sqls.map((sql) => ({ sql, token: requestToken(sql, callId) })), outputs, ...rest };
}

/** throws the runner's MissingColumnError when the header lacks a column the format needs, as locally */
export function planAthenaIngest(input: PlanInput): AthenaIngestPlan {
  const { file, fp, format } = input;
  if (!/^[0-9a-f]{64}$/.test(fp.sha256)) throw new Error(`not a sha256: ${fp.sha256}`);
  if (format.kind === 'ndjson') return planNdjson(input);
  // a vendor mapping's query is made from the file's own zones (lib/ingest/sql/vendor-csv.ts); the function has no mapping
  if (typeof format.query !== 'string') {
    throw new Error(`${file}: a vendor device CSV is read through a --map mapping, which the AWS ingest function does not take: ingest it with \`stratify ingest --map\``);
  }
  const header = bindHeader(headerNames(fp.head), format);
  if (header.duplicates.length > 0) {
    // the runner's rule for a column named twice reads its copies as a DuckDB list; not ported to Athena yet
    throw new Error(`a header naming a column twice (${header.duplicates.map((d) => d.name).join(', ')}) is not read on AWS: send each column once`);
  }
  const rawTable = rawTableName(fp.sha16);
  const items = [
    ['ingest_params', ingestParamsSelect(file, fp.sha256, input.params)],
    ['raw_records', rawRecordsSql(rawTable, header)],
  ] as const;
  const createTable = createRawTableSql(rawTable, header.width, input.lake.urlOf(stagedRawFolder(fp.sha16)));
  return planned(input, loadIngestQuery(format.query), items, createTable, {
    notes: [...input.notes, ...header.notes],
    fieldNames: Object.fromEntries(header.columns.map((c) => [c.name, c.field])),
    numbered: false,
  });
}

/** device NDJSON: its table over the numbered staging copy (stage.ts stageNumberedLines), the fields as JSON text */
function planNdjson(input: PlanInput): AthenaIngestPlan {
  const { file, fp } = input;
  const rawTable = rawTableName(fp.sha16);
  const items = [
    ['ingest_params', ingestParamsSelect(file, fp.sha256, input.params)],
    ['raw_records', linesRawRecordsSql(rawTable, DEVICE_FIELDS)],
  ] as const;
  return planned(input, deviceNdjsonQuery(), items, createLinesTableSql(rawTable, input.lake.urlOf(stagedRawFolder(fp.sha16))), { notes: [...input.notes], fieldNames: {}, numbered: true });
}
