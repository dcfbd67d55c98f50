/** The composite model worked by hand: components, reasons by contribution, rising risk, ranking and programs. */
import { describe, expect, test } from 'vitest';
import type { FeatureRow } from '../../lib/scoring/member.js';
import { scoreMember } from '../../lib/scoring/model.js';
import { scorePopulation } from '../../lib/scoring/population.js';
import { exclusionOf, routeMember } from '../../lib/scoring/programs.js';
import { config, configWith, member } from './fixtures.js';

/**
 * A 70-year-old man with heart failure and diabetes (E1169, I5030), weight up 2.5 kg (5.5 lb) in 7 days and rising
 * 0.12 kg a day, 2 ED visits in 90 days and 1 admission in 12 months.
 *   prospective  CMS-HCC V28 CNA: M70-74 0.396 + HCC37 0.166 + HCC226 0.360 + DIABETES_HF 0.112 = 1.034 raw,
 *                × (1 − 0.059) / 1.015 = 0.95861; × 8 points                                     =  7.67
 *   comorbidity  Charlson (Quan 2011): CHF 2 + diabetes without complications 0 = 2, × 1.5 = 3;
 *                Elixhauser (van Walraven): CHF 7 + complicated diabetes 0 = 7, × 0.25 = 1.75     =  4.75
 *   monitoring   weight up >= 5 lb in 7 days: high                                                 = 25
 *   utilization  2 ED visits in 90 days 6 + 1 admission 4                                          = 10
 *   trend        weight slope >= 0.1 kg/day on >= 7 reading days                                   =  8
 *                                                                                           total   55.42
 */
const HF = member('hf', {
  sex: 'male',
  dx_codes_12m: 'E1169,I5030',
  has_heart_failure: true,
  has_diabetes: true,
  weight_change_7d: 2.5,
  weight_slope_30d: 0.12,
  reading_days_30d: 20,
  weight_days_30d: 20,
  ed_visits_90d: 2,
  ip_admissions_12m: 1,
});

describe('the composite', () => {
  test('a hand-worked member: components, total, reasons ordered by contribution', () => {
    const s = scoreMember(HF, config.scoring);
    expect(s.hcc.score).toBeCloseTo(0.95861, 5);
    expect(s.components).toEqual({ monitoring: 25, utilization: 10, trend: 8, prospective: 7.67, comorbidity: 4.75 });
    expect(s.score).toBe(55.42);
    expect(s.contributions.map((c) => [c.points, c.reason])).toEqual([
      [25, 'Weight up 5.5 lb (2.5 kg) in 7 days (>= 5 lb) [high]'],
      [8, 'Weight rising 0.12 kg a day over 30 days (>= 0.1)'],
      [
        7.67,
        'CMS-HCC V28 risk score 0.96: Heart Failure, Except End-Stage and Acute (HCC226), Diabetes with Chronic Complications (HCC37) ' +
          'and Diabetes (HCCs 35-38) & Heart Failure (HCCs 221-226)',
      ],
      [6, '2 ED visits in the last 90 days'],
      [4.75, 'Charlson index 2 (Quan 2011 weights): congestive heart failure and diabetes without chronic complications; Elixhauser index 7 (van Walraven)'],
      [4, '1 hospital admission in the last 12 months'],
    ]);
    expect(s.actionable).toBe(true);
  });

  test('rising risk: the score without trend rose 27.42 since the previous run (>= 25) → 10 more points', () => {
    const s = scoreMember(HF, config.scoring, { as_of_date: '2024-06-23', base: 20 });
    expect(s.change).toBe(27.42); // 55.42 − 8 trend = 47.42, minus 20
    expect(s.components.trend).toBe(18);
    expect(s.score).toBe(65.42);
    expect(s.contributions[1]!.reason).toBe('Risk score up 27 points since the run of 2024-06-23 (>= 25)');
    expect(scoreMember(HF, config.scoring, { as_of_date: '2024-06-23', base: 40 }).components.trend).toBe(8); // +7.42: under 10
  });

  test('weight and glucose slopes count only on >= 7 days of their own measure, whatever else was read', () => {
    const slopes = { has_heart_failure: true, has_diabetes: true, weight_slope_30d: 0.2, glucose_slope_30d: 4, reading_days_30d: 25 };
    // 25 days with BP readings, weight and glucose on 6 days each: 2 readings suffice for the SQL slope, not for the rule
    expect(scoreMember(member('s', { ...slopes, weight_days_30d: 6, glucose_days_30d: 6 }), config.scoring).components.trend).toBe(0);
    expect(scoreMember(member('s', { ...slopes, weight_days_30d: 7, glucose_days_30d: 7 }), config.scoring).components.trend).toBe(16);
  });

  test('a rising score alone does not make a member actionable', () => {
    // 3 admissions (12) since the previous run of 2.93: up 12 → score_rising 5, and no alert, slope or discharge
    const s = scoreMember(member('r', { ip_admissions_12m: 3 }), config.scoring, { as_of_date: '2024-06-23', base: 2.93 });
    expect(s.components.trend).toBe(5);
    expect(s.actionable).toBe(false);
  });

  test('a member with no diagnosis and no signal: the demographic factor only, named', () => {
    const s = scoreMember(member('q'), config.scoring);
    // F70-74 CNA 0.395 × 0.941 / 1.015 = 0.36620 × 8 = 2.93
    expect(s.score).toBe(2.93);
    expect(s.contributions.map((c) => c.reason)).toEqual(['CMS-HCC V28 risk score 0.37: no payment HCC; female, age 70-74 (community, non-dual, aged)']);
    expect(s.actionable).toBe(false);
  });

  test('the configured normalization and coding intensity replace the payment year figures', () => {
    const newer = configWith((c) => {
      c.scoring.prospective.normalization = 1.067;
      c.scoring.prospective.coding_intensity = 0.059;
    });
    // F70-74 CNA 0.395 × 0.941 / 1.067 = 0.34836 × 8 = 2.79 (2.93 with PY2024's 1.015)
    const s = scoreMember(member('q'), newer.scoring);
    expect(s.hcc.adjustment).toEqual({ normalizationFactor: 1.067, codingIntensity: 0.059 });
    expect(s.score).toBe(2.79);
  });

  test('sex unknown is scored as female for the demographic factor, and the reason says so', () => {
    const s = scoreMember(member('u', { sex: 'unknown' }), config.scoring);
    expect(s.score).toBe(2.93);
    expect(s.contributions[0]!.reason).toContain('sex unknown, scored as female');
  });

  test('the segment follows the features: full dual, institutional, new enrollee', () => {
    expect(scoreMember(member('d', { dual_status_code: '02' }), config.scoring).hcc.segment).toBe('CFA');
    expect(scoreMember(member('i', { institutional: true }), config.scoring).hcc.segment).toBe('INS');
    expect(scoreMember(member('n', { enrolled_months_12m: 5 }), config.scoring).hcc.segment).toBe('NE');
  });

  test('a full or partial dual has Medicaid: the INS Medicaid factor, the new-enrollee Medicaid cell', () => {
    // INS F70-74 1.119 + LTIMCAID 0.130 = 1.249 × 0.941 / 1.015 = 1.15794 × 8 = 9.26 (without Medicaid: 1.119 → 8.30)
    expect(scoreMember(member('i', { institutional: true, dual_status_code: '02' }), config.scoring).score).toBe(9.26);
    expect(scoreMember(member('i', { institutional: true }), config.scoring).score).toBe(8.3);
    // NE F70-74 Medicaid 1.043 × 0.941 / 1.015 = 0.96696 × 8 = 7.74 (a partial dual; without Medicaid: 0.694 → 5.15)
    expect(scoreMember(member('n', { enrolled_months_12m: 5, dual_status_code: '01' }), config.scoring).score).toBe(7.74);
    expect(scoreMember(member('n', { enrolled_months_12m: 5, dual_status_code: '00' }), config.scoring).score).toBe(5.15);
  });

  test('diagnoses CMS would count: codes set aside are not scored, and the reason says so', () => {
    // B20 (HIV/AIDS, HCC1) found only on an independent laboratory claim: not in dx_codes_12m, so the score is the
    // CNA F70-74 demographic factor alone, 0.395 × 0.941 / 1.015 = 0.366 → 0.37
    const s = scoreMember(member('lab', { dx_codes_set_aside_12m: 'B20', dx_set_aside_from: 'independent laboratory' }), config.scoring);
    expect(s.hcc.hccs).toEqual([]);
    expect(s.contributions.find((c) => c.component === 'prospective')!.reason).toBe(
      'CMS-HCC V28 risk score 0.37: no payment HCC; female, age 70-74 (community, non-dual, aged); 1 code set aside, found only on claims CMS risk adjustment does not count (independent laboratory): B20',
    );
  });

  test('new enrollee only when the data says so: short eligibility with diagnoses is scored on them, and the reason says which model', () => {
    // CNA F70-74 0.395 + HCC226 0.360 = 0.755 × 0.941 / 1.015 = 0.70 (the new-enrollee cell would give 0.64 and drop HCC226)
    const s = scoreMember(member('n', { enrolled_months_12m: 5, dx_codes_12m: 'I5030' }), config.scoring);
    expect(s.hcc.segment).toBe('CNA');
    expect(s.contributions.find((c) => c.component === 'prospective')!.reason).toBe(
      'CMS-HCC V28 risk score 0.7 (continuing-enrollee model: 5 of 12 months enrolled, with a diagnosis history): Heart Failure, Except End-Stage and Acute (HCC226)',
    );
    const none = scoreMember(member('n', { enrolled_months_12m: 5 }), config.scoring);
    expect(none.contributions.find((c) => c.component === 'prospective')!.reason).toBe(
      'CMS-HCC V28 risk score 0.64 (new-enrollee model: 5 of 12 months enrolled and no diagnosis history): new enrollee: scored on demographics only; new enrollee, female, age 70-74, no Medicaid, not originally disabled',
    );
  });
});

describe('ranking: actionable signals above fixed risk', () => {
  test('a member with only a moderate alert ranks above a member whose higher score is only fixed risk', () => {
    const fixed = member('fixed', {
      age: 88,
      dx_codes_12m: 'C787,E1122,I5030,J449,N184',
      has_heart_failure: true,
      has_copd: true,
      ip_admissions_12m: 3,
      total_paid_12m: 120_000,
    });
    const alerting = member('alerting', { has_copd: true, reading_days_30d: 10, reading_days_90d: 50, days_since_last_reading: 2 });
    const discharged = member('discharged', { has_copd: true, days_since_discharge: 10, last_stay_los_days: 2, ed_visits_180d: 0 });
    const quiet = member('quiet');
    const { scores } = scorePopulation([fixed, quiet, alerting, discharged], config);
    const score = (id: string) => scores.find((s) => s.person_id === id)!;
    expect(score('fixed').score).toBeGreaterThan(score('alerting').score);
    expect(score('fixed').score).toBeGreaterThan(score('discharged').score);
    // alerting: 2.93 demographic + 8 (non-adherent, moderate) = 10.93; discharged: 2.93 + 5 (LACE 2 + 0 + 0 + 0) = 7.93
    expect(score('alerting').score).toBe(10.93);
    expect(score('discharged').score).toBe(7.93);
    expect(scores.map((s) => [s.person_id, s.rank, s.actionable])).toEqual([
      ['alerting', 1, true],
      ['discharged', 2, true],
      ['fixed', 3, false],
      ['quiet', 4, false],
    ]);
  });
});

describe('programs and exclusions', () => {
  const route = (o: Partial<FeatureRow>) => {
    const row = member('p', o);
    const m = scoreMember(row, config.scoring);
    return routeMember(row, m.contributions, m.hcc);
  };
  const program = (o: Partial<FeatureRow>): string | null => route(o).program;

  test('routing follows what drives the risk: the program whose signals earned the most points', () => {
    // heart failure: weight 25; hypertension: crisis 40
    expect(program({ has_hypertension: true, has_heart_failure: true, weight_change_7d: 2.4, sbp_max_7d: 185 })).toBe('hypertension');
    expect(route({ has_hypertension: true, has_heart_failure: true, weight_change_7d: 2.4, sbp_mean_30d: 145 })).toEqual({
      program: 'heart_failure',
      routing: 'heart failure program: its alerts and trends earned 25 points',
    });
  });

  test('routing follows what drives the risk: a monitoring alert of no one program (non-adherence) drives the member\'s programs', () => {
    // 10 reading days in 30: non-adherent (moderate, 8 points), a rule of every program
    expect(route({ has_heart_failure: true, reading_days_30d: 10, reading_days_90d: 50, days_since_last_reading: 1 })).toEqual({
      program: 'heart_failure',
      routing: 'heart failure program: its alerts and trends earned 8 points',
    });
  });

  test("routing follows what drives the risk: a program's HCC among the two largest, in a leading reason", () => {
    // no alert: E1122 (HCC37, 0.166) and J449 (HCC280, 0.319) are the only disease factors and the CMS-HCC reason
    // leads: both programs are driven, the larger HCC wins
    expect(route({ has_diabetes: true, has_copd: true, dx_codes_12m: 'E1122,J449', ip_admissions_12m: 2 })).toEqual({
      program: 'copd',
      routing: 'copd program: its HCC280 leads the CMS-HCC score',
    });
    expect(program({ has_ckd: true, sbp_max_7d: 200, weight_change_7d: 3 })).toBeNull();
  });

  test('routing follows what drives the risk: metastatic cancer with hypertension goes to review, not to hypertension', () => {
    // C787 (HCC17, metastatic cancer) and 2 admissions lead; hypertension earns nothing and has no HCC
    const r = route({ has_hypertension: true, dx_codes_12m: 'C787,I10', ip_admissions_12m: 2 });
    expect(r).toEqual({ program: null, routing: 'review: the leading risk belongs to no program (has hypertension, which drives none of it)' });
    // diabetes with a small HCC behind two larger ones does not lead either
    expect(program({ has_diabetes: true, dx_codes_12m: 'C787,E1122,I5030' })).toBe(null);
  });

  test('routing follows what drives the risk: review members go to the review partner only when one is configured, saying why', () => {
    // of 10 members the cancer member ranks first by score: rank 1 is within the top 10 % (high), a dispatched tier
    const cancer = member('cancer', { has_hypertension: true, dx_codes_12m: 'C787,I10', ip_admissions_12m: 3 });
    const quiet = Array.from({ length: 9 }, (_, i) => member(`quiet${i}`));
    const off = scorePopulation([cancer, ...quiet], config);
    expect(off.scores.find((s) => s.person_id === 'cancer')).toMatchObject({ program: null, tier: 'high' });
    expect(off.flags).toEqual([]);
    const withReview = configWith((c) => c.partners.push({ name: 'complexcare', program: 'review' }));
    const { flags } = scorePopulation([cancer, ...quiet], withReview);
    expect(flags.map((f) => [f.person_id, f.partner, f.program])).toEqual([['cancer', 'complexcare', 'review']]);
    expect(JSON.parse(flags[0]!.reasons)[0]).toBe('Review: the leading risk belongs to no program (has hypertension, which drives none of it)');
  });

  test('the discharge disposition decides: discharged to hospice is excluded as hospice, died at discharge as deceased', () => {
    const all = config.dispatch.exclusions;
    expect(exclusionOf(member('p', { last_discharge_disposition: '51' }), 'copd', all, new Map())).toBe('hospice');
    expect(exclusionOf(member('p', { last_discharge_disposition: '20' }), 'copd', all, new Map())).toBe('deceased');
    expect(exclusionOf(member('p', { last_discharge_disposition: '01' }), 'copd', all, new Map())).toBeNull();
  });

  test('the discharge disposition decides the window: it runs from the end of a SNF stay, not while the member is there', () => {
    const stay = { last_stay_los_days: 5, last_admission_emergent: true, ed_visits_180d: 0, last_discharge_disposition: '03' };
    // acute discharge 25 days ago, SNF discharge 5 days ago: in the window, counted from the SNF
    const after = scoreMember(member('p', { ...stay, days_since_discharge: 25, days_since_community_discharge: 5 }), config.scoring);
    expect(after.lace).not.toBeNull();
    expect(after.contributions.find((c) => c.reason.startsWith('Discharged'))!.reason).toMatch(/^Discharged 5 days ago from skilled nursing after a 5-day emergent stay/);
    // still in the SNF: no community discharge, no window, not actionable for it
    const inSnf = scoreMember(member('p', { ...stay, days_since_discharge: 5, days_since_community_discharge: null }), config.scoring);
    expect(inSnf.lace).toBeNull();
    expect(inSnf.actionable).toBe(false);
  });

  test('hospice, ESRD, long-term institutional and enrolled members are excluded; the first configured reason is given', () => {
    const enrolled = new Map([['copd' as const, new Set(['p'])]]);
    const all = config.dispatch.exclusions;
    expect(exclusionOf(member('p', { hospice: true, esrd: true }), 'copd', all, enrolled)).toBe('hospice');
    expect(exclusionOf(member('p', { esrd: true }), 'copd', all, enrolled)).toBe('esrd');
    expect(exclusionOf(member('p', { institutional: true }), 'copd', all, new Map())).toBe('institutional');
    expect(exclusionOf(member('p'), 'copd', all, enrolled)).toBe('enrolled');
    expect(exclusionOf(member('p'), 'diabetes', all, enrolled)).toBeNull(); // enrolled in another program's partner only
    expect(exclusionOf(member('p', { hospice: true }), 'copd', ['esrd'], enrolled)).toBeNull();
  });
});
