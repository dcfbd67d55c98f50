/**
 * utilization: admissions, 30-day readmissions, ED visit days, paid amounts and the latest completed stay (LACE,
 * transitions of care). As of 2024-06-30: the 365-day window is 2023-07-02..2024-06-30, the 180-day window
 * 2024-01-03..2024-06-30, the 90-day window 2024-04-02..2024-06-30.
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
    members: [
      'readmit_day_30',
      'readmit_day_31',
      'previous_stay_before_window',
      'same_day_transfer',
      'ed_and_paid',
      'nothing',
      'via_ed',
      'ed_two_days_before',
      'er_revenue',
      'still_in_hospital',
      'old_stay',
      'ed_before_stay',
    ].map((p) => member(p)),
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
      // 180 days: 2024-01-03 opens the window, 2024-01-02 is the day before
      edVisit('e7', 'ed_and_paid', '2024-01-03', 0),
      edVisit('e8', 'ed_and_paid', '2024-01-02', 0),
      // seen in the ED on 2024-06-17, admitted 12 days before the as-of date (2024-06-18), 4 days in hospital
      edVisit('v1', 'via_ed', '2024-06-17', 300),
      admission('v2', 'via_ed', '2024-06-18', '2024-06-22'),
      // an ED visit two days before the admission does not make it emergent
      edVisit('w1', 'ed_two_days_before', '2024-06-08', 300),
      admission('w2', 'ed_two_days_before', '2024-06-10', '2024-06-10'),
      // an emergency-room revenue line (0450) on the inpatient claim does; an earlier stay was discharged before it
      admission('r0', 'er_revenue', '2023-01-05', '2023-01-09'),
      admission('r1', 'er_revenue', '2024-05-01', '2024-05-03', 1),
      { ...admission('r1', 'er_revenue', '2024-05-01', '2024-05-03', 2), revenue_center_code: '0450' },
      // still in hospital on the as-of date (discharged after it): the last completed stay is the one before
      admission('h1', 'still_in_hospital', '2024-03-01', '2024-03-06'),
      admission('h2', 'still_in_hospital', '2024-06-28', '2024-07-03'),
      // a stay two years back still is the latest stay
      admission('o1', 'old_stay', '2022-06-01', '2022-06-03'),
      // admitted 2024-06-20: ED on the admission day and the day before led to it (A, not E); 2024-06-18, 2024-03-01
      // (two claims, one visit) and 2023-12-23 (admission - 180) are the prior visits; 2023-12-22 is 181 days before
      edVisit('b1', 'ed_before_stay', '2024-06-20', 0),
      edVisit('b2', 'ed_before_stay', '2024-06-19', 0),
      edVisit('b3', 'ed_before_stay', '2024-06-18', 0),
      edVisit('b4', 'ed_before_stay', '2024-03-01', 0),
      edVisit('b5', 'ed_before_stay', '2024-03-01', 0),
      edVisit('b6', 'ed_before_stay', '2023-12-23', 0),
      edVisit('b7', 'ed_before_stay', '2023-12-22', 0),
      admission('b8', 'ed_before_stay', '2024-06-20', '2024-06-24'),
    ],
    pharmacy_claims: [
      pharmacyLine('rx1', 'ed_and_paid', '2024-05-01', 25.5),
      pharmacyLine('rx2', 'ed_and_paid', '2023-07-02', 10),
      pharmacyLine('rx3', 'ed_and_paid', '2024-07-01', 1000),
    ],
  });
});
afterAll(() => fx.close());

async function lastStay(person: string): Promise<Record<string, unknown>> {
  const { last_admission_date, last_discharge_date, last_stay_los_days, last_admission_emergent, days_since_discharge } = await fx.featuresOf(AS_OF, person);
  return { last_admission_date, last_discharge_date, last_stay_los_days, last_admission_emergent, days_since_discharge };
}

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
    // ED days: 2024-06-01, 2024-04-02, 2024-03-01, 2024-01-03, 2024-01-02 in 365 days; the first two in 90 days.
    // paid: ED 100 + 100 (2024-06-01) + 100 (2024-04-02) + 0 (null, 2024-03-01) + 0 + 0 (January) = 300; pharmacy
    // 25.5 + 10 = 35.5
    expect(await utilization('ed_and_paid')).toEqual({
      ip_admissions_12m: 0,
      readmissions_30d_12m: 0,
      ed_visits_12m: 5,
      ed_visits_90d: 2,
      total_paid_12m: 335.5,
    });
  });

  it('counts ED visit days in 180 days: 2024-01-03 in, 2024-01-02 out', async () => {
    // 2024-06-01, 2024-04-02, 2024-03-01 and 2024-01-03
    expect((await fx.featuresOf(AS_OF, 'ed_and_paid')).ed_visits_180d).toBe(4);
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

describe('utilization: the latest completed stay', () => {
  it('describes a 4-day stay admitted through the ED the day before, 12 days before the as-of date', async () => {
    expect(await lastStay('via_ed')).toEqual({
      last_admission_date: '2024-06-18',
      last_discharge_date: '2024-06-22',
      last_stay_los_days: 4,
      last_admission_emergent: true,
      days_since_discharge: 8,
    });
  });

  it('does not call a stay emergent for an ED visit two days before; a same-day stay lasts 0 days', async () => {
    expect(await lastStay('ed_two_days_before')).toEqual({
      last_admission_date: '2024-06-10',
      last_discharge_date: '2024-06-10',
      last_stay_los_days: 0,
      last_admission_emergent: false,
      days_since_discharge: 20,
    });
  });

  it('calls a stay emergent for an emergency-room revenue line (045x) on its claim, and takes the latest stay', async () => {
    expect(await lastStay('er_revenue')).toMatchObject({ last_admission_date: '2024-05-01', last_stay_los_days: 2, last_admission_emergent: true, days_since_discharge: 58 });
  });

  it('skips a stay not yet discharged on the as-of date', async () => {
    expect(await lastStay('still_in_hospital')).toMatchObject({ last_admission_date: '2024-03-01', last_discharge_date: '2024-03-06', days_since_discharge: 116 });
    // the ongoing stay still counts as an admission
    expect((await fx.featuresOf(AS_OF, 'still_in_hospital')).ip_admissions_12m).toBe(2);
    // once discharged (as of 2024-07-03) it is the latest
    expect(await fx.featuresOf('2024-07-03', 'still_in_hospital')).toMatchObject({ last_discharge_date: '2024-07-03', last_stay_los_days: 5, days_since_discharge: 0 });
  });

  it('keeps a stay of any age, outside every window', async () => {
    expect(await lastStay('old_stay')).toMatchObject({ last_discharge_date: '2022-06-03', days_since_discharge: 758 });
    expect((await fx.featuresOf(AS_OF, 'old_stay')).ip_admissions_12m).toBe(0);
  });

  it('counts the ED visit days of the 180 days before the admission, without the admission day and the day before', async () => {
    expect((await fx.featuresOf(AS_OF, 'ed_before_stay')).ed_visits_6m_before_admission).toBe(3);
    // the only ED visit was the day before the admission: it led to the stay
    expect((await fx.featuresOf(AS_OF, 'via_ed')).ed_visits_6m_before_admission).toBe(0);
    expect((await fx.featuresOf(AS_OF, 'nothing')).ed_visits_6m_before_admission).toBeNull();
  });

  it('leaves the stay columns null without a stay', async () => {
    expect(await lastStay('nothing')).toEqual({
      last_admission_date: null,
      last_discharge_date: null,
      last_stay_los_days: null,
      last_admission_emergent: null,
      days_since_discharge: null,
    });
  });
});
