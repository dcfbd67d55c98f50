/**
 * claim_conventions and claim_totals: amounts as payers send them. Header amounts repeated on every line of an
 * institutional claim are detected per file and counted once per claim (or as configured); negative lines are
 * reversals and adjustments, netted per claim, and a fully reversed claim contributes neither cost, nor diagnoses,
 * nor utilization. As of 2024-06-30 (365-day window 2023-07-02..2024-06-30).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { composeModels, featureParams } from '../../lib/pipeline/features.js';
import { Fixture, diagnosis, medicalLine, member } from './fixture.js';

const AS_OF = '2024-06-30';
let fx: Fixture;

/** a line of an institutional (outpatient) claim in `file` */
function facility(claim_id: string, person_id: string, line: number, paid_amount: number | null, source_file: string, setting = 'outpatient'): Record<string, unknown> {
  return medicalLine({ claim_id, person_id, setting, claim_start_date: '2024-03-01', claim_line_number: line, paid_amount, source_file, bill_type_code: '131' });
}

function professional(claim_id: string, person_id: string, line: number, paid_amount: number, source_file: string): Record<string, unknown> {
  return medicalLine({ claim_id, person_id, setting: 'professional', claim_start_date: '2024-03-01', claim_line_number: line, paid_amount, source_file });
}

function stay(claim_id: string, person_id: string, line: number, paid_amount: number, source_file: string): Record<string, unknown> {
  return medicalLine({
    claim_id,
    person_id,
    setting: 'inpatient',
    claim_start_date: '2024-05-01',
    claim_end_date: '2024-05-04',
    admission_date: '2024-05-01',
    discharge_date: '2024-05-04',
    claim_line_number: line,
    paid_amount,
    source_file,
    bill_type_code: '111',
  });
}

beforeAll(async () => {
  fx = await Fixture.open({
    members: ['header_claims', 'line_claims', 'reversed', 'adjusted', 'header_reversed'].map((p) => member(p)),
    medical_claims: [
      // header.csv: both multi-line institutional claims repeat one amount on every line → header amounts
      ...[1, 2, 3].map((n) => facility('h1', 'header_claims', n, 9128, 'header.csv')),
      ...[1, 2].map((n) => facility('h2', 'header_claims', n, 500, 'header.csv')),
      // a professional claim of the same file: its lines are its own services, summed
      professional('h3', 'header_claims', 1, 10, 'header.csv'),
      professional('h3', 'header_claims', 2, 20, 'header.csv'),
      // a reversed header claim: 2 lines of 700, then 2 lines of -700
      ...[1, 2].map((n) => stay('h4', 'header_reversed', n, 700, 'header.csv')),
      ...[3, 4].map((n) => stay('h4', 'header_reversed', n, -700, 'header.csv')),
      // lines.csv: the lines itemize their claim → line amounts, summed
      facility('l1', 'line_claims', 1, 100, 'lines.csv'),
      facility('l1', 'line_claims', 2, 50, 'lines.csv'),
      facility('l2', 'line_claims', 1, 40, 'lines.csv'),
      facility('l2', 'line_claims', 2, 40, 'lines.csv'),
      facility('l3', 'line_claims', 1, 70, 'lines.csv'),
      facility('l3', 'line_claims', 2, 30, 'lines.csv'),
      // a stay reversed whole (its lines net to 0), and one adjusted down (1,000 - 300)
      stay('r1', 'reversed', 1, 1000, 'lines.csv'),
      stay('r1', 'reversed', 2, -1000, 'lines.csv'),
      stay('a1', 'adjusted', 1, 1000, 'lines.csv'),
      stay('a1', 'adjusted', 2, -300, 'lines.csv'),
    ],
    diagnoses: [
      // E119 twice on 2 days would make diabetes; the reversed stay's codes must not count
      diagnosis('r1', 'reversed', '2024-05-01', 'inpatient', 'I5030'),
      diagnosis('a1', 'adjusted', '2024-05-01', 'inpatient', 'I5030'),
      diagnosis('h4', 'header_reversed', '2024-05-01', 'inpatient', 'E119'),
    ],
  });
});
afterAll(() => fx.close());

describe('claim amounts as payers send them', () => {
  it('header amounts repeated on lines: detected per file, counted once per claim', async () => {
    const conventions = await fx.engine.query(`${composeModels(['as_of_windows', 'claim_conventions'])} order by source_file`, featureParams(AS_OF));
    expect(conventions.map((c) => [c.source_file, c.multi_line_claims, c.identical_amount_claims, c.detected_amounts, c.amounts])).toEqual([
      // h1, h2 identical; h4's non-negative lines are 700, 700: identical too → 3 of 3
      ['header.csv', 3, 3, 'header', 'header'],
      // l2 (40, 40) is identical, l1 and l3 are not: 1 of 3 < half → line
      ['lines.csv', 3, 1, 'line', 'line'],
    ]);
    // header.csv: h1 9,128 once + h2 500 once + professional h3 10 + 20 = 9,658 (summing lines: 27,384 + 1,000 + 30)
    expect((await fx.featuresOf(AS_OF, 'header_claims')).total_paid_12m).toBe(9658);
    // lines.csv: 100 + 50 + 40 + 40 + 70 + 30 = 330, the lines of every claim summed
    expect((await fx.featuresOf(AS_OF, 'line_claims')).total_paid_12m).toBe(330);
  });

  it('header amounts: the configuration overrides the detection for every file', async () => {
    // claims.amounts = 'line': header.csv summed, 3 × 9,128 + 2 × 500 + 30 = 28,414
    expect((await fx.features(AS_OF, 'line')).get('header_claims')!.total_paid_12m).toBe(28414);
    // claims.amounts = 'header': lines.csv's institutional claims count their largest line: 100 + 40 + 70 = 210
    expect((await fx.features(AS_OF, 'header')).get('line_claims')!.total_paid_12m).toBe(210);
  });

  it('reversals are kept and netted: a fully reversed claim contributes no cost, diagnosis or admission', async () => {
    const reversed = await fx.featuresOf(AS_OF, 'reversed');
    expect(reversed).toMatchObject({ total_paid_12m: 0, ip_admissions_12m: 0, dx_codes_12m: '', chronic_conditions: '', last_discharge_date: null });
    // a header claim reversed: +700 once - 700 once = 0, so its E119 is gone too
    expect(await fx.featuresOf(AS_OF, 'header_reversed')).toMatchObject({ total_paid_12m: 0, ip_admissions_12m: 0, dx_codes_12m: '' });
  });

  it('adjustments are netted per claim: the claim stays, at its net amount', async () => {
    // 1,000 - 300 = 700; the stay and its heart-failure code count
    const adjusted = await fx.featuresOf(AS_OF, 'adjusted');
    expect(adjusted).toMatchObject({ total_paid_12m: 700, ip_admissions_12m: 1, dx_codes_12m: 'I5030', has_heart_failure: true });
  });
});
