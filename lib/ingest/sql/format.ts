/**
 * A volume format ingested by SQL (lib/ingest/sql/README in lib/ingest/README.md): the columns its file is read
 * through, the query of queries/ingest/ that validates and normalises its records, and the curated tables it writes.
 */
import type { SqlRow } from '../../sql/port.js';
import type { CuratedTableName } from '../../tables/index.js';
import type { ClaimConventions } from '../claim-amounts.js';
import type { CuratedTable } from '../mapper.js';
import type { InputFormat } from '../types.js';

/** a column of the file, by its canonical lowercase name; `raw_records` carries it as VARCHAR under that name */
export interface SqlColumn {
  readonly name: string;
  /** the header name to look for, when it is not `name` (a vendor mapping's columns) */
  readonly header?: string;
  /** other header names for the same column, tried after `name` (the older layout's `patient_id` for `person_id`) */
  readonly aliases?: readonly string[];
  /** a file without it cannot be read (`missing column …`); otherwise an absent column reads as NULL */
  readonly required?: boolean;
  /** when absent, the file's report notes `no <name> column: <absent>` */
  readonly absent?: string;
}

export interface SqlFormat {
  /** how `raw_records` is read: a CSV file with a header (raw-records.ts), or NDJSON lines (ndjson-records.ts) */
  readonly kind: 'csv' | 'ndjson';
  readonly format: InputFormat;
  /**
   * `queries/ingest/<query>.sql`, the rules as portable Trino over `raw_records` and `ingest_params`; or the query's
   * text, made once `raw_records` exists (`first` runs a query over it: a vendor mapping's zones are checked first;
   * `distinct`, for a CSV, gives the SQL of a column's distinct values, NULL left out, cheaper than over raw_records)
   */
  readonly query: string | ((first: (sql: string) => Promise<SqlRow[]>, distinct?: (column: string) => string) => Promise<string>);
  /** the tables written, each from the accepted rows of the query's result by its column names */
  readonly tables: readonly CuratedTable[];
  /**
   * a table whose rows are not the result's accepted rows one for one (a claim line's diagnoses, in long form): the
   * query of queries/ingest/ that makes them from `ingest_accepted` (the accepted rows of the result), with
   * `source_record` and the table's columns
   */
  readonly tableQueries?: Partial<Record<CuratedTableName, string>>;
  /** the columns read, in the order a missing required one is named (the first missing one is) */
  readonly columns: readonly SqlColumn[];
  /** eligibility: its persons are known persons for the files after it, and it is not itself checked against them */
  readonly makesMembers?: boolean;
  /**
   * what the file says as a whole (a claims file's amount convention): the query that finds it from
   * `ingest_accepted` (one row; its text, which may compose models of queries/), and what that row means for the
   * manifest and the report; `columns` names the row's columns (Athena UNLOADs them as text: lib/ingest/athena/plan.ts)
   */
  readonly finding?: { readonly sql: () => string; readonly columns: readonly string[]; readonly of: (row: SqlRow) => SqlFinding };
}

/** a file's finding: the manifest's `conventions`, a note for its report, and decisions taken on records, counted */
export interface SqlFinding {
  readonly conventions?: ClaimConventions;
  readonly note: string | null;
  /** decision → how many accepted records it was taken on (`7 records: …` in the notes) */
  readonly decisions: Readonly<Record<string, number>>;
}
