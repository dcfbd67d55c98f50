/** Each monitoring rule at its threshold and just short of it, the program scope, baselines and per-program overrides. */
import { describe, expect, test } from 'vitest';
import { POUND_KG } from '../../lib/ingest/units.js';
import type { FeatureRow } from '../../lib/scoring/member.js';
import { monitoringAlerts } from '../../lib/scoring/monitoring.js';
import { scorePopulation } from '../../lib/scoring/population.js';
import { config, configWith, member } from './fixtures.js';

const alerts = (o: Partial<FeatureRow>, cfg = config) => monitoringAlerts(member('m', o), cfg.scoring.monitoring);
const fired = (o: Partial<FeatureRow>, cfg = config): string[] => alerts(o, cfg).map((a) => `${a.rule}:${a.severity}`);

const htn = { has_hypertension: true };
const hf = { has_heart_failure: true };
const copd = { has_copd: true };
const dm = { has_diabetes: true };

describe('absolute thresholds, at and just short of each', () => {
  test.each([
    ['BP crisis, systolic', { ...htn, sbp_max_7d: 180, dbp_max_7d: 95 }, { ...htn, sbp_max_7d: 179.9, dbp_max_7d: 95 }, 'bp_crisis:urgent'],
    ['BP crisis, diastolic', { ...htn, sbp_max_7d: 150, dbp_max_7d: 110 }, { ...htn, sbp_max_7d: 150, dbp_max_7d: 109.9 }, 'bp_crisis:urgent'],
    ['uncontrolled, systolic', { ...htn, sbp_mean_30d: 140, dbp_mean_30d: 80 }, { ...htn, sbp_mean_30d: 139.9, dbp_mean_30d: 80 }, 'bp_uncontrolled:moderate'],
    ['uncontrolled, diastolic', { ...htn, sbp_mean_30d: 130, dbp_mean_30d: 90 }, { ...htn, sbp_mean_30d: 130, dbp_mean_30d: 89.9 }, 'bp_uncontrolled:moderate'],
    ['hypotension', { ...htn, sbp_min_7d: 89.9 }, { ...htn, sbp_min_7d: 90 }, 'hypotension:high'],
    // 2 lb = 0.90718474 kg; 0.9 kg is 1.98 lb
    ['HF weight gain in 24 h', { ...hf, weight_gain_24h_max: 2 * POUND_KG }, { ...hf, weight_gain_24h_max: 0.9 }, 'weight_gain_24h:high'],
    // 5 lb = 2.26796185 kg
    ['HF weight gain in 7 days', { ...hf, weight_change_7d: 5 * POUND_KG }, { ...hf, weight_change_7d: 2.26 }, 'weight_gain_7d:high'],
    ['COPD SpO2', { ...copd, spo2_min_7d: 87.9 }, { ...copd, spo2_min_7d: 88 }, 'spo2_low:high'],
    ['hypoglycaemia level 1', { ...dm, glucose_min_7d: 69.9 }, { ...dm, glucose_min_7d: 70 }, 'glucose_low_level1:high'],
    ['sustained high glucose', { ...dm, glucose_min_3d: 300.5, glucose_readings_3d: 2 }, { ...dm, glucose_min_3d: 300, glucose_readings_3d: 6 }, 'glucose_sustained_high:high'],
    ['non-adherent', { reading_days_30d: 15, reading_days_90d: 50, days_since_last_reading: 1 }, { reading_days_30d: 16, reading_days_90d: 50, days_since_last_reading: 1 }, 'non_adherent:moderate'],
    ['no transmission', { days_since_last_reading: 7, reading_days_90d: 40, reading_days_30d: 20 }, { days_since_last_reading: 6, reading_days_90d: 40, reading_days_30d: 20 }, 'no_transmission:moderate'],
  ])('%s', (_name, at, below, expected) => {
    expect(fired(at)).toEqual([expected]);
    expect(fired(below)).toEqual([]);
  });

  test('level 2 hypoglycaemia (< 54) is urgent and replaces level 1', () => {
    expect(fired({ ...dm, glucose_min_7d: 53 })).toEqual(['glucose_low_level2:urgent']);
    expect(fired({ ...dm, glucose_min_7d: 54 })).toEqual(['glucose_low_level1:high']);
  });

  test('sustained high glucose needs at least 2 readings in the 3 days', () => {
    expect(fired({ ...dm, glucose_min_3d: 340, glucose_readings_3d: 1 })).toEqual([]);
  });

  test('non-adherence is judged only for members who were sending before the 30 days; silence only within 90 days', () => {
    expect(fired({ reading_days_30d: 10, reading_days_90d: 10, days_since_last_reading: 0 })).toEqual([]); // started recently
    // the 90-day window is as-of − 89 .. as-of: a reading 89 days ago is in it (and counted by reading_days_90d), 90 is not
    expect(fired({ days_since_last_reading: 89, reading_days_90d: 1, reading_days_30d: 0 })).toEqual(['non_adherent:moderate', 'no_transmission:moderate']);
    expect(fired({ days_since_last_reading: 90, reading_days_90d: 0, reading_days_30d: 0 })).toEqual([]);
  });
});

describe("deviation from the member's own 30-day baseline", () => {
  test.each([
    ['systolic +20', { ...htn, sbp_latest_3d: 160, sbp_median_30d: 140 }, { ...htn, sbp_latest_3d: 159.9, sbp_median_30d: 140 }, 'sbp_above_baseline:moderate'],
    ['weight +2 kg', { ...hf, weight_latest_3d: 82, weight_median_30d: 80 }, { ...hf, weight_latest_3d: 81.9, weight_median_30d: 80 }, 'weight_above_baseline:high'],
    ['glucose +80', { ...dm, glucose_min_3d: 230, glucose_median_30d: 150 }, { ...dm, glucose_min_3d: 229, glucose_median_30d: 150 }, 'glucose_above_baseline:moderate'],
    ['SpO2 3 points under the baseline average', { ...copd, spo2_min_7d: 91, spo2_mean_baseline: 94 }, { ...copd, spo2_min_7d: 91.1, spo2_mean_baseline: 94 }, 'spo2_below_baseline:moderate'],
  ])('%s', (_name, at, below, expected) => {
    expect(fired(at)).toEqual([expected]);
    expect(fired(below)).toEqual([]);
  });

  test('a systolic of 150 alerts a member whose own median is 128, not one whose median is 145', () => {
    expect(fired({ ...htn, sbp_latest_3d: 150, sbp_median_30d: 128 })).toEqual(['sbp_above_baseline:moderate']);
    expect(fired({ ...htn, sbp_latest_3d: 150, sbp_median_30d: 145 })).toEqual([]);
  });

  test('a latest systolic or weight older than the 3 compared days is no deviation', () => {
    // latest reading 5 days ago (in the 90-day latest, not in the 3-day window): nothing new to compare
    expect(fired({ ...htn, sbp_latest: 170, sbp_latest_3d: null, sbp_median_30d: 128 })).toEqual([]);
    expect(fired({ ...hf, weight_latest: 85, weight_latest_3d: null, weight_median_30d: 80 })).toEqual([]);
  });

  test('the SpO2 baseline is the mean of days −29..−3, not the 30-day mean that holds the compared days', () => {
    // baseline 94, last days 90 and 91: 30-day mean 93.5, only 2.5 over the low of 91 (no alert before); 3 under the baseline
    expect(fired({ ...copd, spo2_min_7d: 91, spo2_mean_30d: 93.5, spo2_mean_baseline: 94 })).toEqual(['spo2_below_baseline:moderate']);
  });
});

describe('program scope and overrides', () => {
  test("a rule applies to its programs' members only", () => {
    expect(fired({ sbp_max_7d: 200, spo2_min_7d: 80, weight_change_7d: 4, glucose_min_7d: 40 })).toEqual([]);
    expect(fired({ ...hf, sbp_max_7d: 200 })).toEqual(['bp_crisis:urgent']); // BP crisis also counts for heart failure
  });

  test('alerts come most severe first, each with its program and a reason naming the figures', () => {
    const a = alerts({ ...htn, ...hf, sbp_max_7d: 186, dbp_max_7d: 104, sbp_mean_30d: 151.2, dbp_mean_30d: 88, weight_change_7d: 2.7 });
    expect(a).toEqual([
      { rule: 'bp_crisis', severity: 'urgent', program: 'hypertension', reason: 'Blood pressure crisis: highest 186/104 mmHg in the last 7 days (>= 180/110)' },
      { rule: 'weight_gain_7d', severity: 'high', program: 'heart_failure', reason: 'Weight up 6 lb (2.7 kg) in 7 days (>= 5 lb)' },
      { rule: 'bp_uncontrolled', severity: 'moderate', program: 'hypertension', reason: 'Blood pressure uncontrolled: average 151/88 mmHg over the last 30 days (>= 140/90)' },
    ]);
  });

  test("a program's override changes the threshold for that program's members only", () => {
    const cfg = configWith((c) => {
      c.scoring.monitoring.overrides = { copd: { spo2_low: { at: 90, severity: 'urgent' } } };
    });
    expect(fired({ ...copd, spo2_min_7d: 89 })).toEqual([]);
    expect(fired({ ...copd, spo2_min_7d: 89 }, cfg)).toEqual(['spo2_low:urgent']);
    expect(fired({ ...copd, spo2_min_7d: 90 }, cfg)).toEqual([]);
  });

  test('a member in two programs is judged by each and keeps the most severe result', () => {
    const cfg = configWith((c) => {
      c.scoring.monitoring.overrides = { heart_failure: { hypotension: { at: 95, severity: 'urgent' } } };
    });
    expect(alerts({ ...htn, ...hf, sbp_min_7d: 88 }, cfg).map((a) => [a.severity, a.program])).toEqual([['urgent', 'heart_failure']]);
    expect(alerts({ ...htn, ...hf, sbp_min_7d: 93 }, cfg).map((a) => [a.severity, a.program])).toEqual([['urgent', 'heart_failure']]);
    expect(alerts({ ...htn, sbp_min_7d: 93 }, cfg)).toEqual([]);
  });

  test('overriding a threshold in the config changes who is flagged', () => {
    const filler = Array.from({ length: 49 }, (_, i) => member(`f${String(i).padStart(2, '0')}`, { has_diabetes: true, age: 70 + (i % 20) }));
    const borderline = member('copd', { has_copd: true, spo2_min_7d: 89 });
    const flagged = (cfg = config) => scorePopulation([...filler, borderline], cfg).flags.map((f) => `${f.partner}:${f.person_id}:${f.tier}`);
    expect(flagged().filter((f) => f.includes('copd'))).toEqual([]);
    const stricter = configWith((c) => {
      c.scoring.monitoring.overrides = { copd: { spo2_low: { at: 90 } } };
    });
    expect(flagged(stricter)).toContain('breatheasy:copd:critical');
  });
});
