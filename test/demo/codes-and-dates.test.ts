import { describe, expect, it } from 'vitest';
import { CONDITIONS, ED_REASON_CODES, loadConditionCodes, OTHER_ADMISSIONS, ROUTINE_VISIT_CODES } from '../../lib/demo/codes.js';
import { dayOf } from '../../lib/dates.js';
import { localTimestamp, US_TIME_ZONES } from '../../lib/demo/dates.js';
import { Random } from '../../lib/demo/random.js';

describe('demo code lists', () => {
  it('draws each condition from codes that qualify for it alone, and routine codes that qualify for none', async () => {
    const codes = await loadConditionCodes();
    const owner = new Map<string, string>();
    for (const c of CONDITIONS) {
      expect(codes.all[c].length, c).toBeGreaterThan(0);
      for (const code of codes.all[c]) {
        expect(owner.get(code), code).toBeUndefined();
        owner.set(code, c);
      }
      for (const code of codes.common[c]) expect(owner.get(code)).toBe(c);
    }
    expect(codes.all.hypertension).not.toContain('I110'); // hypertension and heart failure both
    expect(codes.common.hypertension).toContain('I10');
    const routine = [...ROUTINE_VISIT_CODES, ...ED_REASON_CODES, ...OTHER_ADMISSIONS.flatMap((a) => a.diagnosis)];
    for (const code of routine) expect(owner.get(code), code).toBeUndefined();
  });
});

describe('demo dates and randomness', () => {
  const eastern = US_TIME_ZONES[0]![0];
  const phoenix = US_TIME_ZONES.find(([z]) => z.name === 'America/Phoenix')![0];

  it('writes US offsets with daylight saving time from the second Sunday of March to the first Sunday of November', () => {
    expect(localTimestamp(dayOf('2026-03-07'), 7 * 3600, eastern)).toBe('2026-03-07T07:00:00-05:00');
    expect(localTimestamp(dayOf('2026-03-08'), 7 * 3600 + 61, eastern)).toBe('2026-03-08T07:01:01-04:00');
    expect(localTimestamp(dayOf('2026-10-31'), 7 * 3600, eastern)).toBe('2026-10-31T07:00:00-04:00');
    expect(localTimestamp(dayOf('2026-11-01'), 7 * 3600, eastern)).toBe('2026-11-01T07:00:00-05:00');
    expect(localTimestamp(dayOf('2026-06-30'), 7 * 3600, phoenix)).toBe('2026-06-30T07:00:00-07:00');
  });

  it('rejects dates that do not exist', () => {
    expect(() => dayOf('2026-02-30')).toThrow(/calendar/);
  });

  it('draws normals with the asked mean and spread, the same for the same keys', () => {
    const rng = new Random(1, 2, 3);
    const v = Array.from({ length: 20_000 }, () => rng.normal(10, 2));
    const m = v.reduce((a, b) => a + b, 0) / v.length;
    const sd = Math.sqrt(v.reduce((a, b) => a + (b - m) ** 2, 0) / v.length);
    expect(m).toBeCloseTo(10, 1);
    expect(sd).toBeCloseTo(2, 1);
    expect(new Random(1, 2, 3).next()).toBe(new Random(1, 2, 3).next());
    expect(new Random(1, 2, 3).next()).not.toBe(new Random(1, 2, 4).next());
  });
});
