/**
 * The ingest stage's vocabulary: what it reads (sources), which input formats it knows, and what it reports per file.
 * The report is also what `manifests/<sha16>.json` persists, so a re-ingest of the same bytes can answer from it.
 */
import type { Readable } from 'node:stream';
import type { ClaimConventions } from './claim-amounts.js';

/** One file to ingest, wherever it lives (object store key or local path). */
export interface IngestSource {
  /** display name: the store key or the path; also what `source_file` and quarantine lines carry */
  readonly name: string;
  /** bytes as delivered (compressed, for a .gz), when the listing says; progress counts against the hashed size */
  readonly size?: number;
  /** the file's path on this machine, when it has one (engines that read files themselves use it) */
  readonly path?: string;
  /** a fresh stream of the file's bytes; ingest opens a source twice (hash pass, then parse pass) */
  open(): Readable;
}

export type InputFormat =
  | 'tuva-eligibility'
  | 'tuva-medical-claim'
  | 'tuva-pharmacy-claim'
  | 'tuva-observation'
  | 'tuva-lab-result'
  | 'device-ndjson'
  /** a remote-monitoring vendor's CSV export, read through a column mapping (`--map`, vendor-mapping.ts) */
  | 'vendor-csv'
  /** FHIR R4 bulk-export NDJSON, one resource a line (fhir/readers.ts) */
  | 'fhir-ndjson'
  /** a FHIR R4 JSON document: a Bundle or a single resource (fhir/readers.ts) */
  | 'fhir-json';

/**
 * What happened to one file. Every record read is accounted for: read = accepted + quarantined + skippedRecords.
 * `skippedRecords` counts records that are valid but hold nothing Stratify stores (e.g. a lab test that is not one
 * of the monitored measures); `skipReasons` breaks them down as `reasons` does for the quarantined ones.
 */
export interface IngestReport {
  file: string;
  format: InputFormat | 'unknown';
  sha256: string;
  read: number;
  accepted: number;
  quarantined: number;
  skippedRecords: number;
  /** quarantine reason → records */
  reasons: Record<string, number>;
  /** skip reason → records */
  skipReasons: Record<string, number>;
  /** curated table → rows written */
  rows: Record<string, number>;
  /** decisions worth knowing about, e.g. that person ids could not be checked */
  notes: string[];
  /** a medical-claims file's conventions: header or line amounts, negative lines (claim-amounts.ts) */
  conventions?: ClaimConventions;
  /**
   * curated table → records of this file whose key an earlier delivery already had (a resend, a corrected claim):
   * they replaced those versions, they were not added (lib/tables/deliveries.ts); absent when not counted
   */
  replaced?: Record<string, number>;
  /** the header variant the file was read with: 'person_id' or 'patient_id' for Tuva CSV */
  layout?: string;
  /** the file arrived gzip-compressed (detected by its magic bytes) and was read through zlib */
  gzip?: boolean;
  /** the column-mapping file a vendor CSV was read with */
  mapping?: string;
  /**
   * set when nothing was written: 'already-ingested' when the same bytes were ingested before (the counts are the
   * earlier run's), 'not-read' for a file of a kind Stratify has no use for (the reason is in `notes`)
   */
  skipped?: 'already-ingested' | 'not-read';
  /** set when the file was not ingested (unknown format, unreadable, malformed beyond one record) */
  error?: string;
  /** wall-clock seconds this run spent on the file (hashing pass included); 0 when it was skipped */
  seconds?: number;
}

/** `manifests/<sha16>.json`, written after everything else of a file, so its presence means the file is complete. */
export interface IngestManifest {
  file: string;
  sha256: string;
  format: InputFormat;
  read: number;
  accepted: number;
  quarantined: number;
  skipped: number;
  reasons: Record<string, number>;
  skip_reasons: Record<string, number>;
  rows: Record<string, number>;
  notes: string[];
  /** a medical-claims file's conventions (claim-amounts.ts) */
  conventions?: ClaimConventions;
  /** ISO 8601 instant the manifest was committed: the order of deliveries */
  ingested_at: string;
  /** as in the report, set once the engine has counted them after the commit */
  replaced?: Record<string, number>;
}

/** One rejected record as written to `quarantine/<sha16>.ndjson`. */
export interface QuarantineLine {
  file: string;
  /** 1-based data record number (CSV: header excluded; NDJSON: line number) */
  record: number;
  field: string;
  reason: string;
  value: unknown;
  /** the record as it arrived (a CSV line re-quoted, or the JSON line), so it can be fixed and sent again */
  raw: string;
}
