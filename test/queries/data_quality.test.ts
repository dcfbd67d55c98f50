/**
 * data_quality: the checks an analyst reads before trusting a run, on a hand-made population. As of 2024-06-30:
 * the 12 months are 2023-07..2024-06.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildDataQuality, type DataQualityRow } from '../../lib/pipeline/data-quality.js';
import { silent } from '../../lib/pipeline/context.js';
import { OutboxQueue } from '../../lib/queue/outbox.js';
import { Fixture, diagnosis, medicalLine, member, pharmacyLine } from './fixture.js';

const AS_OF = '2024-06-30';
let fx: Fixture;
let rows: DataQualityRow[];

const line = (claim_id: string, person_id: string, date: string, paid_amount: number, over: Record<string, unknown> = {}) =>
  medicalLine({ claim_id, person_id, setting: 'professional', claim_start_date: date, paid_amount, place_of_service_code: '11', source_file: 'claims.csv', ...over });

beforeAll(async () => {
  fx = await Fixture.open({
    // two members enrolled all year; P3 has claims and no eligibility
    members: [member('P1'), member('P2')],
    medical_claims: [
      // 2024-01: 300 paid; every other month 100 (P1's monthly visit), so the median month is 100 / 2 members = 50
      ...['2023-07', '2023-08', '2023-09', '2023-10', '2023-11', '2023-12', '2024-02', '2024-03', '2024-04', '2024-05', '2024-06'].map((m, i) =>
        line(`v${i}`, 'P1', `${m}-10`, 100),
      ),
      line('big', 'P1', '2024-01-10', 300),
      // a reversed claim (nets to 0) and one line delivered twice (same claim and line number)
      line('r1', 'P2', '2024-01-05', 40),
      line('r1', 'P2', '2024-01-05', -40, { claim_line_number: 2 }),
      line('twice', 'P2', '2024-02-05', 0),
      line('twice', 'P2', '2024-02-05', 0, { source_file: 'claims-resent.csv' }),
      // an institutional line with an impossible type of bill, a professional one with an impossible place of service
      medicalLine({ claim_id: 'bad-bill', person_id: 'P2', setting: 'outpatient', claim_start_date: '2024-03-01', bill_type_code: '999', paid_amount: 0, source_file: 'claims.csv' }),
      line('bad-pos', 'P2', '2024-03-01', 0, { place_of_service_code: '00' }),
      line('orphan', 'P3', '2024-03-01', 0),
    ],
    diagnoses: [diagnosis('v0', 'P1', '2023-07-10', 'professional', 'I10')],
    pharmacy_claims: [pharmacyLine('rx', 'P3', '2024-03-01', 0)],
  });
  rows = await buildDataQuality({ store: fx.store, engine: fx.engine, queue: new OutboxQueue(fx.store), progress: silent }, AS_OF);
});
afterAll(() => fx.close());

const check = (name: string, scope = 'all') => rows.find((r) => r.check_name === name && r.scope === scope);

describe('data_quality', () => {
  it('states the amount convention and the negative lines of each medical-claims file', () => {
    // claims.csv has one institutional claim, of one line: no multi-line claim to tell by → line amounts
    expect(check('amounts', 'claims.csv')).toMatchObject({ value: null, flagged: false });
    expect(check('amounts', 'claims.csv')!.detail).toMatch(/^line amounts \(detected line: 0 of 0/);
    expect(check('negative_lines', 'claims.csv')).toMatchObject({ value: 1 });
    expect(check('fully_reversed_claims')).toMatchObject({ value: 1 });
  });

  it('counts re-delivered lines, claims without diagnoses and impossible codes', () => {
    expect(check('redelivered_lines')).toMatchObject({ value: 1, flagged: true });
    // 17 claims (v0..v10, big, r1, twice, bad-bill, bad-pos, orphan), one with a diagnosis: 16 / 17
    expect(check('claims_without_diagnoses')!.value).toBeCloseTo(16 / 17, 10);
    expect(check('impossible_bill_types')).toMatchObject({ value: 1, flagged: true });
    // 18 professional lines delivered, 17 once the line delivered twice counts once (the latest delivery of a key
    // wins, lib/tables/deliveries.ts), 1 with place of service 00
    expect(check('impossible_places_of_service')!.value).toBeCloseTo(1 / 17, 10);
  });

  it('gives paid per member per month and flags an outlier month', () => {
    // 2024-01: P1's 300 + P2's reversed 40 - 40 = 300 over 2 members = 150, three times the median month of 50
    expect(check('paid_pmpm', '2024-01')).toMatchObject({ value: 150, flagged: true });
    expect(check('paid_pmpm', '2023-07')).toMatchObject({ value: 50, flagged: false });
    expect(rows.filter((r) => r.check_name === 'paid_pmpm')).toHaveLength(12);
  });

  it('paid per member per month: the partial as-of month is not compared', async () => {
    // as of 2024-06-05 the month 2024-06 holds 5 days: P1's visit of 06-10 is after it, so 0 paid, yet not flagged
    const early = await buildDataQuality({ store: fx.store, engine: fx.engine, queue: new OutboxQueue(fx.store), progress: silent }, '2024-06-05');
    const june = early.find((r) => r.check_name === 'paid_pmpm' && r.scope === '2024-06')!;
    expect(june).toMatchObject({ value: 0, flagged: false });
    expect(june.detail).toContain('not compared');
  });

  it('counts people with claims and no eligibility', () => {
    expect(check('members_without_eligibility')).toMatchObject({ value: 1, flagged: true });
  });
});
