/**
 * distinctValuesSql (lib/ingest/sql/raw-records.ts) reads a column's distinct values from the file's fields, not
 * through raw_records; a vendor mapping's zones are checked with it before its query is made. Its values must be
 * raw_records' own: trimmed as JavaScript trims, NULL (left out) when empty.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { IngestDb } from '../../../lib/ingest/sql/db.js';
import { bindHeader } from '../../../lib/ingest/sql/header.js';
import { CSV_TABLE, distinctValuesSql, rawRecordsSql } from '../../../lib/ingest/sql/raw-records.js';
import { vendorCsvSql } from '../../../lib/ingest/sql/vendor-csv.js';
import { parseMapping } from '../../../lib/ingest/vendor-mapping.js';

const MAPPING = parseMapping('zones.mapping.json', {
  person: 'patient',
  time: { column: 'taken', format: 'MM/dd/yyyy hh:mm a', zone_column: 'tz' },
  long: { measure: 'type', value: 'reading', measures: { PUL: 'heart_rate' } },
  units: {},
});

describe('distinctValuesSql', () => {
  let db: IngestDb;
  const zonesOf = async (sql: string) => (await db.query<{ zone: string }>(sql)).map((r) => r.zone).sort();
  beforeAll(async () => {
    db = await IngestDb.open();
  });
  afterAll(() => db.close());

  it("gives a column's distinct values as raw_records has them: trimmed, an empty or blank one left out", async () => {
    // tz (c5): a zone plain, padded with a space and a tab, with a no-break space; blank, empty, absent; UTC in a
    // record whose other fields are padded (raw_records' record-level test sends it through the trim)
    const header = bindHeader(['patient', 'taken', 'type', 'reading', 'tz'], vendorCsvSql(MAPPING));
    const rows = [
      ["'P1'", "'America/Chicago'"],
      ["'P2'", "' America/Chicago\t'"],
      ["'P3'", "'\u00a0America/Chicago'"],
      ["'P4'", "' \t'"],
      ["'P5'", "''"],
      ["'P6'", 'NULL'],
      ["' P7'", "'UTC'"],
    ];
    await db.run(
      `CREATE TABLE ${CSV_TABLE} AS ` +
        rows.map(([p, z]) => `SELECT ${p} AS c1, '01/02/2026 07:05 PM' AS c2, 'PUL' AS c3, '70' AS c4, CAST(${z} AS VARCHAR) AS c5`).join(' UNION ALL '),
    );
    await db.run(`CREATE VIEW raw_records AS ${rawRecordsSql(header)}`);
    // the two values once each: America/Chicago (P1-P3 trimmed), UTC (P7)
    expect(await zonesOf(distinctValuesSql(header, 'zone'))).toEqual(['America/Chicago', 'UTC']);
    expect(await zonesOf('SELECT DISTINCT zone FROM raw_records WHERE zone IS NOT NULL')).toEqual(['America/Chicago', 'UTC']);
  });
});
