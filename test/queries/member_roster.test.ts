/**
 * member_roster: one row per person enrolled on the as-of date, with age in whole years and sex.
 * As of 2024-06-30 unless a test says otherwise.
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
    ],
  });
});
afterAll(() => fx.close());

describe('member_roster', () => {
  it('keeps exactly the persons with a span covering the as-of date and no death before it', async () => {
    const ids = [...(await fx.features(AS_OF)).keys()].sort();
    expect(ids).toEqual(
      ['birthday_today', 'birthday_tomorrow', 'dies_later', 'dies_today', 'leap_day', 'overlapping', 'span_ends_today', 'span_starts_today', 'two_spans'].sort(),
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

  it('answers for an earlier date from that date alone', async () => {
    // on 2019-06-01 only the old span of two_spans (2018–2019) covers the date; every other span starts in 2020 or
    // later. Born 1950-06-15: 2019 - 1950 = 69, birthday not yet reached on 1 June, so 68.
    const rows = await fx.features('2019-06-01');
    expect([...rows.keys()]).toEqual(['two_spans']);
    expect(rows.get('two_spans')).toMatchObject({ sex: 'unknown', age: 68 });
  });
});
