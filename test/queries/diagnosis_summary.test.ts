/**
 * diagnosis_summary: the distinct ICD-10-CM codes of the 365 days to the as-of date (the input of HCC and comorbidity
 * scoring) and the ESRD flag (N18.6 end stage renal disease, Z99.2 dependence on dialysis, in the same window).
 * As of 2024-06-30 the 365-day window is 2023-07-02..2024-06-30.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Fixture, diagnosis, member } from './fixture.js';

const AS_OF = '2024-06-30';
let fx: Fixture;

beforeAll(async () => {
  fx = await Fixture.open({
    members: ['codes', 'esrd', 'dialysis', 'esrd_too_old', 'none'].map((p) => member(p)),
    diagnoses: [
      // the same code on two claims and twice on one claim is listed once; codes sort as text
      diagnosis('c1', 'codes', '2024-06-30', 'professional', 'I5030'),
      diagnosis('c1', 'codes', '2024-06-30', 'professional', 'E1169', 2),
      diagnosis('c2', 'codes', '2023-07-02', 'inpatient', 'E1169'),
      diagnosis('c2', 'codes', '2023-07-02', 'inpatient', 'A4154', 3),
      diagnosis('Condition/c3', 'codes', '2024-01-15', 'problem_list', 'J449'),
      // 2023-07-01 is the day before the window, 2024-07-01 after the as-of date
      diagnosis('c4', 'codes', '2023-07-01', 'professional', 'I10'),
      diagnosis('c5', 'codes', '2024-07-01', 'professional', 'N186'),
      diagnosis('e1', 'esrd', '2024-03-01', 'outpatient', 'N186'),
      diagnosis('e2', 'dialysis', '2023-07-02', 'professional', 'Z992', 4),
      diagnosis('e3', 'esrd_too_old', '2023-07-01', 'inpatient', 'N186'),
      diagnosis('e4', 'esrd_too_old', '2024-06-01', 'inpatient', 'N183'),
    ],
  });
});
afterAll(() => fx.close());

describe('diagnosis_summary', () => {
  it('lists the distinct codes of the 365 days, sorted, comma-separated, whatever the setting', async () => {
    expect(await fx.featuresOf(AS_OF, 'codes')).toMatchObject({ dx_codes_12m: 'A4154,E1169,I5030,J449', esrd: false });
  });

  it('reads a code once the as-of date reaches it and drops it once it leaves the window', async () => {
    // as of 2024-07-01 the window is 2023-07-03..2024-07-01: N186 arrives, claim c2 (2023-07-02) leaves with A4154;
    // E1169 stays through claim c1
    expect((await fx.featuresOf('2024-07-01', 'codes')).dx_codes_12m).toBe('E1169,I5030,J449,N186');
    // as of 2023-07-01 the window is 2022-07-02..2023-07-01: only I10 of that day
    expect((await fx.featuresOf('2023-07-01', 'codes')).dx_codes_12m).toBe('I10');
  });

  it("gives '' to a member without a diagnosis in the window", async () => {
    expect(await fx.featuresOf(AS_OF, 'none')).toMatchObject({ dx_codes_12m: '', esrd: false });
  });

  it('flags ESRD on N18.6 or Z99.2 in the 365 days, not on an older one nor on CKD stage 3', async () => {
    expect((await fx.featuresOf(AS_OF, 'esrd')).esrd).toBe(true);
    expect((await fx.featuresOf(AS_OF, 'dialysis')).esrd).toBe(true);
    expect(await fx.featuresOf(AS_OF, 'esrd_too_old')).toMatchObject({ esrd: false, dx_codes_12m: 'N183' });
  });
});
