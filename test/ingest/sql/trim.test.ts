/**
 * The SQL runner trims every field of every CSV format as JavaScript's trim() does, as the TypeScript readers did:
 * tabs, no-break spaces and byte-order marks too, not only spaces (DuckDB's and Trino's trim()), and a field of white
 * space alone is empty.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { IngestDb } from '../../../lib/ingest/sql/db.js';
import { bindHeader } from '../../../lib/ingest/sql/header.js';
import { tuvaPharmacyClaimSql } from '../../../lib/ingest/sql/formats.js';
import { CSV_TABLE, rawRecordsSql } from '../../../lib/ingest/sql/raw-records.js';
import { ingest } from '../../../lib/pipeline/ingest.js';
import { quarantineLines, testContext, textSource, type TestContext } from '../helpers.js';

const ELIGIBILITY = 'person_id,birth_date,gender,enrollment_start_date,enrollment_end_date,hospice_flag';
const PHARMACY = 'claim_id,claim_line_number,person_id,dispensing_date,ndc_code,quantity,days_supply,paid_amount';

describe('trimming in the SQL runner', () => {
  let ctx: TestContext;
  beforeEach(async () => {
    ctx = await testContext();
  });
  afterEach(() => ctx.dispose());

  it('accepts eligibility and pharmacy fields padded with tabs, no-break spaces and byte-order marks, trimmed', async () => {
    const eligibility = [
      ELIGIBILITY,
      'P1\t,\u00a01950-01-01,\tF\u00a0,2020-01-01\ufeff,2020-12-31, 1\t',
      'P2,1960-05-05,m,2020-01-01,2020-12-31,\u3000', // an ideographic space alone: no flag
    ].join('\n');
    const pharmacy = [PHARMACY, '\tRX1,1\u00a0,\ufeffP1,\u00a02020-03-01\t,\t00002-1433-80\u00a0,\t30,30\u2003,12.50\t'].join('\n');
    const reports = await ingest(ctx, [textSource('landing/eligibility.csv', `${eligibility}\n`), textSource('landing/pharmacy_claim.csv', `${pharmacy}\n`)], {
      countReplaced: false,
    });
    expect(reports.map((r) => [r.format, r.read, r.accepted, r.quarantined])).toEqual([
      ['tuva-eligibility', 2, 2, 0],
      ['tuva-pharmacy-claim', 1, 1, 0],
    ]);
    expect(await quarantineLines(ctx)).toEqual([]);
    const members = await ctx.engine.query('SELECT person_id, CAST(birth_date AS VARCHAR) AS birth, sex, CAST(enrollment_start_date AS VARCHAR) AS start, hospice_flag FROM members ORDER BY person_id');
    expect(members).toEqual([
      { person_id: 'P1', birth: '1950-01-01', sex: 'female', start: '2020-01-01', hospice_flag: true },
      { person_id: 'P2', birth: '1960-05-05', sex: 'male', start: '2020-01-01', hospice_flag: null },
    ]);
    const fills = await ctx.engine.query(
      'SELECT claim_id, claim_line_number, person_id, CAST(dispensing_date AS VARCHAR) AS day, ndc_code, quantity, days_supply, paid_amount FROM pharmacy_claims',
    );
    // 00002-1433-80 is the 5-4-2 layout: its 11 digits as they are
    expect(fills).toEqual([{ claim_id: 'RX1', claim_line_number: 1, person_id: 'P1', day: '2020-03-01', ndc_code: '00002143380', quantity: 30, days_supply: 30, paid_amount: 12.5 }]);
  });

  it("passes a clean record's fields as they are, and an empty field, which DuckDB's reader never gives, as absent", async () => {
    // raw_records' fast path takes a record whose every field starts and ends in printable ASCII as it is; an empty
    // text must not count as such, alone in its record (c1 here: the other columns are NULL) or beside other fields
    const header = bindHeader(PHARMACY.split(','), tuvaPharmacyClaimSql);
    const db = await IngestDb.open();
    try {
      const columns = (values: string[]) => values.map((v, i) => `${v} AS c${i + 1}`).join(', ');
      const empty = Array.from({ length: 8 }, () => 'CAST(NULL AS VARCHAR)');
      await db.run(
        `CREATE TABLE ${CSV_TABLE} AS SELECT ${columns(["''", ...empty.slice(1)])} UNION ALL SELECT ${columns(["'RX1'", "''", "'P1'", ...empty.slice(3)])} ` +
          `UNION ALL SELECT ${columns(["'RX2'", "'1'", "'P2'", ...empty.slice(3)])}`,
      );
      const rows = await db.query(`SELECT claim_id, claim_line_number, person_id FROM (${rawRecordsSql(header)}) ORDER BY source_record`);
      expect(rows).toEqual([
        { claim_id: null, claim_line_number: null, person_id: null },
        { claim_id: 'RX1', claim_line_number: null, person_id: 'P1' },
        { claim_id: 'RX2', claim_line_number: '1', person_id: 'P2' },
      ]);
    } finally {
      db.close();
    }
  });
});
