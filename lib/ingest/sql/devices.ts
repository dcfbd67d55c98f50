/**
 * The SQL of the device formats, composed: the format's own select (queries/ingest/device_ndjson.sql, or the vendor
 * CSV select generated from a `--map` mapping by vendor-csv.ts) as `device_values`, then the rules every device
 * format shares (queries/ingest/device_readings.sql). The measures and their units come from units.ts, as VALUES, so
 * the SQL and the TypeScript readers that remain (FHIR, Tuva observations) share one table of units and ranges.
 * The query reads `raw_records`, `members` (person_id, distinct; empty: the check is off) and `ingest_params`
 * (source_file, ingested_at, delivery_day). The raw text of a rejected record is the runner's to add (run-file.ts):
 * carried through the plan, it cost more than the rules.
 */
import { loadQuery } from '../../sql/queries.js';
import { observations } from '../../tables/index.js';
import { MEASURES } from '../units.js';
import type { SqlFormat } from './format.js';

/** a SQL string literal; callers pass only text from the code or a validated mapping */
export function sqlText(s: string): string {
  return `'${s.replaceAll("'", "''")}'`;
}

function measuresSql(): string {
  const rows = [...MEASURES].map(([loinc, m]) => `(${sqlText(loinc)}, ${sqlText(m.unit)}, ${m.min}e0, ${m.max}e0)`);
  return `select * from (values ${rows.join(', ')}) as t (loinc_code, canonical_unit, min_value, max_value)`;
}

function measureUnitsSql(): string {
  const rows = [...MEASURES].flatMap(([loinc, m]) => [...m.from].map(([unit, factor]) => `(${sqlText(loinc)}, ${sqlText(unit)}, ${factor}e0)`));
  return `select * from (values ${rows.join(', ')}) as t (loinc_code, unit_lower, factor)`;
}

const body = (sql: string) => sql.trim().replace(/;$/, '');

/** the whole query of a device format whose select of `device_values` is `formatSql` */
export function deviceQuery(formatSql: string): string {
  return [
    'with',
    `measures as (\n${measuresSql()}\n),`,
    `measure_units as (\n${measureUnitsSql()}\n),`,
    `device_values as (\n${body(formatSql)}\n),`,
    `device_readings as (\n${body(loadQuery('ingest/device_readings'))}\n)`,
    'select * from device_readings',
  ].join('\n');
}

/** device NDJSON: raw_records holds each line and its fields' JSON text (ndjson-records.ts) */
export function deviceNdjsonQuery(): string {
  return deviceQuery(loadQuery('ingest/device_ndjson'));
}

/** device NDJSON on the SQL runner (run-file.ts) */
export const deviceNdjsonSql: SqlFormat = {
  kind: 'ndjson',
  format: 'device-ndjson',
  query: async () => deviceNdjsonQuery(),
  tables: [observations],
  columns: [],
};
