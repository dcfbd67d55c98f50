/** The report's own arithmetic, worked by hand: daily means, the weight gains drawn, reason kinds, status rules. */
import { describe, expect, it } from 'vitest';
import { reasonKind } from '../../lib/report/overview.js';
import { dailyMeans, MEASURES, weightGains } from '../../lib/report/member.js';
import { statusRule } from '../../lib/report/statuses.js';

const at = (iso: string) => Date.parse(iso);

describe('report arithmetic', () => {
  it('one point per UTC day with readings: the mean of that day, drawn at noon', () => {
    const points = dailyMeans(
      [
        { at: at('2026-06-01T07:00:00Z'), loinc: '8480-6', value: 140 },
        { at: at('2026-06-01T19:00:00Z'), loinc: '8480-6', value: 150 },
        { at: at('2026-06-01T19:00:00Z'), loinc: '8462-4', value: 90 }, // diastolic: another measure
        { at: at('2026-06-03T23:59:00Z'), loinc: '8480-6', value: 131 },
      ],
      MEASURES.systolic,
    );
    // June 1: (140 + 150) / 2 = 145; June 3: 131
    expect(points).toEqual([
      { date: new Date('2026-06-01T12:00:00Z'), value: 145 },
      { date: new Date('2026-06-03T12:00:00Z'), value: 131 },
    ]);
  });

  it('the weight gains of the last 7 days: the largest rise within 24 hours, and first to last', () => {
    const w = (iso: string, value: number) => ({ at: at(iso), loinc: '29463-7', value });
    const readings = [
      w('2026-06-20T08:00:00Z', 90.0), // before the 7 days (June 24..30): ignored
      w('2026-06-24T08:00:00Z', 80.0),
      w('2026-06-25T08:00:00Z', 80.4),
      w('2026-06-26T07:00:00Z', 81.6), // +1.2 kg in 23 h: the largest rise within 24 hours
      w('2026-06-28T08:00:00Z', 81.0),
      w('2026-06-30T08:00:00Z', 82.0), // +1.0 in 48 h: too far apart
    ];
    const { day, week } = weightGains(readings, '2026-06-30');
    expect(day!.map((r) => r.value)).toEqual([80.4, 81.6]);
    // first to last of the week: 80.0 → 82.0
    expect(week!.map((r) => r.value)).toEqual([80.0, 82.0]);
    expect(weightGains([w('2026-06-30T08:00:00Z', 80)], '2026-06-30')).toEqual({ day: null, week: null });
  });

  it('counts reasons by kind: the words before the colon, or the text without its figures', () => {
    expect(reasonKind('Low oxygen: lowest SpO2 86% in the last 7 days [high]')).toBe('Low oxygen');
    expect(reasonKind('2 hospital admissions in the last 12 months')).toBe('N hospital admissions in the last N months');
    expect(reasonKind('$61,200 paid for care in the last 12 months')).toBe('N paid for care in the last N months');
    expect(reasonKind('Charlson index 2 (Quan 2011 weights): congestive heart failure')).toBe('Charlson index N');
  });

  it('counts statuses by the rule that applied, without their dates', () => {
    expect(statusRule('sent 2026-06-30')).toBe('sent');
    expect(statusRule('sent 2026-06-23, within 30 days')).toBe('sent, within 30 days');
    expect(statusRule('suppressed: enrolled 2026-06-12')).toBe('suppressed: enrolled');
    expect(statusRule('suppressed: declined 2026-06-20 (90-day cool-off)')).toBe('suppressed: declined (90-day cool-off)');
    expect(statusRule('sent 2026-06-30: tier worsened (sent 2026-06-23 as high)')).toBe('sent: tier worsened');
  });
});
