/** Segment choice, payment-year adjustment and the errors a caller gets for input the model cannot score. */
import { describe, expect, it } from 'vitest';
import { HccInputError, scoreHcc, segmentFor, type HccInput } from '../../../lib/scoring/hcc/index.js';

describe('segmentFor', () => {
  it('picks community segments by dual status code and age (aged: 65 or older)', () => {
    expect(segmentFor({ age: 65, dualStatusCode: null })).toBe('CNA');
    expect(segmentFor({ age: 64, dualStatusCode: '00' })).toBe('CND');
    expect(segmentFor({ age: 70, dualStatusCode: '02' })).toBe('CFA');
    expect(segmentFor({ age: 70, dualStatusCode: '8' })).toBe('CFA');
    expect(segmentFor({ age: 40, dualStatusCode: '04' })).toBe('CFD');
    expect(segmentFor({ age: 70, dualStatusCode: '01' })).toBe('CPA');
    expect(segmentFor({ age: 40, dualStatusCode: '06' })).toBe('CPD');
  });

  it('new enrollee (under 12 months, no diagnosis history) before institutional, institutional before community', () => {
    expect(segmentFor({ age: 70, institutional: true, enrolledMonths: 11, diagnosisHistory: false })).toBe('NE');
    expect(segmentFor({ age: 70, institutional: true, enrolledMonths: 12, dualStatusCode: '02' })).toBe('INS');
  });

  it('new enrollee only when the data says so: a short eligibility with a diagnosis history is a continuing enrollee', () => {
    // a gap in one payer's file is not Medicare entitlement: 5 months enrolled with diagnoses scores on them
    expect(segmentFor({ age: 70, enrolledMonths: 5, diagnosisHistory: true })).toBe('CNA');
    expect(segmentFor({ age: 70, enrolledMonths: 5 })).toBe('CNA');
    // no history at all: nothing to score a continuing enrollee on
    expect(segmentFor({ age: 70, enrolledMonths: 5, diagnosisHistory: false })).toBe('NE');
    // a full year enrolled is continuing, diagnoses or not
    expect(segmentFor({ age: 70, enrolledMonths: 12, diagnosisHistory: false })).toBe('CNA');
  });

  it('rejects a dual status code CMS does not define', () => {
    expect(() => segmentFor({ age: 70, dualStatusCode: '07' })).toThrow('dual_status_code "07": not a CMS dual status code');
  });
});

describe('payment-year adjustment', () => {
  const member: HccInput = { age: 70, sex: 'male', dx: [] };
  it('uses the published year when there is one and the latest earlier one otherwise', () => {
    expect(scoreHcc({ ...member, model: 'v24', paymentYear: 2022 }).adjustment).toEqual({ normalizationFactor: 1.118, codingIntensity: 0.059, fromPaymentYear: 2022 });
    expect(scoreHcc(member)).toMatchObject({ paymentYear: 2026, adjustment: { normalizationFactor: 1.015, fromPaymentYear: 2024 } });
  });

  it('takes figures given by the caller: 0.396 × (1 − 0.05) / 1.1 = 0.342', () => {
    const r = scoreHcc({ ...member, adjustment: { normalizationFactor: 1.1, codingIntensity: 0.05 } });
    expect(r.score).toBeCloseTo(0.342, 3);
  });

  it('refuses a year before the model was published', () => {
    expect(() => scoreHcc({ ...member, paymentYear: 2023 })).toThrow('paymentYear 2023: model v28 has no published normalization factor before 2024');
  });
});

describe('bad input', () => {
  const ok: HccInput = { age: 70, sex: 'male', dx: ['E11.69', 'i5030'] };
  it('accepts codes with a dot or in lower case', () => {
    expect(scoreHcc(ok).hccs).toEqual(['HCC37', 'HCC226']);
  });

  it.each([
    [{ ...ok, dx: ['E1169', 'NOTACODE'] }, 'dx "NOTACODE": not an ICD-10-CM code'],
    [{ ...ok, age: 121 }, 'age 121: expected whole years from 0 to 120'],
    [{ ...ok, age: 70.5 }, 'age 70.5: expected whole years'],
    [{ ...ok, segment: 'XYZ' }, 'segment "XYZ": expected one of CNA, CND, CFA, CFD, CPA, CPD, INS, NE'],
    [{ ...ok, segment: 'CND' }, 'segment "CND": is for members under 65 (age 70: use CNA)'],
    [{ ...ok, age: 50, segment: 'CFA' }, 'segment "CFA": is for members aged 65 or older (age 50: use CFD)'],
    [{ ...ok, model: 'v22' }, 'model "v22": expected one of v28, v24'],
    [{ ...ok, adjustment: { normalizationFactor: 1, codingIntensity: 5.9 } }, 'codingIntensity 5.9: must be a fraction in [0, 1)'],
  ])('%#: %s', (input, message) => {
    expect(() => scoreHcc(input as HccInput)).toThrow(HccInputError);
    expect(() => scoreHcc(input as HccInput)).toThrow(message);
  });
});
