/**
 * The plan of one landing file's Athena ingest: the statements to run in order (the file's table, then one UNLOAD
 * per output), and what the commit needs afterwards. It is plain JSON: the ingest function runs it itself (a file up
 * to `deploy.ingest_large_file_bytes`) or hands it to the ingest state machine as the execution's input.
 */
import type { InputFormat } from '../types.js';

export interface AthenaStatement {
  readonly sql: string;
  /** the ClientRequestToken of its start, drawn once: every retry of the start names the same execution */
  readonly token: string;
}

export interface AthenaIngestPlan {
  /** the landing key, as quarantine lines and the manifest name it */
  readonly file: string;
  readonly sha256: string;
  readonly format: InputFormat;
  /** the file's external table */
  readonly rawTable: string;
  readonly statements: readonly AthenaStatement[];
  /** the folders the UNLOADs write: a curated table's rows, or the records not accepted (`rejected`) */
  readonly outputs: readonly { readonly name: string; readonly folder: string }[];
  /** the file's notes known before its records are read (a column the file lacks) */
  readonly notes: readonly string[];
  /** the token of the file's marker (ingesting/<sha16>.json) when it was handed over with the plan */
  readonly markerToken?: string;
}
