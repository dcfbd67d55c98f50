import { describe, expect, test } from 'vitest';
import { matchProgram } from '../../lib/scoring/programs.js';
import { reasonsFor } from '../../lib/scoring/reasons.js';
import { evaluateMember, totalPoints, type FeatureRow } from '../../lib/scoring/rules.js';
import { config, member } from './fixtures.js';

const rules = config.scoring.rules;
const score = (row: FeatureRow): number => totalPoints(evaluateMember(row, rules));

describe('points', () => {
  test('a hand-made member adds up', () => {
    const m = member('m1', {
      age: 86, // age >= 85                                   3
      has_hypertension: true,
      has_diabetes: true,
      has_ckd: true, // 3 chronic conditions (>= 3)            3
      bp_days_30d: 12,
      sbp_mean_30d: 163.4, // >= 160                          20
      bp_uncontrolled_share_30d: 0.75, // >= 0.5               6
      sbp_slope_30d: 0.8, // >= 0.5 (not >= 1.0), 12 BP days  12
      glucose_mean_30d: 192, // > 180                         10
      glucose_min_30d: 65, // < 70 (not < 54)                 15
      ed_visits_90d: 2, // >= 2 (not >= 4)                     6
      ip_admissions_12m: 1, // >= 1                            4
      total_paid_12m: 62_000, // >= 50,000                     3
      days_since_last_reading: 2, // under 14: nothing         0
    }); //                                             total  82
    const hits = evaluateMember(m, rules);
    expect(totalPoints(hits)).toBe(82);
    // strongest first; equal points keep the rule order (monitoring before history)
    expect(hits.map((h) => [h.rule, h.points])).toEqual([
      ['sbp_mean_high', 20],
      ['glucose_low', 15],
      ['sbp_rising', 12],
      ['glucose_mean_high', 10],
      ['bp_uncontrolled', 6],
      ['ed_visits', 6],
      ['admissions', 4],
      ['multimorbidity', 3],
      ['age', 3],
      ['cost', 3],
    ]);
  });

  test('thresholds: >= includes the threshold, > and < exclude it', () => {
    expect(score(member('a', { sbp_mean_30d: 140 }))).toBe(10);
    expect(score(member('a', { sbp_mean_30d: 139.9 }))).toBe(0);
    expect(score(member('a', { glucose_mean_30d: 180 }))).toBe(0);
    expect(score(member('a', { glucose_mean_30d: 180.1 }))).toBe(10);
    expect(score(member('a', { spo2_min_30d: 90 }))).toBe(0);
    expect(score(member('a', { spo2_min_30d: 89 }))).toBe(15);
    expect(score(member('a', { spo2_min_30d: 87 }))).toBe(25);
    expect(score(member('a', { weight_change_7d: 2 }))).toBe(30);
    expect(score(member('a', { weight_change_7d: -3 }))).toBe(0);
  });

  test('a slope needs enough BP days; non-adherence counts only while monitored', () => {
    expect(score(member('a', { sbp_slope_30d: 2, bp_days_30d: 6 }))).toBe(0);
    expect(score(member('a', { sbp_slope_30d: 2, bp_days_30d: 7 }))).toBe(18);
    expect(score(member('a', { days_since_last_reading: 13 }))).toBe(0);
    expect(score(member('a', { days_since_last_reading: 21 }))).toBe(8);
    expect(score(member('a', { days_since_last_reading: 90 }))).toBe(8);
    expect(score(member('a', { days_since_last_reading: 91 }))).toBe(0); // monitoring ended long ago
    expect(score(member('a', { days_since_last_reading: null }))).toBe(0);
  });

  test('an acutely deteriorating monitored member outscores a chronic high utilizer', () => {
    const acute = member('acute', {
      has_hypertension: true,
      bp_days_30d: 25,
      sbp_mean_30d: 166, // 20
      bp_uncontrolled_share_30d: 0.9, // 6
      sbp_slope_30d: 1.3, // 18
    }); // 44
    const chronic = member('chronic', {
      age: 80,
      has_diabetes: true,
      has_hypertension: true,
      has_heart_failure: true,
      has_ckd: true, // 6
      ed_visits_90d: 3, // 6
      ip_admissions_12m: 3, // 12
      readmissions_30d_12m: 1, // 6
      total_paid_12m: 140_000, // 6
    }); // 36
    expect(score(acute)).toBe(44);
    expect(score(chronic)).toBe(36);
  });
});

describe('reasons', () => {
  const reasons = (o: Partial<FeatureRow>): string[] => {
    const row = member('r', o);
    return reasonsFor(evaluateMember(row, rules), row);
  };

  test('figures, rounded, with the threshold crossed', () => {
    expect(reasons({ sbp_mean_30d: 156.4 })).toEqual(['Average systolic 156 mmHg over the last 30 days (>= 140)']);
    expect(reasons({ sbp_slope_30d: 1.24, bp_days_30d: 20 })).toEqual(['Systolic rising 1.2 mmHg a day over 30 days (>= 1)']);
    expect(reasons({ weight_change_7d: 2.63 })).toEqual(['Weight up 2.6 kg in 7 days (>= 2)']);
    expect(reasons({ spo2_min_30d: 89 })).toEqual(['Lowest SpO2 89% in the last 30 days (< 90)']);
    expect(reasons({ spo2_min_30d: 87 })).toEqual(['Lowest SpO2 87% in the last 30 days (< 88)']);
    expect(reasons({ ed_visits_90d: 2 })).toEqual(['2 ED visits in the last 90 days']);
    expect(reasons({ ed_visits_90d: 1 })).toEqual(['1 ED visit in the last 90 days']);
    expect(reasons({ days_since_last_reading: 21 })).toEqual(['No device reading for 21 days (>= 14)']);
    expect(reasons({ bp_uncontrolled_share_30d: 2 / 3 })).toEqual([
      '67% of blood-pressure readings at or above 140/90 in the last 30 days (>= 50%)',
    ]);
    expect(reasons({ glucose_mean_30d: 212.4 })).toEqual(['Average glucose 212 mg/dL over the last 30 days (> 180)']);
    expect(reasons({ glucose_max_30d: 341 })).toEqual(['Highest glucose 341 mg/dL in the last 30 days (> 300)']);
    expect(reasons({ glucose_min_30d: 52 })).toEqual(['Lowest glucose 52 mg/dL in the last 30 days (< 54)']);
    expect(reasons({ ip_admissions_12m: 2 })).toEqual(['2 hospital admissions in the last 12 months']);
    expect(reasons({ readmissions_30d_12m: 1 })).toEqual(['1 readmission within 30 days of a discharge in the last 12 months']);
    expect(reasons({ age: 87 })).toEqual(['Age 87 (>= 85)']);
    expect(reasons({ total_paid_12m: 123_456.7 })).toEqual(['$123,457 paid for care in the last 12 months (>= $100,000)']);
    expect(reasons({ has_diabetes: true, has_hypertension: true, has_heart_failure: true, has_ckd: true })).toEqual([
      '4 chronic conditions: diabetes, hypertension, heart failure, chronic kidney disease',
    ]);
  });

  test('strongest first', () => {
    expect(reasons({ ed_visits_90d: 2, weight_change_7d: 2.6, sbp_mean_30d: 150 })).toEqual([
      'Weight up 2.6 kg in 7 days (>= 2)',
      'Average systolic 150 mmHg over the last 30 days (>= 140)',
      '2 ED visits in the last 90 days',
    ]);
  });
});

describe('program matching', () => {
  const program = (o: Partial<FeatureRow>): string | null => {
    const row = member('p', o);
    return matchProgram(row, evaluateMember(row, rules));
  };

  test('hypertension member with high blood pressure → hypertension', () => {
    expect(program({ has_hypertension: true, sbp_mean_30d: 158, bp_uncontrolled_share_30d: 0.7 })).toBe('hypertension');
  });

  test('heart failure with weight gain beats hypertension with high blood pressure', () => {
    // heart_failure: weight 30; hypertension: systolic 20 + uncontrolled 6 = 26
    expect(program({ has_hypertension: true, has_heart_failure: true, weight_change_7d: 2.4, sbp_mean_30d: 165, bp_uncontrolled_share_30d: 0.8 })).toBe(
      'heart_failure',
    );
  });

  test('the program with the most points wins even when less acute', () => {
    // heart_failure: nothing; hypertension: 20 + 6 + 18 = 44
    expect(program({ has_hypertension: true, has_heart_failure: true, sbp_mean_30d: 165, bp_uncontrolled_share_30d: 0.8, sbp_slope_30d: 1.5, bp_days_30d: 20 })).toBe(
      'hypertension',
    );
  });

  test('ties go to the more acute program; history points count toward none', () => {
    expect(program({ has_copd: true, has_heart_failure: true, spo2_min_30d: 87 })).toBe('heart_failure');
    expect(program({ has_diabetes: true, has_hypertension: true, ed_visits_90d: 4 })).toBe('diabetes');
  });

  test('no program condition → no program, however high the signals', () => {
    expect(program({ has_ckd: true, sbp_mean_30d: 170, weight_change_7d: 3 })).toBeNull();
  });
});

test('float noise from SQL aggregation does not flip a threshold', () => {
  expect(score(member('a', { sbp_mean_30d: 139.99999999999997 }))).toBe(10);
  expect(score(member('a', { sbp_slope_30d: 0.49999999999999994, bp_days_30d: 10 }))).toBe(12);
});
