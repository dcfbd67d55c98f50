/**
 * chronic_conditions: the CMS CCW rules of the full list (seed ccw_condition_rules), each condition with its own
 * lookback and claims rule. The five program conditions: at least 1 inpatient/SNF/home-health claim or outpatient
 * (HOP, ED) / professional (carrier) claims on 2 different days with a qualifying code, within the condition's lookback.
 * As of 2024-06-30: diabetes (2 years) looks at 2022-07-01..2024-06-30, COPD (1 year) at 2023-07-01..2024-06-30.
 * E119 (type 2 diabetes), I10 (hypertension), J449 (COPD), I509 (heart failure), N183 (CKD stage 3) are CCW codes;
 * I214 acute myocardial infarction ("at least 1 inpatient claim"), H2511 cataract ("at least 1 HOP or carrier
 * claim"), F411 anxiety ("1 inpatient claim OR 2 other non-drug claims of any service type": counted on different
 * days; 2-year default lookback), D649 anemia (1-year default lookback), I639 stroke ("at least 1 inpatient, HOP or
 * carrier claim"; S06340A is one of its 'Exclude' codes).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Fixture, diagnosis, member } from './fixture.js';

const AS_OF = '2024-06-30';
const PERSONS = [
  'two_ambulatory',
  'one_professional',
  'one_inpatient',
  'one_claim_two_lines',
  'one_too_old',
  'lookback_start',
  'one_after_as_of',
  'other_conditions',
  'copd_too_old',
  'excluded',
  'ami_two_outpatient',
  'ami_inpatient',
  'ami_snf',
  'cataract_one_professional',
  'cataract_inpatient',
  'anxiety_same_day',
  'anxiety_two_days',
  'diabetes_same_day',
  'hf_three_labs_one_morning',
  'hospice_diabetes',
  'hospice_anxiety',
  'anemia_lookback',
  'anxiety_lookback',
  'problem_list',
  'problem_list_old_active',
  'problem_list_future',
  'problem_list_resolved',
  'problem_list_resolved_too_old',
  'stroke',
  'stroke_trauma',
  'stroke_trauma_other_setting',
  'stroke_trauma_other_day',
  'none',
];
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
      // AMI needs an inpatient claim: two outpatient claims or a SNF claim do not make it
      diagnosis('m1', 'ami_two_outpatient', '2024-03-01', 'outpatient', 'I214'),
      diagnosis('m2', 'ami_two_outpatient', '2024-03-08', 'professional', 'I214'),
      diagnosis('m3', 'ami_inpatient', '2024-03-01', 'inpatient', 'I214', 2),
      diagnosis('m4', 'ami_snf', '2024-03-01', 'snf', 'I214'),
      // cataract needs one HOP or carrier claim, and an inpatient claim is not one
      diagnosis('k1', 'cataract_one_professional', '2024-05-01', 'professional', 'H2511'),
      diagnosis('k2', 'cataract_inpatient', '2024-05-01', 'inpatient', 'H2511'),
      // anxiety counts other claims on different days: two claims the same day are one, a day apart are two
      diagnosis('x1', 'anxiety_same_day', '2024-04-10', 'professional', 'F411'),
      diagnosis('x2', 'anxiety_same_day', '2024-04-10', 'outpatient', 'F411'),
      diagnosis('x3', 'anxiety_two_days', '2024-04-10', 'professional', 'F411'),
      diagnosis('x4', 'anxiety_two_days', '2024-04-11', 'outpatient', 'F411'),
      // diabetes counts different claims, the same day or not
      diagnosis('d1', 'diabetes_same_day', '2024-04-10', 'professional', 'E119'),
      diagnosis('d2', 'diabetes_same_day', '2024-04-10', 'outpatient', 'E119'),
      // three lab (professional) claims of one morning carry heart failure: one service day
      diagnosis('h1', 'hf_three_labs_one_morning', '2024-04-10', 'professional', 'I509'),
      diagnosis('h2', 'hf_three_labs_one_morning', '2024-04-10', 'professional', 'I509'),
      diagnosis('h3', 'hf_three_labs_one_morning', '2024-04-10', 'professional', 'I509'),
      // hospice claims (bill type 81x) are not HOP or carrier claims: two of them do not make diabetes
      diagnosis('s1', 'hospice_diabetes', '2024-04-10', 'hospice', 'E119'),
      diagnosis('s2', 'hospice_diabetes', '2024-05-10', 'hospice', 'E119'),
      // ... but they are "other non-inpatient" claims: a hospice and a professional claim on two days make anxiety
      diagnosis('s3', 'hospice_anxiety', '2024-04-10', 'hospice', 'F411'),
      diagnosis('s4', 'hospice_anxiety', '2024-05-10', 'professional', 'F411'),
      // anemia looks back 1 year (2023-07-01..), anxiety 2 years (2022-07-01..): each claim on the day before its
      // lookback and one on its first day
      diagnosis('l1', 'anemia_lookback', '2023-06-30', 'inpatient', 'D649'),
      diagnosis('l2', 'anxiety_lookback', '2022-06-30', 'inpatient', 'F411'),
      diagnosis('l3', 'anxiety_lookback', '2022-07-01', 'inpatient', 'F411'),
      // a FHIR Condition on the problem list is enough by itself: an active one whatever its onset (but not one
      // with its onset after the as-of date), a resolved one only when it ended inside the lookback
      diagnosis('Condition/p1', 'problem_list', '2024-02-01', 'problem_list', 'E119'),
      diagnosis('Condition/p2', 'problem_list_old_active', '1985-06-30', 'problem_list', 'E119'),
      diagnosis('Condition/p3', 'problem_list_future', '2024-07-01', 'problem_list', 'E119'),
      diagnosis('Condition/p4', 'problem_list_resolved', '2022-07-01', 'problem_list_resolved', 'E119'),
      diagnosis('Condition/p5', 'problem_list_resolved_too_old', '2022-06-30', 'problem_list_resolved', 'E119'),
      // stroke on one professional claim; the same with a head-injury 'Exclude' code on the claim does not qualify
      diagnosis('s1', 'stroke', '2024-06-01', 'professional', 'I639'),
      diagnosis('s2', 'stroke_trauma', '2024-06-01', 'inpatient', 'I639'),
      diagnosis('s2', 'stroke_trauma', '2024-06-01', 'inpatient', 'S06340A', 2),
      // the same when the claim's lines carry different settings or service dates: the 'Exclude' code is on the claim
      diagnosis('s3', 'stroke_trauma_other_setting', '2024-06-01', 'professional', 'I639'),
      diagnosis('s3', 'stroke_trauma_other_setting', '2024-06-01', 'outpatient', 'S06340A', 2),
      diagnosis('s4', 'stroke_trauma_other_day', '2024-06-01', 'professional', 'I639'),
      diagnosis('s4', 'stroke_trauma_other_day', '2024-05-31', 'professional', 'S06340A', 2),
    ],
  });
  // the seed has no 'Exclude' rows for the program conditions; add one to this engine's copy to exercise the rule
  await fx.engine.query(
    `insert into ccw_chronic_conditions (condition_column_name, inclusion_type, code_system, code)
     values ('diabetes', 'Exclude', 'ICD-10-CM', 'R7303')`,
  );
});
afterAll(() => fx.close());

async function conditions(person: string, asOf = AS_OF): Promise<{ list: string[]; count: unknown }> {
  const row = await fx.featuresOf(asOf, person);
  const text = String(row.chronic_conditions);
  return { list: text === '' ? [] : text.split(','), count: row.chronic_condition_count };
}

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

describe('chronic_conditions (the full CCW list)', () => {
  it('lists every condition met, sorted, with its count', async () => {
    expect(await conditions('other_conditions')).toEqual({
      list: ['chronic_kidney_disease', 'chronic_obstructive_pulmonary_disease', 'heart_failure_and_non_ischemic_heart_disease', 'hypertension'],
      count: 4,
    });
  });

  it("gives '' and 0 to a member who meets none", async () => {
    expect(await conditions('none')).toEqual({ list: [], count: 0 });
    expect(await conditions('one_professional')).toEqual({ list: [], count: 0 });
  });

  it('needs an inpatient claim for acute myocardial infarction: 2 outpatient claims or a SNF claim do not do', async () => {
    expect((await conditions('ami_two_outpatient')).list).toEqual([]);
    expect((await conditions('ami_snf')).list).toEqual([]);
    expect((await conditions('ami_inpatient')).list).toEqual(['acute_myocardial_infarction']);
  });

  it('meets cataract on one carrier claim, not on an inpatient claim', async () => {
    expect((await conditions('cataract_one_professional')).list).toEqual(['cataract']);
    expect((await conditions('cataract_inpatient')).list).toEqual([]);
  });

  it('two claims means two days: every 2-claim rule counts claims at least a day apart (anxiety, diabetes, heart failure)', async () => {
    expect((await conditions('anxiety_same_day')).list).toEqual([]);
    expect((await conditions('anxiety_two_days')).list).toEqual(['anxiety_disorders']);
    // a professional and an outpatient claim of 2024-04-10: one day, not 2 HOP/carrier claims
    expect((await flags('diabetes_same_day')).has_diabetes).toBe(false);
    // three lab claims of the same morning: one day
    expect((await flags('hf_three_labs_one_morning')).has_heart_failure).toBe(false);
    expect((await flags('two_ambulatory')).has_diabetes).toBe(true);
  });

  it('applies each rule to the settings its text names: hospice claims are "other" claims, not HOP or carrier', async () => {
    expect((await flags('hospice_diabetes')).has_diabetes).toBe(false);
    expect((await conditions('hospice_anxiety')).list).toEqual(['anxiety_disorders']);
  });

  it('uses each condition its own lookback: anemia 1 year, anxiety 2 years', async () => {
    expect((await conditions('anemia_lookback')).list).toEqual([]);
    // as of 2024-06-29 the 1-year lookback starts 2023-06-30, the day of the claim
    expect((await conditions('anemia_lookback', '2024-06-29')).list).toEqual(['anemia']);
    expect((await conditions('anxiety_lookback')).list).toEqual(['anxiety_disorders']);
    // as of 2024-07-01 the 2-year lookback starts 2022-07-02: both claims are too old
    expect((await conditions('anxiety_lookback', '2024-07-01')).list).toEqual([]);
  });

  it('lets one problem-list entry (FHIR Condition) meet a condition: active ones whatever their onset, resolved ones inside the lookback', async () => {
    expect(await flags('problem_list')).toMatchObject({ has_diabetes: true });
    expect((await conditions('problem_list')).list).toEqual(['diabetes']);
    expect((await conditions('problem_list_old_active')).list).toEqual(['diabetes']);
    expect((await conditions('problem_list_future')).list).toEqual([]);
    // diabetes looks back 2 years: 2022-07-01..2024-06-30
    expect((await conditions('problem_list_resolved')).list).toEqual(['diabetes']);
    expect((await conditions('problem_list_resolved_too_old')).list).toEqual([]);
  });

  it("applies the list's own 'Exclude' codes: stroke with a head-injury code on the claim does not qualify", async () => {
    expect((await conditions('stroke')).list).toEqual(['stroke_transient_ischemic_attack']);
    expect((await conditions('stroke_trauma')).list).toEqual([]);
  });

  it("excludes a claim whose 'Exclude' code is on a line with another setting or service date", async () => {
    expect((await conditions('stroke_trauma_other_setting')).list).toEqual([]);
    expect((await conditions('stroke_trauma_other_day')).list).toEqual([]);
  });
});
