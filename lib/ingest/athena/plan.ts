/**
 * The plan of one landing file's Athena ingest: the statements to run in order (the file's table, then one UNLOAD
 * per output), and what the commit needs afterwards. It is plain JSON: the ingest function runs it itself (a file up
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
import type { InputFormat } from '../types.js';
import { createRawTableSql, rawRecordsSql, rawTableName, withItems } from './raw-table.js';
import { stagedOutputFolder, stagedRawFolder } from './stage.js';

export interface AthenaStatement {
  readonly sql: string;
  /** the ClientRequestToken of its start, drawn once: every retry of the start names the same execution */
  readonly token: string;
}

/** the output of the records not accepted */
export const REJECTED = 'rejected';

/** the output of what the file says as a whole (SqlFormat.finding), one row of text columns */
export const FINDING = 'finding';

export interface AthenaIngestPlan {
  /** the landing key, as quarantine lines and the manifest name it */
  readonly file: string;
  readonly sha256: string;
  readonly format: InputFormat;
  /** the file's external table */
  readonly rawTable: string;
  readonly statements: readonly AthenaStatement[];
  /** the folders the UNLOADs write: a curated table's rows (by table name), or the records not accepted (REJECTED) */
  readonly outputs: readonly { readonly name: string; readonly folder: string }[];
  /** the file's notes known before its records are read (a column the file lacks, person ids not checked) */
  readonly notes: readonly string[];
  /** quarantine blames a record's field by the header's name for it (`patient_id` in the older layout) */
  readonly fieldNames: Readonly<Record<string, string>>;
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

/** the accepted rows of the format's result, which a table query and the finding read as `ingest_accepted` */
function acceptedSelect(query: string): string {
  return `SELECT * FROM (\n${query}\n) AS result WHERE ${ACCEPTED}`;
}

function rejectedSelect(query: string): string {
  return (
    'SELECT source_record, reject_field, reject_reason, reject_value, reject_value_type, skip_reason, raw_record ' +
    `FROM (\n${query}\n) AS result WHERE NOT (${ACCEPTED})`
  );
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

/** throws the runner's MissingColumnError when the header lacks a column the format needs, as locally */
export function planAthenaIngest({ lake, file, fp, format, notes, params }: PlanInput): AthenaIngestPlan {
  if (!/^[0-9a-f]{64}$/.test(fp.sha256)) throw new Error(`not a sha256: ${fp.sha256}`);
  // the file's table reads CSV (raw-table.ts); a format of another kind is not planned for Athena yet
  if (format.kind !== 'csv') throw new Error(`${file}: a ${format.kind} format is not ingested on AWS yet`);
  const header = bindHeader(headerNames(fp.head), format);
  if (header.duplicates.length > 0) {
    // the runner's rule for a column named twice reads its copies as a DuckDB list; not ported to Athena yet
    throw new Error(`a header naming a column twice (${header.duplicates.map((d) => d.name).join(', ')}) is not read on AWS: send each column once`);
  }
  // a vendor mapping's query is made from the file's own zones (lib/ingest/sql/vendor-csv.ts); the function has no mapping
  if (typeof format.query !== 'string') throw new Error(`${file}: a format whose query is made from a mapping is not ingested on AWS yet`);
  const formatQuery = loadIngestQuery(format.query);
  const rawTable = rawTableName(fp.sha16);
  const inputs: [string, string][] = [
    ['ingest_params', ingestParamsSelect(file, fp.sha256, params)],
    ['raw_records', rawRecordsSql(rawTable, header)],
  ];
  const query = withItems(formatQuery, inputs);
  // a table query and the finding read the accepted rows as the local runner gives them (lib/ingest/sql/run-file.ts)
  const overAccepted = (sql: string) => withItems(sql, [...inputs, ['ingest_accepted', acceptedSelect(formatQuery)]]);
  const selects: [name: string, select: string][] = format.tables.map((t) => {
    const tableQuery = format.tableQueries?.[t.name];
    return [t.name, typedSelect(t, fp.sha256, tableQuery === undefined ? `(\n${acceptedSelect(query)}\n) AS accepted` : `(\n${overAccepted(loadIngestQuery(tableQuery))}\n) AS made`)];
  });
  selects.push([REJECTED, rejectedSelect(query)]);
  if (format.finding) {
    const text = format.finding.columns.map((c) => `CAST(${c} AS VARCHAR) AS ${c}`).join(', ');
    selects.push([FINDING, `SELECT ${text} FROM (\n${overAccepted(format.finding.sql())}\n) AS found`]);
  }
  const outputs = selects.map(([name]) => ({ name, folder: stagedOutputFolder(fp.sha16, name) }));
  const sqls = [createRawTableSql(rawTable, header.width, lake.urlOf(stagedRawFolder(fp.sha16))), ...selects.map(([name, select]) => unloadSql(select, lake.urlOf(stagedOutputFolder(fp.sha16, name))))];
  const callId = randomUUID();
  return {
    file,
    sha256: fp.sha256,
    format: format.format,
    rawTable,
    statements: sqls.map((sql) => ({ sql, token: requestToken(sql, callId) })),
    outputs,
    notes: [...notes, ...header.notes],
    fieldNames: Object.fromEntries(header.columns.map((c) => [c.name, c.field])),
  };
}
