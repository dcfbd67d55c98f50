/**
 * The floor under a device file's ingest: the least work any ingest of it must do, and no rule. The lines or records
 * numbered (into a table, which keeps the file's order), each parsed to typed fields, a blood-pressure panel split
 * into its two values, and the rows written to one zstd Parquet file, in a fresh DuckDB instance on the ingest's two
 * threads. No check, no join with the persons, no time zone, no quarantine, no parts. When this alone is near 1.5
 * times DuckDB's own COPY of the file (bench/duckdb-copy.ts), no ingest that also applies the rules can be under it.
 * Returns its seconds.
 */
import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { sqlString } from '../lib/sql/params.js';

/** a device NDJSON line's fields, typed as the observations row needs them */
const READING = JSON.stringify({
  person_id: 'VARCHAR',
  device_id: 'VARCHAR',
  measured_at: 'VARCHAR',
  code: 'VARCHAR',
  value: 'DOUBLE',
  unit: 'VARCHAR',
  components: 'STRUCT(code VARCHAR, value DOUBLE, unit VARCHAR)[]',
});

/** the statements of the floor of a device NDJSON file (lines, then a panel's components as rows) */
function ndjsonFloor(path: string, out: string): string[] {
  const component = (field: string) => `case when d.components is null then d.${field} else d.components[i + 1].${field} end`;
  return [
    `CREATE TABLE lines AS SELECT line FROM read_csv(${sqlString(path)}, columns = {'line': 'VARCHAR'}, delim = '\\x01', quote = '', escape = '', header = false, auto_detect = false, strict_mode = false)`,
    `COPY (SELECT source_record, d.person_id, cast(d.measured_at AS TIMESTAMPTZ) AS observed_at, ${component('code')} AS loinc_code, ` +
      `${component('value')} AS value, ${component('unit')} AS unit, d.device_id ` +
      `FROM (SELECT rowid + 1 AS source_record, from_json(line, ${sqlString(READING)}) AS d FROM lines), range(0, 2) AS r (i) ` +
      `WHERE i = 0 OR d.components IS NOT NULL) TO ${sqlString(out)} (FORMAT parquet, COMPRESSION zstd)`,
  ];
}

/**
 * the floor of the bench's vendor CSV (bench/vendor-export.ts): its records, then a `132/84` reading as two values,
 * the local time parsed but not placed in its zone (the zone's offset is more work the floor leaves out)
 */
function vendorFloor(path: string, out: string): string[] {
  const panel = "strpos(ReadingValue, '/') > 0";
  return [
    `CREATE TABLE records AS SELECT * FROM read_csv(${sqlString(path)}, header = true, all_varchar = true)`,
    `COPY (SELECT rowid + 1 AS source_record, PatientMRN AS person_id, strptime(ReadingDateTime, '%m/%d/%Y %I:%M:%S %p') AS observed_at, ` +
      `ReadingType AS code, cast(CASE WHEN ${panel} THEN split_part(ReadingValue, '/', i + 1) ELSE ReadingValue END AS DOUBLE) AS value, ` +
      `ReadingUnit AS unit, DeviceSerial AS device_id FROM records, range(0, 2) AS r (i) WHERE i = 0 OR ${panel}) ` +
      `TO ${sqlString(out)} (FORMAT parquet, COMPRESSION zstd)`,
  ];
}

/** the floor's seconds for a device file: NDJSON by its extension, else the bench's vendor CSV */
export async function deviceFloorSeconds(path: string): Promise<number> {
  const out = join(tmpdir(), `stratify-bench-floor-${process.pid}.parquet`);
  const instance = await DuckDBInstance.create(':memory:', { threads: '2' });
  const connection = await instance.connect();
  try {
    const t0 = performance.now();
    for (const statement of path.endsWith('.ndjson') ? ndjsonFloor(path, out) : vendorFloor(path, out)) await connection.run(statement);
    return (performance.now() - t0) / 1000;
  } finally {
    connection.closeSync();
    instance.closeSync();
    await rm(out, { force: true });
  }
}
