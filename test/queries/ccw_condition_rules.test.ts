/**
 * ccw_condition_rules (seed): each CCW condition's claims rule and lookback, parsed from the claims_qualification
 * text of ccw_chronic_conditions. This test re-reads that text and checks the seed says what the text says, so an
 * updated CCW list with a new wording fails here instead of being read with a stale rule.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Fixture } from './fixture.js';

/** Stratify's settings for the CCW claim types: HOP = outpatient facility claims (ED included), carrier = professional */
const NON_INPATIENT = 'snf|home_health|hospice|outpatient|ed|professional';
const HOP_CARRIER = 'outpatient|ed|professional';

/** How each wording of the list reads (the same table is in queries/seeds/PROVENANCE.md), most specific first */
const WORDINGS: readonly { starts: string; paths: readonly string[] }[] = [
  { starts: 'At least 1 inpatient claim with DX codes', paths: ['1 claims inpatient'] },
  {
    starts: 'At least 1 inpatient claim OR 2 other non-drug claims of any service type with a ICD-10-CM or ICD-10-PCS code OR at least 1 inpatient claim OR 1 emergency department (ED) claim',
    paths: ['1 claims inpatient|ed', '2 service_days snf|home_health|hospice|outpatient|professional'],
  },
  { starts: 'At least 1 inpatient claim OR 2 other non-drug claims of any service type', paths: ['1 claims inpatient', `2 service_days ${NON_INPATIENT}`] },
  { starts: 'At least 1 inpatient claim OR 2 non- inpatient claims', paths: ['1 claims inpatient', `2 service_days ${NON_INPATIENT}`] },
  { starts: 'At least 1 inpatient/SNF/HHA claim OR 2 HOP/carrier claims', paths: ['1 claims inpatient|snf|home_health', `2 service_days ${HOP_CARRIER}`] },
  { starts: 'At least 1 inpatient/SNF claim OR 2 HOP/carrier claims', paths: ['1 claims inpatient|snf', `2 service_days ${HOP_CARRIER}`] },
  { starts: 'At least 1 HOP or carrier claim', paths: [`1 claims ${HOP_CARRIER}`] },
  { starts: 'At least 1 inpatient, SNF, HOP or carrier claim', paths: [`1 claims inpatient|snf|${HOP_CARRIER}`] },
  { starts: 'At least 1 inpatient, HOP or carrier claim', paths: [`1 claims inpatient|${HOP_CARRIER}`] },
  { starts: '3 or more non-drug claims of any service type', paths: [`3 service_days inpatient|${NON_INPATIENT}`] },
];

/** the five program conditions keep the reference periods they had before the full list (PROVENANCE.md) */
const PROGRAM_LOOKBACK = {
  diabetes: 2,
  hypertension: 3,
  chronic_obstructive_pulmonary_disease: 1,
  heart_failure_and_non_ischemic_heart_disease: 3,
  chronic_kidney_disease: 2,
};

interface ListCondition {
  condition_column_name: string;
  claims_qualification: string;
  chronic_condition_type: string;
}
interface Rule {
  condition_column_name: string;
  lookback_years: string;
  lookback_source: string;
  rule_path: string;
  min_claims: string;
  counted_by: string;
  settings: string;
}

let fx: Fixture;
let list: ListCondition[];
let rules: Rule[];

beforeAll(async () => {
  fx = await Fixture.open({});
  list = await fx.engine.query<ListCondition & Record<string, unknown>>(
    'select distinct condition_column_name, claims_qualification, chronic_condition_type from ccw_chronic_conditions order by 1',
  );
  rules = await fx.engine.query<Rule & Record<string, unknown>>('select * from ccw_condition_rules order by condition_column_name, rule_path');
});
afterAll(() => fx.close());

function rulesOf(condition: string): Rule[] {
  return rules.filter((r) => r.condition_column_name === condition);
}

describe('ccw_condition_rules', () => {
  it('has rules for exactly the 75 conditions of the CCW list, one wording each', () => {
    expect(list).toHaveLength(75);
    expect([...new Set(rules.map((r) => r.condition_column_name))]).toEqual(list.map((c) => c.condition_column_name));
  });

  it('states, for every condition, the claims paths its wording says', () => {
    for (const c of list) {
      const wording = WORDINGS.find((w) => c.claims_qualification.toLowerCase().startsWith(w.starts.toLowerCase()));
      expect(wording, `${c.condition_column_name}: "${c.claims_qualification}" has no known reading`).toBeDefined();
      const paths = rulesOf(c.condition_column_name).map((r) => `${r.min_claims} ${r.counted_by} ${r.settings}`);
      expect(paths, c.condition_column_name).toEqual(wording!.paths);
    }
  });

  it('takes the lookback from the text where it names one, else from the reference period or the default', () => {
    for (const c of list) {
      const years = new Set(rulesOf(c.condition_column_name).map((r) => `${r.lookback_years} ${r.lookback_source}`));
      expect(years.size, c.condition_column_name).toBe(1);
      const [lookback] = [...years];
      const program = PROGRAM_LOOKBACK[c.condition_column_name as keyof typeof PROGRAM_LOOKBACK];
      if (c.claims_qualification.includes('two-year period')) expect(lookback, c.condition_column_name).toBe('2 claims_qualification');
      else if (program !== undefined) expect(lookback, c.condition_column_name).toBe(`${program} ccw_reference_period`);
      else if (lookback!.endsWith('default')) expect(lookback, c.condition_column_name).toBe(c.chronic_condition_type === 'Common' ? '1 default' : '2 default');
      else expect(lookback, c.condition_column_name).toMatch(/^[1-3] ccw_reference_period$/);
    }
  });

  it('names the reference periods it took from the original CCW algorithms', () => {
    const referenced = Object.fromEntries(
      rules.filter((r) => r.lookback_source === 'ccw_reference_period' && r.rule_path === '1').map((r) => [r.condition_column_name, Number(r.lookback_years)]),
    );
    expect(referenced).toEqual({
      ...PROGRAM_LOOKBACK,
      acute_myocardial_infarction: 1,
      alzheimers_disease: 3,
      atrial_fibrillation_and_flutter: 1,
      cataract: 1,
      non_alzheimers_dementia: 3,
    });
  });
});
