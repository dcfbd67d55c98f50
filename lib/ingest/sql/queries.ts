/** The format queries of queries/ingest/, by name (`tuva_eligibility` → queries/ingest/tuva_eligibility.sql). */
import { readFileSync, readdirSync } from 'node:fs';
import { QUERIES_DIR } from '../../sql/queries.js';

export const INGEST_QUERIES_DIR = `${QUERIES_DIR}ingest/`;

/** the query's text, without a trailing semicolon (it is run inside CREATE TABLE … AS) */
export function loadIngestQuery(name: string): string {
  return readFileSync(`${INGEST_QUERIES_DIR}${name}.sql`, 'utf8').trim().replace(/;$/, '');
}

export function listIngestQueries(): string[] {
  return readdirSync(INGEST_QUERIES_DIR)
    .filter((f) => f.endsWith('.sql'))
    .map((f) => f.slice(0, -4))
    .sort();
}
