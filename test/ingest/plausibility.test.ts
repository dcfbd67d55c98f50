/**
 * Plausibility ranges at ingest: a date after the file's delivery day (plus one day of tolerance) or before 1900, a
 * death before the birth, an amount beyond the configured ceiling: each record is quarantined with its field and
 * reason, and the rest of the file goes on. The files are taken as delivered on 2025-07-01 (`now`), so the latest
 * plausible day is 2025-07-02.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ingest, type IngestReport } from '../../lib/pipeline/ingest.js';
import type { QuarantineLine } from '../../lib/ingest/types.js';
import { CLAIM_HEADER, claimLine, csvText, quarantinedIn, quarantineLines, testContext, textSource, type TestContext } from './helpers.js';

const NOW = Date.parse('2025-07-01T15:00:00Z');

const ELIGIBILITY = [
  ['person_id', 'gender', 'birth_date', 'death_date', 'enrollment_start_date', 'enrollment_end_date'],
  ['P1', 'female', '1950-06-15', '', '2024-01-01', '9999-12-31'], // open-ended span: the end may lie in the future
  ['P2', 'male', '2030-01-01', '', '2024-01-01', '2025-12-31'], // 2: born after delivery (the reported age -4)
  ['P3', 'male', '0000-01-01', '', '2024-01-01', '2025-12-31'], // 3: before 1900
  ['P4', 'male', '1800-01-01', '', '2024-01-01', '2025-12-31'], // 4: before 1900
  ['P5', 'male', '1950-01-01', '1949-12-31', '2024-01-01', '2025-12-31'], // 5: died before birth
  ['P6', 'male', '1950-01-01', '2025-07-03', '2024-01-01', '2025-12-31'], // 6: death two days after delivery
  ['P7', 'male', '1950-01-01', '', '1899-12-31', '2025-12-31'], // 7: enrolled before 1900
  ['P8', 'male', '1950-01-01', '', '2025-07-03', '2025-12-31'], // 8: span starts two days after delivery
  ['P9', 'female', '1900-01-01', '2025-07-02', '2025-07-02', '2025-12-31'], // the edges: 1900-01-01 and delivery + 1 day
];

const claim = claimLine;
const CLAIMS = [
  CLAIM_HEADER,
  claim('C1', { paid_amount: '9999999.99' }), // just under the default ceiling of 10,000,000
  claim('C2', { paid_amount: '1e308' }), // 2: the reported failure: total_paid_12m became Infinity
  claim('C3', { allowed_amount: '10000000.01' }), // 3
  claim('C4', { paid_amount: '1e309' }), // 4: Infinity as text
  claim('C5', { claim_start_date: '2025-07-03', claim_end_date: '2025-07-03' }), // 5: service after delivery
  claim('C6', { claim_start_date: '1899-12-31' }), // 6
  claim('C7', { claim_type: 'institutional', bill_type_code: '111', admission_date: '1850-01-01', discharge_date: '2025-03-02' }), // 7
  claim('C8', { claim_type: 'institutional', bill_type_code: '111', admission_date: '2025-03-01', discharge_date: '2026-01-01' }), // 8
  claim('C9', { claim_end_date: '2025-07-02' }), // delivery + 1 day: accepted
];

const PHARMACY = [
  ['claim_id', 'claim_line_number', 'person_id', 'dispensing_date', 'ndc_code', 'quantity', 'days_supply', 'paid_amount'],
  ['R1', '1', 'P1', '2025-03-01', '00002-1433-80', '30', '30', '12.50'],
  ['R2', '1', 'P1', '2031-03-01', '00002-1433-80', '30', '30', '12.50'], // 2: dispensed after delivery
  ['R3', '1', 'P1', '2025-03-01', '00002-1433-80', '1e12', '30', '12.50'], // 3: quantity beyond its ceiling
  ['R4', '1', 'P1', '2025-03-01', '00002-1433-80', '30', '30', '2e7'], // 4
];

const OBSERVATIONS = [
  ['observation_id', 'person_id', 'observation_date', 'source_code_type', 'source_code', 'result', 'source_units'],
  ['O1', 'P1', '2025-06-01', 'loinc', '8867-4', '70', '/min'],
  ['O2', 'P1', '2027-06-01', 'loinc', '8867-4', '70', '/min'], // 2: measured after delivery
  ['O3', 'P1', '1890-06-01', 'loinc', '8867-4', '70', '/min'], // 3: before 1900
];

describe('ingest: plausibility ranges of dates and amounts', () => {
  let ctx: TestContext;
  let reports: IngestReport[];
  let lines: QuarantineLine[];
  const of = (file: string) => quarantinedIn(lines, file);

  beforeAll(async () => {
    ctx = await testContext();
    reports = await ingest(
      ctx,
      [
        textSource('landing/eligibility.csv', csvText(ELIGIBILITY)),
        textSource('landing/medical_claim.csv', csvText(CLAIMS)),
        textSource('landing/pharmacy_claim.csv', csvText(PHARMACY)),
        textSource('landing/observation.csv', csvText(OBSERVATIONS)),
      ],
      { now: NOW },
    );
    lines = await quarantineLines(ctx);
  });
  afterAll(() => ctx.dispose());

  it('quarantines birth, death and enrollment dates out of range, naming the field', () => {
    expect(of('landing/eligibility.csv')).toEqual([
      [2, 'birth_date', 'after the delivery day 2025-07-01 (+1 day)'],
      [3, 'birth_date', 'before 1900-01-01'],
      [4, 'birth_date', 'before 1900-01-01'],
      [5, 'death_date', 'death_date before birth_date'],
      [6, 'death_date', 'after the delivery day 2025-07-01 (+1 day)'],
      [7, 'enrollment_start_date', 'before 1900-01-01'],
      [8, 'enrollment_start_date', 'after the delivery day 2025-07-01 (+1 day)'],
    ]);
    // 9 spans read: P1 and P9 accepted, 7 quarantined
    expect(reports[0]).toMatchObject({ read: 9, accepted: 2, quarantined: 7 });
  });

  it('quarantines claim lines with an amount beyond the ceiling or a service date out of range', () => {
    expect(of('landing/medical_claim.csv')).toEqual([
      [2, 'paid_amount', 'beyond the ceiling of 10000000 (ingest.max_amount_usd)'],
      [3, 'allowed_amount', 'beyond the ceiling of 10000000 (ingest.max_amount_usd)'],
      [4, 'paid_amount', 'not a number'],
      [5, 'claim_start_date', 'after the delivery day 2025-07-01 (+1 day)'],
      [6, 'claim_start_date', 'before 1900-01-01'],
      [7, 'admission_date', 'before 1900-01-01'],
      [8, 'discharge_date', 'after the delivery day 2025-07-01 (+1 day)'],
    ]);
    expect(lines.find((l) => l.file === 'landing/medical_claim.csv' && l.record === 2)!.value).toBe(1e308);
    expect(reports[1]).toMatchObject({ read: 9, accepted: 2, quarantined: 7 });
  });

  it('quarantines pharmacy lines and observations the same way', () => {
    expect(of('landing/pharmacy_claim.csv')).toEqual([
      [2, 'dispensing_date', 'after the delivery day 2025-07-01 (+1 day)'],
      [3, 'quantity', 'beyond the ceiling of 100000 (ingest.max_quantity)'],
      [4, 'paid_amount', 'beyond the ceiling of 10000000 (ingest.max_amount_usd)'],
    ]);
    expect(of('landing/observation.csv')).toEqual([
      [2, 'observed_at', 'after the delivery day 2025-07-01 (+1 day)'],
      [3, 'observed_at', 'before 1900-01-01'],
    ]);
  });

  it('keeps the accepted rows, so the totals stay finite', async () => {
    // C1 9,999,999.99 + C9 10.00 = 10,000,009.99
    expect(await ctx.engine.query('select sum(paid_amount) as paid from medical_claims')).toEqual([{ paid: 10000009.99 }]);
    expect(await ctx.engine.query('select person_id from members order by 1')).toEqual([{ person_id: 'P1' }, { person_id: 'P9' }]);
  });

  it('takes the ceilings from the configuration', async () => {
    const other = await testContext();
    try {
      const [report] = await ingest(other, [textSource('landing/pharmacy_claim.csv', csvText(PHARMACY))], {
        now: NOW,
        limits: { max_amount_usd: 12, max_quantity: 1e13 },
      });
      // R1 and R3 pay 12.50 > 12; R2 is dated in the future; R3's quantity is now under its ceiling; R4 pays 2e7
      expect(report).toMatchObject({ read: 4, accepted: 0, quarantined: 4 });
    } finally {
      await other.dispose();
    }
  });
});
