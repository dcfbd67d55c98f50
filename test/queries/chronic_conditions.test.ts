/**
 * chronic_conditions: the CMS CCW rule, at least 1 inpatient/SNF/home-health claim or 2 different outpatient (HOP,
 * ED) / professional (carrier) claims with a qualifying code, within the condition's lookback.
 * As of 2024-06-30: diabetes (2 years) looks at 2022-07-01..2024-06-30, COPD (1 year) at 2023-07-01..2024-06-30.
 * E119 (type 2 diabetes), I10 (hypertension), J449 (COPD), I509 (heart failure), N183 (CKD stage 3) are CCW codes.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Fixture, diagnosis, member } from './fixture.js';

const AS_OF = '2024-06-30';
const PERSONS = ['two_ambulatory', 'one_professional', 'one_inpatient', 'one_claim_two_lines', 'one_too_old', 'lookback_start', 'one_after_as_of', 'other_conditions', 'copd_too_old', 'excluded'];
let fx: Fixture;

beforeAll(async () => {
  fx = await Fixture.open({
    members: PERSONS.map((p) => member(p)),
    diagnoses: [
      diagnosis('c1', 'two_ambulatory', '2024-01-10', 'outpatient', 'E119'),
      diagnosis('c2', 'two_ambulatory', '2024-03-05', 'professional', 'E119', 3),
      diagnosis('c3', 'one_professional', '2024-03-05', 'professional', 'E119'),
      diagnosis('c4', 'one_inpatient', '2023-05-01', 'inpatient', 'E119', 7),
      diagnosis('c5', 'one_claim_two_lines', '2024-02-01', 'professional', 'E119', 1),
      diagnosis('c5', 'one_claim_two_lines', '2024-02-01', 'professional', 'E119', 2),
      // 2022-06-30 is the day before the diabetes lookback starts
      diagnosis('c6', 'one_too_old', '2022-06-30', 'professional', 'E119'),
      diagnosis('c7', 'one_too_old', '2024-01-01', 'ed', 'E119'),
      diagnosis('c8', 'lookback_start', '2022-07-01', 'professional', 'E119'),
      diagnosis('c9', 'lookback_start', '2024-01-01', 'ed', 'E119'),
      diagnosis('c10', 'one_after_as_of', '2024-06-30', 'professional', 'E119'),
      diagnosis('c11', 'one_after_as_of', '2024-07-01', 'professional', 'E119'),
      diagnosis('c12', 'other_conditions', '2024-06-30', 'snf', 'I10'),
      diagnosis('c13', 'other_conditions', '2023-07-01', 'home_health', 'J449'),
      diagnosis('c14', 'other_conditions', '2024-02-01', 'professional', 'I509'),
      diagnosis('c15', 'other_conditions', '2024-02-02', 'outpatient', 'I509', 2),
      diagnosis('c16', 'other_conditions', '2024-02-01', 'inpatient', 'N183', 4),
      // COPD looks back 1 year: 2023-06-30 is outside
      diagnosis('c17', 'copd_too_old', '2023-06-30', 'inpatient', 'J449'),
      // an inpatient diabetes claim that also carries a code the test marks 'Exclude' for diabetes
      diagnosis('c18', 'excluded', '2024-01-01', 'inpatient', 'E119'),
      diagnosis('c18', 'excluded', '2024-01-01', 'inpatient', 'R7303', 2),
    ],
  });
  // the seed has no 'Exclude' rows for the program conditions; add one to this engine's copy to exercise the rule
  await fx.engine.query(
    `insert into ccw_chronic_conditions (condition_column_name, inclusion_type, code_system, code)
     values ('diabetes', 'Exclude', 'ICD-10-CM', 'R7303')`,
  );
});
afterAll(() => fx.close());

async function flags(person: string): Promise<Record<string, unknown>> {
  const row = await fx.featuresOf(AS_OF, person);
  const { has_diabetes, has_hypertension, has_copd, has_heart_failure, has_ckd } = row;
  return { has_diabetes, has_hypertension, has_copd, has_heart_failure, has_ckd };
}

describe('chronic_conditions (CCW rule)', () => {
  it('flags diabetes on two outpatient/professional claims', async () => {
    expect((await flags('two_ambulatory')).has_diabetes).toBe(true);
  });

  it('does not flag diabetes on one professional claim', async () => {
    expect((await flags('one_professional')).has_diabetes).toBe(false);
  });

  it('flags diabetes on one inpatient claim, whatever the code position', async () => {
    expect((await flags('one_inpatient')).has_diabetes).toBe(true);
  });

  it('counts the same code twice on one claim as one claim', async () => {
    expect((await flags('one_claim_two_lines')).has_diabetes).toBe(false);
  });

  it('ignores a claim older than the lookback and counts one on its first day', async () => {
    expect((await flags('one_too_old')).has_diabetes).toBe(false);
    expect((await flags('lookback_start')).has_diabetes).toBe(true);
  });

  it('ignores claims after the as-of date, and counts them once the as-of date reaches them', async () => {
    expect((await flags('one_after_as_of')).has_diabetes).toBe(false);
    expect((await fx.featuresOf('2024-07-01', 'one_after_as_of')).has_diabetes).toBe(true);
  });

  it('sets each program condition from its own codes (SNF, home health, 2 mixed ambulatory, inpatient)', async () => {
    expect(await flags('other_conditions')).toEqual({
      has_diabetes: false,
      has_hypertension: true,
      has_copd: true,
      has_heart_failure: true,
      has_ckd: true,
    });
  });

  it('uses each condition its own lookback (COPD: 1 year)', async () => {
    expect((await flags('copd_too_old')).has_copd).toBe(false);
    // the same claim qualifies as of 2024-06-29, whose 1-year lookback starts 2023-06-30
    expect((await fx.featuresOf('2024-06-29', 'copd_too_old')).has_copd).toBe(true);
  });

  it("drops a claim that carries one of the condition's 'Exclude' codes", async () => {
    expect((await flags('excluded')).has_diabetes).toBe(false);
  });
});
