/** Reasons in plain words on the worklists, and the legend that gives their thresholds once, from the configuration. */
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../lib/config/index.js';
import { plainReason, reasonLegend } from '../../lib/scoring/legend.js';

describe('reasons without their thresholds, and the legend', () => {
  it('takes out the bracketed threshold and keeps the member figures, the severity and the LACE parts', () => {
    expect(plainReason('Weight up 2.8 lb (1.3 kg) within 24 hours in the last 7 days (>= 2 lb) [high]')).toBe('Weight up 2.8 lb (1.3 kg) within 24 hours in the last 7 days [high]');
    expect(plainReason("Weight 101.8 kg, 2.7 kg above the member's 30-day median of 99.2 (>= +2 kg) [high]")).toBe("Weight 101.8 kg, 2.7 kg above the member's 30-day median of 99.2 [high]");
    expect(plainReason('Low oxygen: lowest SpO2 86% in the last 7 days (< 88%) [high]')).toBe('Low oxygen: lowest SpO2 86% in the last 7 days [high]');
    expect(plainReason('$61,200 paid for care in the last 12 months (>= $50,000)')).toBe('$61,200 paid for care in the last 12 months');
    const lace = 'Discharged 7 days ago after a 3-day planned stay: LACE 5 of 19 (L 3, A 0, C 1, E 1)';
    expect(plainReason(lace)).toBe(lace);
  });

  it('gives every monitoring rule with the configured thresholds, severity and points, and the overrides of a program', () => {
    const config = loadConfig();
    const legend = reasonLegend(config);
    expect(legend.map((e) => e.term)).toEqual(expect.arrayContaining(['Blood pressure crisis', 'Low oxygen', 'Weight up within 24 hours', 'Not adherent', 'Hospital admissions']));
    // config/stratify.json: bp_crisis at 180/110, urgent, 40 points
    expect(legend.find((e) => e.term === 'Blood pressure crisis')!.definition).toBe(
      'a reading of 180 systolic or 110 diastolic mmHg or more in the last 7 days; urgent (40 points)',
    );
    // every term is the words before the colon of its text: no term holds a colon, and every definition starts with a word
    for (const e of legend) expect(`${e.term}|${e.definition}`).toMatch(/^[A-Z][^:|]*\|[a-z0-9]/);
    expect(legend.find((e) => e.term === 'No transmission')!.definition).toBe(
      'no device reading for 7 days or more, from members who sent readings in the last 90 days; moderate (8 points)',
    );
    expect(legend.find((e) => e.term === 'Hospital admissions')!.definition).toBe('in the last 12 months, 1: 4 points, 2: 8 points, 3: 12 points');
    const overridden = { ...config, scoring: { ...config.scoring, monitoring: { ...config.scoring.monitoring, overrides: { copd: { spo2_low: { at: 86 } } } } } };
    expect(reasonLegend(overridden).find((e) => e.term === 'Low oxygen')!.definition).toBe('an SpO2 reading under 88% in the last 7 days; high (25 points); overridden for copd: at 86');
  });
});
