/**
 * The same records delivered again are not counted again (lib/tables/deliveries.ts): claim lines are keyed by claim
 * id and line number, pharmacy lines the same, eligibility spans by person and span start, readings by person,
 * device, code and instant; the latest delivery of a key wins in the SQL tables and in the features, a claim's
 * diagnoses come whole from its latest delivery (also once compaction has merged the parts of several deliveries),
 * and the ingest report says how many records a file replaced.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compactCurated } from '../../lib/pipeline/compact.js';
import { featureParams, featuresQuery } from '../../lib/pipeline/features.js';
import { ingest, type StageReport } from '../../lib/pipeline/ingest.js';
import { quarantineTotals } from '../../lib/pipeline/run.js';
import { earlierRowsSql, medical_claims } from '../../lib/tables/index.js';
import { testContext, textSource, type TestContext } from './helpers.js';

const ELIGIBILITY_HEADER = 'person_id,gender,birth_date,enrollment_start_date,enrollment_end_date';
const CLAIM_HEADER = 'claim_id,claim_line_number,claim_type,person_id,claim_start_date,claim_end_date,paid_amount,diagnosis_code_type,diagnosis_code_1,diagnosis_code_2';
const PHARMACY_HEADER = 'claim_id,claim_line_number,person_id,dispensing_date,ndc_code,paid_amount';
const csv = (header: string, ...lines: string[]) => [header, ...lines].join('\n') + '\n';
const reading = (person: string, at: string, value: number) =>
  JSON.stringify({ person_id: person, device_id: 'BPM-1', measured_at: at, code: '8867-4', value, unit: '/min' });

describe('ingest: records delivered again', () => {
  let ctx: TestContext;
  let first: StageReport[];
  let second: StageReport[];

  beforeAll(async () => {
    ctx = await testContext();
    first = await ingest(ctx, [
      textSource('eligibility_2025-01.csv', csv(ELIGIBILITY_HEADER, 'P1,female,1950-01-01,2024-01-01,2026-12-31', 'P2,male,1952-05-05,2024-01-01,2026-12-31')),
      textSource(
        'claims_2025-03.csv',
        csv(
          CLAIM_HEADER,
          'C1,1,professional,P1,2025-03-01,2025-03-01,100.00,icd-10-cm,E11.9,I10',
          'C1,2,professional,P1,2025-03-01,2025-03-01,50.00,icd-10-cm,E11.9,I10',
          'C2,1,professional,P2,2025-03-02,2025-03-02,30.00,icd-10-cm,J44.9,',
        ),
      ),
      textSource('rx_2025-03.csv', csv(PHARMACY_HEADER, 'R1,1,P1,2025-03-05,00093721401,20.00', 'R2,1,P2,2025-03-06,00093721401,5.00')),
      textSource('readings_2025-03.ndjson', [reading('P1', '2025-03-01T08:00:00Z', 70), reading('P1', '2025-03-02T08:00:00Z', 72)].join('\n') + '\n'),
    ]);
    second = await ingest(ctx, [
      // a monthly full refresh: the same two spans, and a third person
      textSource(
        'eligibility_2025-02.csv',
        csv(ELIGIBILITY_HEADER, 'P1,female,1950-01-01,2024-01-01,2026-12-31', 'P2,male,1952-05-05,2024-01-01,2026-12-31', 'P3,female,1960-01-01,2025-01-01,2026-12-31'),
      ),
      // a corrected claim: C1 line 1 repriced and its I10 withdrawn; line 2 not sent again; a new claim C3
      textSource(
        'claims_2025-03_corrected.csv',
        csv(CLAIM_HEADER, 'C1,1,professional,P1,2025-03-01,2025-03-01,120.00,icd-10-cm,E11.9,', 'C3,1,professional,P3,2025-03-03,2025-03-03,40.00,icd-10-cm,I50.9,'),
      ),
      // the pharmacy file sent again (its bytes differ by a trailing blank line), and a device re-uploading one reading
      // beside a new one
      textSource('rx_2025-03_again.csv', csv(PHARMACY_HEADER, 'R1,1,P1,2025-03-05,00093721401,20.00', 'R2,1,P2,2025-03-06,00093721401,5.00', '')),
      textSource('readings_2025-03_b.ndjson', [reading('P1', '2025-03-02T08:00:00Z', 72), reading('P1', '2025-03-03T08:00:00Z', 75)].join('\n') + '\n'),
    ]);
  });
  afterAll(() => ctx.dispose());

  it('says in each report how many records replaced an earlier delivery', () => {
    expect(first.map((r) => r.replaced)).toEqual([{ members: 0 }, { medical_claims: 0 }, { pharmacy_claims: 0 }, { observations: 0 }]);
    // P1 and P2's spans; C1 line 1 (C3 is new); R1 and R2; the reading of 03-02
    expect(second.map((r) => r.replaced)).toEqual([{ members: 2 }, { medical_claims: 1 }, { pharmacy_claims: 2 }, { observations: 1 }]);
  });

  it('counts each key once in the SQL tables, the latest delivery winning', async () => {
    const count = async (table: string) => (await ctx.engine.query<{ n: number }>(`select count(*) as n from ${table}`))[0]!.n;
    // 3 spans (not 5), 4 claim lines (C1/1, C1/2, C2/1, C3/1; not 5), 2 fills (not 4), 3 readings (not 4)
    expect([await count('members'), await count('medical_claims'), await count('pharmacy_claims'), await count('observations')]).toEqual([3, 4, 2, 3]);
    const lines = await ctx.engine.query(`select claim_id, claim_line_number, paid_amount, source_file from medical_claims order by 1, 2`);
    expect(lines).toEqual([
      { claim_id: 'C1', claim_line_number: 1, paid_amount: 120, source_file: 'claims_2025-03_corrected.csv' },
      { claim_id: 'C1', claim_line_number: 2, paid_amount: 50, source_file: 'claims_2025-03.csv' },
      { claim_id: 'C2', claim_line_number: 1, paid_amount: 30, source_file: 'claims_2025-03.csv' },
      { claim_id: 'C3', claim_line_number: 1, paid_amount: 40, source_file: 'claims_2025-03_corrected.csv' },
    ]);
    // every version is still there to audit
    expect(await count('medical_claims_versions')).toBe(5);
  });

  it("takes a claim's diagnoses whole from its latest delivery: the corrected C1 has no I10", async () => {
    const dx = await ctx.engine.query(`select claim_id, icd10_code from diagnoses order by 1, 2`);
    expect(dx).toEqual([
      { claim_id: 'C1', icd10_code: 'E119' },
      { claim_id: 'C2', icd10_code: 'J449' },
      { claim_id: 'C3', icd10_code: 'I509' },
    ]);
  });

  it('builds the features from the latest versions: P1 paid 120 + 50 + 20, not 100 + 120 + 50 + 20 + 20', async () => {
    const rows = await ctx.engine.query<{ person_id: string; total_paid_12m: number }>(
      `select person_id, total_paid_12m from (${featuresQuery().trim()}) order by person_id`,
      featureParams('2025-06-30'),
    );
    expect(rows.map((r) => [r.person_id, r.total_paid_12m])).toEqual([
      ['P1', 190],
      ['P2', 35],
      ['P3', 40],
    ]);
  });

  it('keeps the latest versions once the parts are compacted (rows of several deliveries in one part), and the next ingest keeps the compacted parts', async () => {
    const compacted = await compactCurated(ctx.store, { smallBytes: 2 ** 30 });
    expect(compacted.find((t) => t.table === 'medical_claims')).toMatchObject({ partsBefore: 2, partsAfter: 1 });
    await ingest(ctx, []); // removes leftovers: a compacted part is none
    await ctx.engine.refresh();
    const count = async (table: string) => (await ctx.engine.query<{ n: number }>(`select count(*) as n from ${table}`))[0]!.n;
    expect([await count('members'), await count('medical_claims'), await count('pharmacy_claims'), await count('observations')]).toEqual([3, 4, 2, 3]);
    expect(await ctx.engine.query(`select paid_amount from medical_claims where claim_id = 'C1' and claim_line_number = 1`)).toEqual([{ paid_amount: 120 }]);
    expect(await count('medical_claims_versions')).toBe(5);
  });

  it('finds rows of an earlier delivery of a table for the second claims file only (a first delivery skips the replaced count)', async () => {
    const earlier = async (report: StageReport) => {
      const [d] = await ctx.engine.query<{ at: string }>('select ingested_at as at from deliveries where sha256 = ?', [{ string: report.sha256 }]);
      const at = { string: d!.at };
      return ctx.engine.query(earlierRowsSql(medical_claims), [at, at, { string: report.sha256 }]);
    };
    // eligibility, pharmacy and readings files came before either claims file, but wrote no claim lines
    expect(await earlier(first[1]!)).toEqual([]);
    expect(await earlier(second[1]!)).toEqual([{ found: 1 }]);
  });

  it('totals the replaced records in the run summary', async () => {
    expect((await quarantineTotals(ctx)).replaced).toBe(2 + 1 + 2 + 1);
  });
});
