/**
 * utilization: admissions, 30-day readmissions, ED visit days and paid amounts.
 * As of 2024-06-30: the 365-day window is 2023-07-02..2024-06-30, the 90-day window 2024-04-02..2024-06-30.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Fixture, medicalLine, member, pharmacyLine } from './fixture.js';

const AS_OF = '2024-06-30';
let fx: Fixture;

function admission(claim_id: string, person_id: string, admission_date: string, discharge_date: string, line = 1): Record<string, unknown> {
  return medicalLine({ claim_id, person_id, setting: 'inpatient', claim_start_date: admission_date, claim_end_date: discharge_date, admission_date, discharge_date, claim_line_number: line });
}

function edVisit(claim_id: string, person_id: string, date: string, paid_amount: number | null): Record<string, unknown> {
  return medicalLine({ claim_id, person_id, setting: 'ed', claim_start_date: date, paid_amount });
}

beforeAll(async () => {
  fx = await Fixture.open({
    members: ['readmit_day_30', 'readmit_day_31', 'previous_stay_before_window', 'same_day_transfer', 'ed_and_paid', 'nothing'].map((p) => member(p)),
    medical_claims: [
      // discharged 2024-01-05; 2024-02-04 is day 30 after it. The first stay has two lines: still one admission.
      admission('a1', 'readmit_day_30', '2024-01-01', '2024-01-05', 1),
      admission('a1', 'readmit_day_30', '2024-01-01', '2024-01-05', 2),
      admission('a2', 'readmit_day_30', '2024-02-04', '2024-02-06'),
      // 2024-02-05 is day 31
      admission('a3', 'readmit_day_31', '2024-01-01', '2024-01-05'),
      admission('a4', 'readmit_day_31', '2024-02-05', '2024-02-06'),
      // the first stay is before the 365-day window (not counted) but still makes the second a readmission (day 15)
      admission('a5', 'previous_stay_before_window', '2023-06-01', '2023-06-25'),
      admission('a6', 'previous_stay_before_window', '2023-07-10', '2023-07-12'),
      // readmitted the day of discharge (day 0): two admissions, no readmission; one admitted after the as-of date
      admission('a7', 'same_day_transfer', '2024-03-01', '2024-03-03'),
      admission('a8', 'same_day_transfer', '2024-03-03', '2024-03-09'),
      admission('a9', 'same_day_transfer', '2024-07-01', '2024-07-02'),
      // ED: two claims on 2024-06-01 are one visit; 2024-04-02 opens the 90-day window; 2024-03-01 is only in the
      // 365-day window; 2023-07-01 is the day before it; 2024-07-01 is after the as-of date
      edVisit('e1', 'ed_and_paid', '2024-06-01', 100),
      edVisit('e2', 'ed_and_paid', '2024-06-01', 100),
      edVisit('e3', 'ed_and_paid', '2024-04-02', 100),
      edVisit('e4', 'ed_and_paid', '2024-03-01', null),
      edVisit('e5', 'ed_and_paid', '2023-07-01', 100),
      edVisit('e6', 'ed_and_paid', '2024-07-01', 100),
    ],
    pharmacy_claims: [
      pharmacyLine('rx1', 'ed_and_paid', '2024-05-01', 25.5),
      pharmacyLine('rx2', 'ed_and_paid', '2023-07-02', 10),
      pharmacyLine('rx3', 'ed_and_paid', '2024-07-01', 1000),
    ],
  });
});
afterAll(() => fx.close());

async function utilization(person: string): Promise<Record<string, unknown>> {
  const { ip_admissions_12m, readmissions_30d_12m, ed_visits_12m, ed_visits_90d, total_paid_12m } = await fx.featuresOf(AS_OF, person);
  return { ip_admissions_12m, readmissions_30d_12m, ed_visits_12m, ed_visits_90d, total_paid_12m };
}

describe('utilization', () => {
  it('counts a readmission on day 30 after the previous discharge, and each admission (claim) once', async () => {
    expect(await utilization('readmit_day_30')).toMatchObject({ ip_admissions_12m: 2, readmissions_30d_12m: 1 });
  });

  it('does not count a readmission on day 31', async () => {
    expect(await utilization('readmit_day_31')).toMatchObject({ ip_admissions_12m: 2, readmissions_30d_12m: 0 });
  });

  it('reads the previous discharge before the 365-day window but counts only admissions inside it', async () => {
    expect(await utilization('previous_stay_before_window')).toMatchObject({ ip_admissions_12m: 1, readmissions_30d_12m: 1 });
  });

  it('does not count a same-day readmission (day 0) nor an admission after the as-of date', async () => {
    expect(await utilization('same_day_transfer')).toMatchObject({ ip_admissions_12m: 2, readmissions_30d_12m: 0 });
  });

  it('counts ED visits as distinct days in 365 and 90 days, and adds medical and pharmacy paid', async () => {
    // ED days: 2024-06-01, 2024-04-02, 2024-03-01 in 365 days; the first two in 90 days.
    // paid: ED 100 + 100 (2024-06-01) + 100 (2024-04-02) + 0 (null, 2024-03-01) = 300; pharmacy 25.5 + 10 = 35.5
    expect(await utilization('ed_and_paid')).toEqual({
      ip_admissions_12m: 0,
      readmissions_30d_12m: 0,
      ed_visits_12m: 3,
      ed_visits_90d: 2,
      total_paid_12m: 335.5,
    });
  });

  it('gives zeros to a member without claims', async () => {
    expect(await utilization('nothing')).toEqual({
      ip_admissions_12m: 0,
      readmissions_30d_12m: 0,
      ed_visits_12m: 0,
      ed_visits_90d: 0,
      total_paid_12m: 0,
    });
  });
});
