/**
 * member_roster: one row per person enrolled on the as-of date, with age in whole years, sex, the covering span's
 * dual status, institutional and hospice flags, and member months in the 12 calendar months ending with the as-of
 * month. As of 2024-06-30 unless a test says otherwise: the 12 months are July 2023 .. June 2024.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Fixture, member } from './fixture.js';

const AS_OF = '2024-06-30';
let fx: Fixture;

beforeAll(async () => {
  fx = await Fixture.open({
    members: [
      member('birthday_today', { birth_date: '1954-06-30', sex: 'male' }),
      member('birthday_tomorrow', { birth_date: '1954-07-01' }),
      member('leap_day', { birth_date: '1952-02-29' }),
      member('span_ended_yesterday', { enrollment_end_date: '2024-06-29' }),
      member('span_ends_today', { enrollment_end_date: '2024-06-30' }),
      member('span_starts_today', { enrollment_start_date: '2024-06-30' }),
      member('span_starts_tomorrow', { enrollment_start_date: '2024-07-01' }),
      member('died_yesterday', { death_date: '2024-06-29' }),
      member('dies_today', { death_date: '2024-06-30' }),
      member('dies_later', { death_date: '2024-08-01' }),
      // an old span with other demographics and the span covering the as-of date
      member('two_spans', { enrollment_start_date: '2018-01-01', enrollment_end_date: '2019-12-31', sex: 'unknown' }),
      member('two_spans', { enrollment_start_date: '2023-01-01', enrollment_end_date: '2024-12-31', sex: 'male' }),
      // overlapping spans: one row, from the latest-starting span
      member('overlapping', { enrollment_start_date: '2020-01-01', sex: 'unknown' }),
      member('overlapping', { enrollment_start_date: '2024-01-01', sex: 'female' }),
      // dual, institutional and hospice flags of the covering span (the old span says otherwise)
      member('flags', { enrollment_start_date: '2024-01-01', dual_status_code: '02', institutional_flag: true, hospice_flag: true }),
      member('flags', { enrollment_start_date: '2020-01-01', enrollment_end_date: '2023-12-31', dual_status_code: '01', institutional_flag: false, hospice_flag: false }),
      // member months across a gap: July–September 2023, then February–June 2024 (3 + 5 = 8)
      member('gap', { enrollment_start_date: '2023-01-01', enrollment_end_date: '2023-09-15' }),
      member('gap', { enrollment_start_date: '2024-02-10', enrollment_end_date: '2024-12-31' }),
      // a span starting on the last day of July 2023: July counts, so 12
      member('last_day_of_first_month', { enrollment_start_date: '2023-07-31' }),
      // a span that ended on the last day of June 2023, before the 12 months, and one from May 2024: 2
      member('old_span_then_may', { enrollment_start_date: '2022-01-01', enrollment_end_date: '2023-06-30' }),
      member('old_span_then_may', { enrollment_start_date: '2024-05-31' }),
    ],
  });
});
afterAll(() => fx.close());

describe('member_roster', () => {
  it('keeps exactly the persons with a span covering the as-of date and no death before it', async () => {
    const ids = [...(await fx.features(AS_OF)).keys()].sort();
    expect(ids).toEqual(
      [
        'birthday_today',
        'birthday_tomorrow',
        'dies_later',
        'dies_today',
        'flags',
        'gap',
        'last_day_of_first_month',
        'leap_day',
        'old_span_then_may',
        'overlapping',
        'span_ends_today',
        'span_starts_today',
        'two_spans',
      ].sort(),
    );
  });

  it('counts a birthday on the as-of date: born 1954-06-30 is 70, born 1954-07-01 is 69', async () => {
    const rows = await fx.features(AS_OF);
    expect(rows.get('birthday_today')?.age).toBe(70);
    expect(rows.get('birthday_tomorrow')?.age).toBe(69);
  });

  it('ages a 29 February birthday on 1 March in common years', async () => {
    // 2023 - 1952 = 71, but 2023 has no 29 February: still 70 on 2023-02-28, 71 from 2023-03-01
    expect((await fx.featuresOf('2023-02-28', 'leap_day')).age).toBe(70);
    expect((await fx.featuresOf('2023-03-01', 'leap_day')).age).toBe(71);
    expect((await fx.featuresOf('2024-02-29', 'leap_day')).age).toBe(72);
  });

  it('takes sex from the span covering the as-of date and writes the as-of date', async () => {
    const row = await fx.featuresOf(AS_OF, 'two_spans');
    expect(row).toMatchObject({ sex: 'male', as_of_date: AS_OF });
    expect((await fx.featuresOf(AS_OF, 'overlapping')).sex).toBe('female');
  });

  it("takes the dual status and the institutional and hospice flags from the covering span, false when unset", async () => {
    expect(await fx.featuresOf(AS_OF, 'flags')).toMatchObject({ dual_status_code: '02', institutional: true, hospice: true });
    expect(await fx.featuresOf(AS_OF, 'two_spans')).toMatchObject({ dual_status_code: null, institutional: false, hospice: false });
    // on 2023-06-30 the old span covers the date
    expect(await fx.featuresOf('2023-06-30', 'flags')).toMatchObject({ dual_status_code: '01', institutional: false, hospice: false });
  });

  it('counts member months in the 12 calendar months ending with the as-of month, across spans and gaps', async () => {
    const rows = await fx.features(AS_OF);
    expect(rows.get('gap')?.enrolled_months_12m).toBe(8);
    expect(rows.get('last_day_of_first_month')?.enrolled_months_12m).toBe(12);
    expect(rows.get('old_span_then_may')?.enrolled_months_12m).toBe(2);
    expect(rows.get('span_starts_today')?.enrolled_months_12m).toBe(1);
    expect(rows.get('birthday_today')?.enrolled_months_12m).toBe(12);
    // two_spans: its 2023-01-01 span covers all 12 months
    expect(rows.get('two_spans')?.enrolled_months_12m).toBe(12);
  });

  it('counts the as-of month but no later one, even when the span goes on', async () => {
    // as of 2024-02-10 (the second gap span starts that day): March–September 2023 from the first span (7), then
    // February 2024: 8 of March 2023 .. February 2024
    expect((await fx.featuresOf('2024-02-10', 'gap')).enrolled_months_12m).toBe(8);
  });

  it('answers for an earlier date from that date alone', async () => {
    // on 2019-06-01 only the old span of two_spans (2018–2019) covers the date; every other span starts in 2020 or
    // later. Its member months: July 2018 .. June 2019, all inside 2018-01-01..2019-12-31, so 12. Born 1950-06-15: 2019 - 1950 = 69, birthday not yet reached on 1 June, so 68.
    const rows = await fx.features('2019-06-01');
    expect([...rows.keys()]).toEqual(['two_spans']);
    expect(rows.get('two_spans')).toMatchObject({ sex: 'unknown', age: 68, enrolled_months_12m: 12 });
  });
});
