/**
 * The contract between the file driver and a format's reader. A reader is bound once per file (to the CSV header,
 * for CSV formats) and returns a mapper: raw record → the curated rows it yields, or a reason to skip it. A mapper
 * rejects a record by throwing RecordRejected; it returns rows only when ALL of them are valid, so a record is
 * stored whole or quarantined whole, never in part.
 */
import type { CuratedTableName, TableDef } from '../tables/index.js';
import type { ClaimConventions } from './claim-amounts.js';
import type { CsvHeader } from './csv-header.js';
import type { PersonCheck } from './known-persons.js';
import type { InputFormat } from './types.js';

export type CuratedTable = TableDef<CuratedTableName, unknown>;

export interface CuratedRow {
  readonly table: CuratedTable;
  readonly row: Record<string, unknown>;
}

export type Mapped = { readonly rows: readonly CuratedRow[] } | { readonly skip: string };

export interface MapperEnv {
  /** the source name, stored in every row's `source_file` */
  readonly sourceFile: string;
  readonly persons: PersonCheck;
  /** called with each person whose eligibility span was accepted */
  readonly addPerson: (personId: string) => void;
  /** records a decision taken on an accepted record; the file's report notes each one with how many records it hit */
  readonly note?: (decision: string) => void;
  /** a note on the whole file, taken once (a column it lacks), for its report */
  readonly fileNote?: (note: string) => void;
  /** registers what the reader finds about the whole file (a claims file's amount convention), asked for at its end */
  readonly finding?: (atEnd: () => FileFinding) => void;
}

/** what a reader found about a whole file: conventions for the manifest, and a note for the report when it says something */
export interface FileFinding {
  readonly conventions: ClaimConventions;
  readonly note: string | null;
}

interface ReaderBase {
  readonly format: InputFormat;
  /** the tables this format writes, for the report and for clearing a failed earlier attempt */
  readonly tables: readonly CuratedTable[];
}

export interface CsvReader extends ReaderBase {
  readonly kind: 'csv';
  /** throws MissingColumnError when the header lacks a column the format cannot do without */
  bind(header: CsvHeader, env: MapperEnv): (fields: readonly string[]) => Mapped;
}

export interface NdjsonReader extends ReaderBase {
  readonly kind: 'ndjson';
  bind(env: MapperEnv): (line: string) => Mapped;
}

/** a record of a file read whole as one document (fhir-json: a Bundle entry, or the single resource) */
export interface DocumentRecord {
  /** 1-based record number quarantine reports (a Bundle's entry number) */
  readonly record: number;
  map(): Mapped;
  raw(): string;
}

export interface DocumentReader extends ReaderBase {
  readonly kind: 'document';
  /** the document's records, in the order to map them; throws when the document itself cannot be read */
  bind(env: MapperEnv): (text: string) => readonly DocumentRecord[];
}

export type FormatReader = CsvReader | NdjsonReader | DocumentReader;
