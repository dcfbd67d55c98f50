/**
 * The clinical codes the demo puts on claims. Chronic-condition diagnoses come from the CMS CCW code lists in
 * queries/seeds (read at run time, so the demo and the SQL rule use one list). A condition's pool holds only the codes
 * that qualify for that condition alone: several codes count for two of the five (I110 is hypertension and heart
 * failure, E1122 diabetes and CKD), and drawing one would give a member a condition the generator did not give them.
 */
import { readFile } from 'node:fs/promises';
import Papa from 'papaparse';
import { assetPath } from '../assets.js';

export const CONDITIONS = ['diabetes', 'hypertension', 'copd', 'heart_failure', 'ckd'] as const;
export type Condition = (typeof CONDITIONS)[number];

/** the seed's `condition_column_name` of each condition */
export const CCW_COLUMN: Readonly<Record<Condition, string>> = {
  diabetes: 'diabetes',
  hypertension: 'hypertension',
  copd: 'chronic_obstructive_pulmonary_disease',
  heart_failure: 'heart_failure_and_non_ischemic_heart_disease',
  ckd: 'chronic_kidney_disease',
};

/** the codes most Medicare claims for the condition carry; drawn most of the time when the seed lists them */
const COMMON_CODES: Readonly<Record<Condition, readonly string[]>> = {
  diabetes: ['E119', 'E1165', 'E1140', 'E1142', 'E1151', 'E1169', 'E118', 'E109'],
  hypertension: ['I10', 'I10', 'I10', 'I119'],
  copd: ['J449', 'J449', 'J441', 'J440', 'J439', 'J42'],
  heart_failure: ['I5022', 'I5032', 'I5042', 'I509', 'I5023', 'I5033', 'I420'],
  ckd: ['N183', 'N1831', 'N1832', 'N184', 'N189', 'N185'],
};

/** diagnoses of routine and acute care that qualify for none of the five conditions */
export const ROUTINE_VISIT_CODES = ['Z0000', 'Z0001', 'M545', 'J069', 'E785', 'M170', 'K219', 'R42', 'E039', 'N400', 'G4733'];
export const ED_REASON_CODES = ['R0600', 'R079', 'R0789', 'R531', 'R55', 'N390', 'S0990XA', 'J189', 'K922'];

export interface InpatientReason {
  readonly drg: readonly string[];
  readonly diagnosis: readonly string[];
}

/** MS-DRGs (with and without complications) and principal diagnoses of admissions not tied to a program condition */
export const OTHER_ADMISSIONS: readonly InpatientReason[] = [
  { drg: ['871', '872'], diagnosis: ['A419'] },
  { drg: ['193', '194', '195'], diagnosis: ['J189'] },
  { drg: ['689', '690'], diagnosis: ['N390'] },
  { drg: ['377', '378'], diagnosis: ['K922'] },
  { drg: ['312'], diagnosis: ['R55'] },
  { drg: ['470'], diagnosis: ['M1611', 'M1711'] },
];

/** MS-DRGs of an admission for the condition itself (its principal diagnosis is the member's code) */
export const CONDITION_DRGS: Readonly<Record<Condition, readonly string[]>> = {
  diabetes: ['637', '638', '639'],
  hypertension: ['304', '305'],
  copd: ['190', '191', '192'],
  heart_failure: ['291', '292', '293'],
  ckd: ['682', '683', '684'],
};

export interface ConditionCodes {
  /** per condition: the common codes the seed lists, then every other code that qualifies for it alone */
  readonly common: Readonly<Record<Condition, readonly string[]>>;
  readonly all: Readonly<Record<Condition, readonly string[]>>;
}

/** first letters of codes that cannot describe an adult's chronic condition (pregnancy, perinatal, congenital) */
const NOT_ADULT_CHRONIC = /^[OPQ]/;

export const CCW_SEED_PATH = assetPath('queries/seeds/ccw_chronic_conditions.csv');

export async function loadConditionCodes(path: URL | string = CCW_SEED_PATH): Promise<ConditionCodes> {
  const rows = Papa.parse<Record<string, string>>(await readFile(path, 'utf8'), { header: true, skipEmptyLines: true }).data;
  const included = new Map<string, Set<Condition>>();
  const byColumn = new Map(CONDITIONS.map((c) => [CCW_COLUMN[c], c] as const));
  for (const r of rows) {
    const condition = byColumn.get(r.condition_column_name ?? '');
    if (!condition || r.inclusion_type !== 'Include' || r.code_system !== 'ICD-10-CM' || !r.code) continue;
    const set = included.get(r.code) ?? new Set<Condition>();
    set.add(condition);
    included.set(r.code, set);
  }
  const exclusive = (c: Condition) =>
    [...included].filter(([code, set]) => set.size === 1 && set.has(c) && !NOT_ADULT_CHRONIC.test(code)).map(([code]) => code);
  const all = {} as Record<Condition, readonly string[]>;
  const common = {} as Record<Condition, readonly string[]>;
  for (const c of CONDITIONS) {
    all[c] = exclusive(c).sort();
    if (all[c].length === 0) throw new Error(`the CCW seed lists no ICD-10-CM code for ${CCW_COLUMN[c]} alone`);
    const pool = new Set(all[c]);
    const listed = COMMON_CODES[c].filter((code) => pool.has(code));
    common[c] = listed.length > 0 ? listed : all[c];
  }
  return { common, all };
}

/** plausible NPIs: 10 digits starting with 1 (the check digit is not computed) */
export function npi(n: number): string {
  return String(1_000_000_000 + ((n * 7_919 + 104_729) % 999_999_999));
}
