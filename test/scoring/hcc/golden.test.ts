/**
 * The published CMS-HCC V28 values (reference PROVENANCE.md, checked against the hccinfhir and Tuva
 * implementations): community non-dual aged male, age 70.
 */
import { describe, expect, it } from 'vitest';
import { scoreHcc } from '../../../lib/scoring/hcc/index.js';

const MALE_70 = { age: 70, sex: 'male', segment: 'CNA', model: 'v28' } as const;
const DX = ['E1169', 'I5030', 'I509', 'I211', 'I209', 'R05'];

describe('CMS-HCC V28 published values', () => {
  it('E1169, I5030, I509, I211, I209, R05 → 1.034', () => {
    // HCC37 0.166 + HCC226 0.360 + CNA_M70_74 0.396 + DIABETES_HF 0.112; I211, I209, R05 map to no V28 payment HCC
    const r = scoreHcc({ ...MALE_70, dx: DX });
    expect(r.rawScore).toBeCloseTo(1.034, 3);
    expect(r.hccs).toEqual(['HCC37', 'HCC226']);
    expect(r.factors.map((f) => [f.kind, f.code, f.coefficient])).toEqual([
      ['demographic', 'CNA_M70_74', 0.396],
      ['disease', 'CNA_HCC37', 0.166],
      ['disease', 'CNA_HCC226', 0.36],
      ['interaction', 'CNA_DIABETES_HF_V28', 0.112],
    ]);
  });

  it('the same plus A4154 → 1.534 (adds HCC2 0.500)', () => {
    const r = scoreHcc({ ...MALE_70, dx: [...DX, 'A4154'] });
    expect(r.rawScore).toBeCloseTo(1.534, 3);
    expect(r.factors.find((f) => f.code === 'CNA_HCC2')?.coefficient).toBe(0.5);
  });

  it('with MA coding intensity 0.059 and normalization 1.015: 1.034 × (1 − 0.059) / 1.015 = 0.9586', () => {
    const r = scoreHcc({ ...MALE_70, dx: DX, paymentYear: 2024 });
    expect(r.adjustment).toEqual({ normalizationFactor: 1.015, codingIntensity: 0.059, fromPaymentYear: 2024 });
    expect(r.score).toBeCloseTo(0.9586, 4);
  });

  it('no diagnoses → 0.396, the demographic factor alone', () => {
    const r = scoreHcc({ age: 70, sex: 'male', dx: [] });
    expect(r.segment).toBe('CNA');
    expect(r.rawScore).toBeCloseTo(0.396, 3);
    expect(r.factors).toHaveLength(1);
  });

  it('I10 (essential hypertension) maps to no HCC in V28 or V24', () => {
    expect(scoreHcc({ ...MALE_70, dx: ['I10'] }).hccs).toEqual([]);
    expect(scoreHcc({ ...MALE_70, model: 'v24', dx: ['I10'] }).hccs).toEqual([]);
  });
});
