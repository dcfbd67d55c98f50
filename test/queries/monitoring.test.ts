/**
 * monitoring: device-reading features, and the latest HbA1c (labs). As of 2024-06-30 the windows are
 *   3 days 2024-06-28..06-30, 7 days 2024-06-24..06-30, 30 days 2024-06-01..06-30, 90 days 2024-04-02..06-30
 *   (UTC dates of observed_at); the baseline is the 30 days before the last 3: 2024-06-01..06-27.
 * LOINC: 8480-6 systolic, 8462-4 diastolic, 29463-7 weight, 59408-5 / 2708-6 SpO2, 41653-7 / 2339-0 glucose,
 * 4548-4 HbA1c.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Fixture, bloodPressure, member, reading } from './fixture.js';

const AS_OF = '2024-06-30';
let fx: Fixture;

/** systolic 120 on 2024-06-01 rising 1 mm[Hg] a day to 129 on 2024-06-10 */
const risingSystolic = Array.from({ length: 10 }, (_, k) =>
  reading('slope', `2024-06-${String(k + 1).padStart(2, '0')}T08:00:00Z`, '8480-6', 120 + k),
);

beforeAll(async () => {
  fx = await Fixture.open({
    members: [
      'bp',
      'paired',
      'slope',
      'weight',
      'one_weight',
      'spo2',
      'glucose',
      'midnight',
      'stale',
      'never',
      'weight_24h',
      'glucose_high',
      'glucose_dip',
      'baseline',
      'bp7',
      'weight_trend',
      'a1c',
      'a1c_clinic',
      'spo2_base',
    ].map((p) => member(p)),
    observations: [
      // bp: 140/90 is uncontrolled, 139/89 twice is not; 160/100 on 2024-05-15 is in 90 days only; a clinic 200/120
      // in the window is not a device reading
      ...bloodPressure('bp', '2024-06-10T08:00:00Z', 140, 90),
      ...bloodPressure('bp', '2024-06-11T08:00:00Z', 139, 89),
      ...bloodPressure('bp', '2024-06-12T08:00:00Z', 139, 89),
      ...bloodPressure('bp', '2024-05-15T08:00:00Z', 160, 100),
      reading('bp', '2024-06-20T08:00:00Z', '8480-6', 200, 'clinic'),
      reading('bp', '2024-06-20T08:00:00Z', '8462-4', 120, 'clinic'),
      // paired: morning 140/80 (systolic at its threshold), evening 120/90 (diastolic at its threshold), next day
      // 139/89: 2 of 3 uncontrolled. Paired by day instead of instant, the two 06-20 readings would merge into one.
      ...bloodPressure('paired', '2024-06-20T07:00:00Z', 140, 80),
      ...bloodPressure('paired', '2024-06-20T19:00:00Z', 120, 90),
      ...bloodPressure('paired', '2024-06-21T07:00:00Z', 139, 89),
      // slope: +1 per day inside the 30 days; a 500 on 2024-05-31 (day before the window) must not bend it
      ...risingSystolic,
      reading('slope', '2024-05-31T08:00:00Z', '8480-6', 500),
      // weight: 2024-06-23 is the day before the 7-day window; 2024-07-01 is after the as-of date
      reading('weight', '2024-06-23T08:00:00Z', '29463-7', 90),
      reading('weight', '2024-06-24T08:00:00Z', '29463-7', 88),
      reading('weight', '2024-06-27T08:00:00Z', '29463-7', 88.5),
      reading('weight', '2024-06-29T08:00:00Z', '29463-7', 89.5),
      reading('weight', '2024-07-01T08:00:00Z', '29463-7', 95),
      reading('one_weight', '2024-06-28T08:00:00Z', '29463-7', 70),
      // spo2: 88 on 2024-05-20 is outside the 30 days
      reading('spo2', '2024-06-05T08:00:00Z', '59408-5', 95),
      reading('spo2', '2024-06-15T08:00:00Z', '2708-6', 91),
      reading('spo2', '2024-05-20T08:00:00Z', '59408-5', 88),
      // glucose: meter 100, lab-coded 160 and 130 from the device; 250 on 2024-05-01 is outside the 30 days
      reading('glucose', '2024-06-02T08:00:00Z', '41653-7', 100),
      reading('glucose', '2024-06-03T08:00:00Z', '2339-0', 160),
      reading('glucose', '2024-06-04T08:00:00Z', '2339-0', 130),
      reading('glucose', '2024-05-01T08:00:00Z', '41653-7', 250),
      // midnight: 23:30 UTC on the as-of date belongs to it; 00:30 UTC the next day is after it
      reading('midnight', '2024-06-30T23:30:00Z', '41653-7', 100),
      reading('midnight', '2024-07-01T00:30:00Z', '41653-7', 400),
      // stale: one reading on 2024-01-01, 181 days before the as-of date (30 + 29 + 31 + 30 + 31 + 30)
      ...bloodPressure('stale', '2024-01-01T08:00:00Z', 150, 95),
      // weight_24h: rises between weights at most 24 h apart, both in the 7 days: +1.2 at exactly 24 h (06-25 08:00
      // → 06-26 08:00), +1.0 (06-24 10:00 → 06-25 08:00), +0.3 and +0.5 on 06-28/29. Not pairs: 25 h (06-26 08:00 →
      // 06-27 09:00), 24 h 1 min (06-27 09:00 → 06-28 09:01, +2.0), and +3.0 from 06-23 20:00, before the 7 days.
      reading('weight_24h', '2024-06-23T20:00:00Z', '29463-7', 76),
      reading('weight_24h', '2024-06-24T10:00:00Z', '29463-7', 79),
      reading('weight_24h', '2024-06-25T08:00:00Z', '29463-7', 80),
      reading('weight_24h', '2024-06-26T08:00:00Z', '29463-7', 81.2),
      reading('weight_24h', '2024-06-27T09:00:00Z', '29463-7', 80),
      reading('weight_24h', '2024-06-28T09:01:00Z', '29463-7', 82),
      reading('weight_24h', '2024-06-29T08:00:00Z', '29463-7', 82.3),
      reading('weight_24h', '2024-06-29T20:00:00Z', '29463-7', 82.8),
      // glucose_high: every reading of the 3 days above 300 (lowest 305); 280 on 06-25 is in the 7 days only
      reading('glucose_high', '2024-06-25T08:00:00Z', '41653-7', 280),
      reading('glucose_high', '2024-06-28T08:00:00Z', '41653-7', 310),
      reading('glucose_high', '2024-06-29T08:00:00Z', '41653-7', 350),
      reading('glucose_high', '2024-06-30T10:00:00Z', '41653-7', 305),
      reading('glucose_high', '2024-06-30T20:00:00Z', '41653-7', 320),
      reading('glucose_high', '2024-07-01T01:00:00Z', '41653-7', 100),
      // glucose_dip: one of the 3 days at 290
      reading('glucose_dip', '2024-06-28T08:00:00Z', '41653-7', 310),
      reading('glucose_dip', '2024-06-29T08:00:00Z', '41653-7', 290),
      reading('glucose_dip', '2024-06-30T08:00:00Z', '41653-7', 330),
      // baseline: systolic 130, 140, 150, 170 in 06-01..06-27 (median 145); 100 on 05-31 and 200 on 06-28 are outside
      // it. Weights 80, 82, 81 (median 81; 23:00 UTC on 06-27 is in, 00:30 on 06-28 is not). Glucose 120 alone.
      reading('baseline', '2024-05-31T08:00:00Z', '8480-6', 100),
      reading('baseline', '2024-06-05T08:00:00Z', '8480-6', 130),
      reading('baseline', '2024-06-10T08:00:00Z', '8480-6', 150),
      reading('baseline', '2024-06-15T08:00:00Z', '8480-6', 140),
      reading('baseline', '2024-06-20T08:00:00Z', '8480-6', 170),
      reading('baseline', '2024-06-28T08:00:00Z', '8480-6', 200),
      reading('baseline', '2024-06-02T08:00:00Z', '29463-7', 80),
      reading('baseline', '2024-06-12T08:00:00Z', '29463-7', 82),
      reading('baseline', '2024-06-27T23:00:00Z', '29463-7', 81),
      reading('baseline', '2024-06-28T00:30:00Z', '29463-7', 95),
      reading('baseline', '2024-06-27T08:00:00Z', '41653-7', 120),
      reading('baseline', '2024-06-29T08:00:00Z', '41653-7', 400),
      // bp7: 7-day extremes; 190/120 and SpO2 85 on 06-23 are the day before the 7 days
      ...bloodPressure('bp7', '2024-06-23T08:00:00Z', 190, 120),
      ...bloodPressure('bp7', '2024-06-25T08:00:00Z', 150, 95),
      ...bloodPressure('bp7', '2024-06-27T08:00:00Z', 170, 88),
      ...bloodPressure('bp7', '2024-06-29T08:00:00Z', 118, 100),
      reading('bp7', '2024-06-23T08:00:00Z', '59408-5', 85),
      reading('bp7', '2024-06-24T08:00:00Z', '59408-5', 92),
      reading('bp7', '2024-06-26T08:00:00Z', '59408-5', 89),
      // weight_trend: 90, 89, 88 on days 1, 11, 21 of the 30 days: -0.1 kg a day
      reading('weight_trend', '2024-06-02T08:00:00Z', '29463-7', 90),
      reading('weight_trend', '2024-06-12T08:00:00Z', '29463-7', 89),
      reading('weight_trend', '2024-06-22T08:00:00Z', '29463-7', 88),
      // a1c: lab results 7.2 (03-01) and 8.1 (05-15, 46 days before the as-of date); 9.0 on 07-01 is after it
      reading('a1c', '2024-03-01T09:00:00Z', '4548-4', 7.2, 'lab'),
      reading('a1c', '2024-05-15T09:00:00Z', '4548-4', 8.1, 'lab'),
      reading('a1c', '2024-07-01T09:00:00Z', '4548-4', 9, 'lab'),
      reading('a1c_clinic', '2024-06-30T15:00:00Z', '4548-4', 6.5, 'clinic'),
      // spo2_base: 96 and 94 in the baseline days (mean 95), 88 on 06-29 in the compared 3 days
      reading('spo2_base', '2024-06-10T08:00:00Z', '59408-5', 96),
      reading('spo2_base', '2024-06-20T08:00:00Z', '59408-5', 94),
      reading('spo2_base', '2024-06-29T08:00:00Z', '59408-5', 88),
    ],
  });
});
afterAll(() => fx.close());

describe('monitoring: blood pressure', () => {
  it('counts 140/90 as uncontrolled and 139/89 as controlled: share 1/3', async () => {
    const row = await fx.featuresOf(AS_OF, 'bp');
    expect(row.bp_uncontrolled_share_30d).toBeCloseTo(1 / 3, 12);
  });

  it('means over 30 and 90 days, latest values, BP days and reading days', async () => {
    const row = await fx.featuresOf(AS_OF, 'bp');
    // 30 days: sbp (140 + 139 + 139) / 3, dbp (90 + 89 + 89) / 3; 90 days adds 160/100: 578 / 4, 368 / 4
    expect(row.sbp_mean_30d).toBeCloseTo(418 / 3, 12);
    expect(row.dbp_mean_30d).toBeCloseTo(268 / 3, 12);
    expect(row.sbp_mean_90d).toBe(144.5);
    expect(row.dbp_mean_90d).toBe(92);
    expect(row).toMatchObject({ sbp_latest: 139, dbp_latest: 89, bp_days_30d: 3, reading_days_30d: 3, reading_days_90d: 4 });
    // last device reading 2024-06-12 (the clinic reading on 06-20 does not count)
    expect(row.days_since_last_reading).toBe(18);
  });

  it('pairs systolic and diastolic by instant: either one at its threshold makes the reading uncontrolled', async () => {
    const row = await fx.featuresOf(AS_OF, 'paired');
    expect(row.bp_uncontrolled_share_30d).toBeCloseTo(2 / 3, 12);
    expect(row).toMatchObject({ bp_days_30d: 2, sbp_latest: 139, dbp_latest: 89 });
  });

  it('fits the systolic slope over the 30 days: +1 mm[Hg] a day gives 1.0', async () => {
    expect((await fx.featuresOf(AS_OF, 'slope')).sbp_slope_30d).toBeCloseTo(1, 12);
  });

  it('fits a falling slope: 140, 139, 139 on days 9, 10, 11 gives -0.5', async () => {
    // x mean 10, y mean 139 1/3: sum (x - 10)(y - ybar) = -2/3 + 0 - 1/3 = -1, sum (x - 10)^2 = 2
    expect((await fx.featuresOf(AS_OF, 'bp')).sbp_slope_30d).toBeCloseTo(-0.5, 12);
  });

  it('leaves the slope null with readings on a single day', async () => {
    expect((await fx.featuresOf(AS_OF, 'glucose')).sbp_slope_30d).toBeNull();
  });
});

describe('monitoring: weight, SpO2, glucose', () => {
  it('weight change over 7 days is latest minus earliest in the window: 89.5 - 88 = 1.5', async () => {
    expect(await fx.featuresOf(AS_OF, 'weight')).toMatchObject({ weight_latest: 89.5, weight_change_7d: 1.5 });
  });

  it('weight change is null with a single weight in the 7 days', async () => {
    expect(await fx.featuresOf(AS_OF, 'one_weight')).toMatchObject({ weight_latest: 70, weight_change_7d: null });
  });

  it('SpO2 min and mean over 30 days, from both SpO2 codes: 91 and (95 + 91) / 2', async () => {
    expect(await fx.featuresOf(AS_OF, 'spo2')).toMatchObject({ spo2_min_30d: 91, spo2_mean_30d: 93 });
  });

  it('glucose mean, max, min over 30 days: (100 + 160 + 130) / 3 = 130, 160, 100', async () => {
    expect(await fx.featuresOf(AS_OF, 'glucose')).toMatchObject({ glucose_mean_30d: 130, glucose_max_30d: 160, glucose_min_30d: 100 });
  });
});

describe('monitoring: dates', () => {
  it('assigns a reading to its UTC date and ignores readings after the as-of date', async () => {
    expect(await fx.featuresOf(AS_OF, 'midnight')).toMatchObject({
      days_since_last_reading: 0,
      reading_days_30d: 1,
      glucose_max_30d: 100,
    });
    expect(await fx.featuresOf(AS_OF, 'weight')).toMatchObject({ reading_days_30d: 4, reading_days_90d: 4 });
  });

  it('reports a stale reader: days since the last reading, nothing in the windows', async () => {
    expect(await fx.featuresOf(AS_OF, 'stale')).toMatchObject({
      days_since_last_reading: 181,
      reading_days_30d: 0,
      reading_days_90d: 0,
      bp_days_30d: 0,
      sbp_latest: null,
      sbp_mean_90d: null,
    });
  });

  it('gives a member who never read zeros for the day counts and nulls for the measures', async () => {
    const row = await fx.featuresOf(AS_OF, 'never');
    expect(row).toMatchObject({ reading_days_30d: 0, reading_days_90d: 0, bp_days_30d: 0, days_since_last_reading: null });
    expect(row.sbp_mean_30d).toBeNull();
    expect(row.bp_uncontrolled_share_30d).toBeNull();
    expect(row.weight_latest).toBeNull();
    expect(row.glucose_mean_30d).toBeNull();
  });

  it('answers for an earlier date as if later readings did not exist', async () => {
    // as of 2024-06-26 the 7-day window is 2024-06-20..06-26: weights 90 (06-23) then 88 (06-24); the 06-27, 06-29
    // and 07-01 weights do not exist yet. Latest 88, change 88 - 90 = -2.
    expect(await fx.featuresOf('2024-06-26', 'weight')).toMatchObject({ weight_latest: 88, weight_change_7d: -2, days_since_last_reading: 2 });
  });
});

describe('monitoring: rule inputs (7 and 3 days, baselines, 24-hour weight gain, trends)', () => {
  it('takes the 7-day highest systolic and diastolic, lowest systolic and lowest SpO2', async () => {
    expect(await fx.featuresOf(AS_OF, 'bp7')).toMatchObject({ sbp_max_7d: 170, dbp_max_7d: 100, sbp_min_7d: 118, spo2_min_7d: 89, spo2_min_30d: 85 });
  });

  it('finds the largest rise between weights at most 24 hours apart in the 7 days: 1.2 kg', async () => {
    expect((await fx.featuresOf(AS_OF, 'weight_24h')).weight_gain_24h_max).toBeCloseTo(1.2, 12);
  });

  it('leaves the 24-hour gain null without two weights within 24 hours, and reports a fall as negative', async () => {
    expect((await fx.featuresOf(AS_OF, 'weight')).weight_gain_24h_max).toBeNull();
    expect((await fx.featuresOf(AS_OF, 'one_weight')).weight_gain_24h_max).toBeNull();
    // as of 2024-06-27 the 7 days are 06-21..06-27: 76 → 79 is 14 h (+3.0), 79 → 80 is 22 h (+1.0), 80 → 81.2 is
    // 24 h (+1.2), 81.2 → 80 is 25 h. Largest: 3.0.
    expect((await fx.featuresOf('2024-06-27', 'weight_24h')).weight_gain_24h_max).toBeCloseTo(3, 12);
  });

  it('reads a sustained high glucose from the 3-day minimum, with the count of 3-day readings', async () => {
    expect(await fx.featuresOf(AS_OF, 'glucose_high')).toMatchObject({ glucose_min_3d: 305, glucose_readings_3d: 4, glucose_min_7d: 280 });
    expect(await fx.featuresOf(AS_OF, 'glucose_dip')).toMatchObject({ glucose_min_3d: 290, glucose_readings_3d: 3, glucose_min_7d: 290 });
    expect(await fx.featuresOf(AS_OF, 'never')).toMatchObject({ glucose_min_3d: null, glucose_readings_3d: 0 });
  });

  it("computes the member's own baselines as medians of the 30 days before the last 3", async () => {
    expect(await fx.featuresOf(AS_OF, 'baseline')).toMatchObject({
      sbp_median_30d: 145,
      weight_median_30d: 81,
      glucose_median_30d: 120,
      sbp_max_7d: 200,
      dbp_max_7d: null,
    });
    // bp: 140, 139, 139 in the baseline (06-10..06-12): median 139
    expect((await fx.featuresOf(AS_OF, 'bp')).sbp_median_30d).toBe(139);
    // glucose_high: only the 06-25 reading (280) is before the last 3 days
    expect((await fx.featuresOf(AS_OF, 'glucose_high')).glucose_median_30d).toBe(280);
  });

  it('counts the days of weight and of glucose readings in the 30 days, what their slopes rest on', async () => {
    // weights on 06-23, 06-24, 06-27, 06-29 (07-01 is after the as-of date); glucose on 06-02, 06-03, 06-04
    expect(await fx.featuresOf(AS_OF, 'weight')).toMatchObject({ weight_days_30d: 4, glucose_days_30d: 0 });
    expect(await fx.featuresOf(AS_OF, 'glucose')).toMatchObject({ weight_days_30d: 0, glucose_days_30d: 3 });
    // two glucose readings on 06-30 are one day: 06-25, 06-28, 06-29, 06-30
    expect(await fx.featuresOf(AS_OF, 'glucose_high')).toMatchObject({ glucose_days_30d: 4 });
    expect(await fx.featuresOf(AS_OF, 'never')).toMatchObject({ weight_days_30d: 0, glucose_days_30d: 0 });
  });

  it('keeps the latest systolic and weight for the baseline checks only when taken in the last 3 days', async () => {
    // baseline: systolic 200 on 06-28 and weight 95 at 00:30 on 06-28 are in the 3 days (06-28..06-30)
    expect(await fx.featuresOf(AS_OF, 'baseline')).toMatchObject({ sbp_latest_3d: 200, weight_latest_3d: 95 });
    // bp: latest systolic on 06-12, 18 days back: latest in 90 days, not in 3
    expect(await fx.featuresOf(AS_OF, 'bp')).toMatchObject({ sbp_latest: 139, sbp_latest_3d: null, weight_latest_3d: null });
    expect(await fx.featuresOf(AS_OF, 'weight')).toMatchObject({ weight_latest_3d: 89.5 });
    // one_weight: 06-28 is the first day of the 3 as of 06-30, and 3 days back as of 07-01 (window 06-29..07-01): out
    expect(await fx.featuresOf('2024-06-30', 'one_weight')).toMatchObject({ weight_latest: 70, weight_latest_3d: 70 });
    expect(await fx.featuresOf('2024-07-01', 'one_weight')).toMatchObject({ weight_latest: 70, weight_latest_3d: null });
  });

  it('takes the SpO2 baseline as the mean of the baseline days, without the compared 3 days', async () => {
    const row = await fx.featuresOf(AS_OF, 'spo2_base');
    expect(row.spo2_mean_baseline).toBe(95);
    expect(row.spo2_mean_30d).toBeCloseTo(278 / 3, 12);
    expect((await fx.featuresOf(AS_OF, 'never')).spo2_mean_baseline).toBeNull();
  });

  it('fits weight and glucose slopes per day over the 30 days', async () => {
    expect((await fx.featuresOf(AS_OF, 'weight_trend')).weight_slope_30d).toBeCloseTo(-0.1, 12);
    // glucose 100, 160, 130 on days 1, 2, 3: x mean 2, y mean 130, sum (x - 2)(y - 130) = 30 + 0 + 0, sum (x - 2)^2 = 2
    const glucose = await fx.featuresOf(AS_OF, 'glucose');
    expect(glucose.glucose_slope_30d).toBeCloseTo(15, 12);
    expect(glucose.weight_slope_30d).toBeNull();
    // glucose_dip: 310, 290, 330 on days 27, 28, 29, y mean 310: (-1)(0) + 0 + (1)(20) = 20, over 2
    expect((await fx.featuresOf(AS_OF, 'glucose_dip')).glucose_slope_30d).toBeCloseTo(10, 12);
  });
});

describe('labs: HbA1c', () => {
  it('takes the latest HbA1c on or before the as-of date, from lab results, and its age in days', async () => {
    expect(await fx.featuresOf(AS_OF, 'a1c')).toMatchObject({ hba1c_latest: 8.1, days_since_hba1c: 46, reading_days_30d: 0 });
    expect(await fx.featuresOf('2024-07-01', 'a1c')).toMatchObject({ hba1c_latest: 9, days_since_hba1c: 0 });
  });

  it('reads clinic observations too, and leaves members without one null', async () => {
    expect(await fx.featuresOf(AS_OF, 'a1c_clinic')).toMatchObject({ hba1c_latest: 6.5, days_since_hba1c: 0 });
    expect(await fx.featuresOf(AS_OF, 'never')).toMatchObject({ hba1c_latest: null, days_since_hba1c: null });
  });
});
