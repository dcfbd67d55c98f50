/**
 * The CMS-HCC reference tables, parsed once per process into lookups shaped for scoring: a map from ICD-10 code to
 * condition categories, the age/sex edits, the hierarchy pairs (by child), and per segment the demographic cells,
 * disease coefficients, interactions and payment-HCC-count factors. Scoring a member is then only map lookups.
 *
 * The factor tables are Tuva's tidy per-segment seeds (one row per segment and variable); their rows name a segment
 * by enrollment status, Medicaid/dual status, original reason for entitlement (OREC) and institutional status.
 */
import type { HccFactor, HccModel, HccSegment, HccSex } from './types.js';
import { numberField, readReferenceCsv, type CsvRow, type ReferenceTable } from './reference-csv.js';
import { SEGMENTS } from './segment.js';

/** oldest age scored: the demographic cells are expanded to one entry per year of age up to it */
export const MAX_AGE = 120;

const DATA = 'lib/scoring/hcc/data/';
export const MODELS: readonly HccModel[] = ['v28', 'v24'];
/** the model names as Tuva's factor tables and the edits table spell them */
const TUVA_MODEL: Record<HccModel, string> = { v28: 'CMS-HCC-V28', v24: 'CMS-HCC-V24' };
const EDITS_MODEL: Record<HccModel, string> = { v28: 'CMS-HCC Model V28', v24: 'CMS-HCC Model V24' };

interface AgeBand {
  readonly min: number;
  readonly max: number;
  /** as CMS variable names write it: 70_74, 65, 95_GT */
  readonly name: string;
  /** as a person reads it: 70-74, 65, 95+ */
  readonly label: string;
}

export interface Interaction {
  readonly factor: HccFactor;
  /** met when an HCC of each group is present (Tuva lists the cross product of the two groups as pairs) */
  readonly first: ReadonlySet<number>;
  readonly second: ReadonlySet<number>;
}

export interface DisabledInteraction {
  readonly factor: HccFactor;
  readonly hccs: ReadonlySet<number>;
}

/** Every factor of a segment, built once as the frozen object a result carries. */
export interface SegmentFactors {
  /** key: demographicKey(sex, age, medicaid, originallyDisabled); the last two select new-enrollee cells only */
  readonly demographic: Map<number, HccFactor>;
  readonly disease: Map<number, HccFactor>;
  readonly interactions: Interaction[];
  /** institutional members under 65 */
  readonly disabledInteractions: DisabledInteraction[];
  /** payment HCC count (10 stands for 10 or more) → factor; counts without a row add nothing */
  readonly counts: Map<number, HccFactor>;
  readonly originallyDisabled: Map<HccSex, HccFactor>;
  /** institutional Medicaid (LTIMCAID) */
  medicaid: HccFactor | null;
}

/** a number, not a string, so the lookup made for every member allocates nothing */
export function demographicKey(sex: HccSex, age: number, medicaid: boolean, originallyDisabled: boolean): number {
  return (sex === 'female' ? 0 : 1000) + age * 4 + (medicaid ? 2 : 0) + (originallyDisabled ? 1 : 0);
}

export interface DxEdit {
  readonly kind: 'sex' | 'age';
  readonly sex: HccSex | null;
  readonly ageMin: number | null;
  readonly ageMax: number | null;
  /** invalid: the code maps to no CC; otherwise it maps to this CC instead */
  readonly overrideCc: number | null;
}

export interface AdjustmentRow {
  readonly paymentYear: number;
  readonly normalizationFactor: number;
  readonly codingIntensity: number;
}

/** what one diagnosis code, as given, yields in a model: its CCs and the age/sex edit that may change them */
export interface DxEntry {
  readonly ccs: readonly number[];
  readonly edit: DxEdit | undefined;
}

export interface ModelTables {
  readonly dxToCc: Map<string, readonly number[]>;
  readonly edits: Map<string, DxEdit>;
  /** hierarchy pairs indexed by child CC number: a CC is dropped when any of its parents is present */
  readonly parents: readonly (readonly number[] | undefined)[];
  readonly segments: Map<HccSegment, SegmentFactors>;
  /** ascending by payment year */
  readonly adjustments: readonly AdjustmentRow[];
  /** DxEntry per code as callers spell it, filled as codes are met (a population repeats a few thousand codes) */
  readonly entries: Map<string, DxEntry>;
}

const cache = new Map<HccModel, ModelTables>();

export function hccTables(model: HccModel): ModelTables {
  let tables = cache.get(model);
  if (!tables) {
    tables = loadTables(model);
    cache.set(model, tables);
  }
  return tables;
}

const factor = (kind: HccFactor['kind'], code: string, description: string, coefficient: number): HccFactor => Object.freeze({ kind, code, description, coefficient });

function loadTables(model: HccModel): ModelTables {
  const segments = new Map<HccSegment, SegmentFactors>();
  const segment = (s: HccSegment): SegmentFactors => {
    let f = segments.get(s);
    if (!f) {
      f = { demographic: new Map(), disease: new Map(), interactions: [], disabledInteractions: [], counts: new Map(), originallyDisabled: new Map(), medicaid: null };
      segments.set(s, f);
    }
    return f;
  };
  const factorRows = (name: string, each: (row: CsvRow, index: number, table: ReferenceTable) => void) => {
    const table = readReferenceCsv(`${DATA}${name}`);
    table.rows.forEach((row, i) => {
      if (row['model_version'] === TUVA_MODEL[model]) each(row, i + 1, table);
    });
  };

  factorRows('demographic_factors.csv', (row, i, table) => {
    const s = rowSegment(row);
    if (!s) return;
    const band = ageBand(row['age_group'] ?? '', table.file, i);
    const sex = rowSex(row, table.file, i);
    const coefficient = numberField(table, i, 'coefficient');
    const f = sex === 'female' ? 'F' : 'M';
    if (s === 'NE') {
      const medicaid = row['medicaid_status'] === 'Yes';
      const od = row['orec'] === 'Disabled';
      const cell = factor(
        'demographic',
        `NE_${medicaid ? 'MCAID' : 'NMCAID'}_${od ? 'ORIGDIS' : 'NORIGDIS'}_NE${f}${band.name}`,
        `new enrollee, ${sex}, age ${band.label}, ${medicaid ? 'Medicaid' : 'no Medicaid'}, ${od ? 'originally disabled' : 'not originally disabled'}`,
        coefficient,
      );
      for (let age = band.min; age <= Math.min(band.max, MAX_AGE); age++) segment(s).demographic.set(demographicKey(sex, age, medicaid, od), cell);
    } else {
      const cell = factor('demographic', `${s}_${f}${band.name}`, `${sex}, age ${band.label} (${SEGMENTS[s]})`, coefficient);
      for (let age = band.min; age <= Math.min(band.max, MAX_AGE); age++) segment(s).demographic.set(demographicKey(sex, age, false, false), cell);
    }
  });
  factorRows('disease_factors.csv', (row, i, table) => {
    const s = rowSegment(row);
    const hcc = numberField(table, i, 'hcc_code');
    const label = row['description'] ?? `HCC ${hcc}`;
    if (s) segment(s).disease.set(hcc, factor('disease', `${s}_HCC${hcc}`, label, numberField(table, i, 'coefficient')));
  });
  const interactions = new Map<string, { segment: HccSegment; factor: HccFactor; first: Set<number>; second: Set<number>; pairs: Set<string>; file: string }>();
  factorRows('disease_interaction_factors.csv', (row, i, table) => {
    const s = rowSegment(row);
    if (!s) return;
    const name = `${s}_${variableName(model, row['short_name'] ?? '')}`;
    let interaction = interactions.get(name);
    if (!interaction) {
      interaction = { segment: s, factor: factor('interaction', name, row['description'] ?? name, numberField(table, i, 'coefficient')), first: new Set(), second: new Set(), pairs: new Set(), file: table.file };
      interactions.set(name, interaction);
    }
    const a = numberField(table, i, 'hcc_code_1');
    const b = numberField(table, i, 'hcc_code_2');
    interaction.first.add(a);
    interaction.second.add(b);
    interaction.pairs.add(`${a}|${b}`);
  });
  for (const [name, { segment: s, factor: f, first, second, pairs, file }] of interactions) {
    // two groups stand for the pairs only when the pairs are their full cross product
    if (pairs.size !== first.size * second.size) throw new Error(`${file}: ${name}: the HCC pairs are not the cross product of two groups`);
    segment(s).interactions.push({ factor: f, first, second });
  }
  const disabled = new Map<string, DisabledInteraction & { hccs: Set<number> }>();
  factorRows('disabled_interaction_factors.csv', (row, i, table) => {
    const name = `INS_${variableName(model, row['short_name'] ?? '')}`;
    let interaction = disabled.get(name);
    if (!interaction) {
      interaction = { factor: factor('interaction', name, row['description'] ?? name, numberField(table, i, 'coefficient')), hccs: new Set() };
      disabled.set(name, interaction);
      segment('INS').disabledInteractions.push(interaction);
    }
    interaction.hccs.add(numberField(table, i, 'hcc_code'));
  });
  factorRows('enrollment_interaction_factors.csv', (row, i, table) => {
    const coefficient = numberField(table, i, 'coefficient');
    if (row['institutional_status'] === 'Yes') {
      segment('INS').medicaid = factor('demographic', 'INS_LTIMCAID', 'Medicaid, long-term institutional', coefficient);
      return;
    }
    // originally disabled applies to the aged community segments; the rows give Medicaid/dual status only
    const s = rowSegment({ ...row, orec: 'Aged' });
    const sex = rowSex(row, table.file, i);
    const name = `${s}_OriginallyDisabled_${sex === 'female' ? 'Female' : 'Male'}`;
    if (s) segment(s).originallyDisabled.set(sex, factor('demographic', name, `originally disabled, ${sex}`, coefficient));
  });
  factorRows('payment_hcc_count_factors.csv', (row, i, table) => {
    const s = rowSegment(row);
    const count = row['payment_hcc_count'] === '>=10' ? 10 : numberField(table, i, 'payment_hcc_count');
    const description = `${count === 10 ? '10 or more' : count} payment HCCs`;
    if (s) segment(s).counts.set(count, factor('count', `${s}_D${count === 10 ? '10P' : count}`, description, numberField(table, i, 'coefficient')));
  });

  const adjustments: AdjustmentRow[] = [];
  factorRows('adjustment_rates.csv', (_row, i, table) => {
    adjustments.push({
      paymentYear: numberField(table, i, 'payment_year'),
      normalizationFactor: numberField(table, i, 'normalization_factor'),
      codingIntensity: numberField(table, i, 'ma_coding_pattern_adjustment'),
    });
  });
  adjustments.sort((a, b) => a.paymentYear - b.paymentYear);

  return { dxToCc: loadDxToCc(model), edits: loadEdits(model), parents: loadHierarchy(model), segments, adjustments, entries: new Map() };
}

function loadDxToCc(model: HccModel): Map<string, readonly number[]> {
  const table = readReferenceCsv(`${DATA}dx_to_cc.csv`);
  const map = new Map<string, number[]>();
  table.rows.forEach((row, i) => {
    if (row['model'] !== model) return;
    const code = row['diagnosis_code'] ?? '';
    const ccs = map.get(code) ?? [];
    ccs.push(numberField(table, i + 1, 'cc'));
    map.set(code, ccs);
  });
  return map;
}

function loadEdits(model: HccModel): Map<string, DxEdit> {
  const table = readReferenceCsv(`${DATA}dx_edits.csv`);
  const edits = new Map<string, DxEdit>();
  const optional = (i: number, field: string) => (table.rows[i - 1]?.[field] ? numberField(table, i, field) : null);
  table.rows.forEach((row, i) => {
    if (row['model_name'] !== EDITS_MODEL[model]) return;
    const kind = row['edit_type'];
    if (kind !== 'sex' && kind !== 'age') throw new Error(`${table.file}: record ${i + 1}: edit_type ${JSON.stringify(kind)} is not sex or age`);
    edits.set(row['icd10'] ?? '', {
      kind,
      sex: row['sex'] === '1' ? 'male' : row['sex'] === '2' ? 'female' : null,
      ageMin: optional(i + 1, 'age_min'),
      ageMax: optional(i + 1, 'age_max'),
      overrideCc: row['action'] === 'override' ? numberField(table, i + 1, 'cc_override') : null,
    });
  });
  return edits;
}

function loadHierarchy(model: HccModel): (readonly number[] | undefined)[] {
  const table = readReferenceCsv(`${DATA}hierarchies.csv`);
  const parents: number[][] = [];
  table.rows.forEach((row, i) => {
    if (row['model'] !== model) return;
    (parents[numberField(table, i + 1, 'cc_child')] ??= []).push(numberField(table, i + 1, 'cc_parent'));
  });
  return parents;
}

/** V28 variables carry a _V28 suffix in the CMS software (DIABETES_HF_V28); Tuva's short names drop it */
function variableName(model: HccModel, shortName: string): string {
  return model === 'v28' ? `${shortName}_V28` : shortName;
}

const DUAL: Record<string, string> = { 'No|Non': 'CN', 'Yes|Full': 'CF', 'Yes|Partial': 'CP' };

/** the segment a Tuva factor row belongs to; null for rows Stratify does not model (C-SNP new enrollees) */
function rowSegment(row: CsvRow): HccSegment | null {
  if (row['enrollment_status'] === 'New') return row['plan_segment'] ? null : 'NE';
  if (row['institutional_status'] === 'Yes') return 'INS';
  const community = DUAL[`${row['medicaid_status']}|${row['dual_status']}`];
  const entitlement = row['orec'] === 'Aged' ? 'A' : row['orec'] === 'Disabled' ? 'D' : undefined;
  return community && entitlement ? (`${community}${entitlement}` as HccSegment) : null;
}

function rowSex(row: CsvRow, file: string, index: number): HccSex {
  const gender = row['gender'];
  if (gender === 'Female') return 'female';
  if (gender === 'Male') return 'male';
  throw new Error(`${file}: record ${index}: gender ${JSON.stringify(gender)} is not Female or Male`);
}

/** '70-74' → 70..74 named 70_74; '65' → 65..65; '>=95' → 95.. named 95_GT */
function ageBand(group: string, file: string, index: number): AgeBand {
  let m = /^(\d+)-(\d+)$/.exec(group);
  if (m) return { min: Number(m[1]), max: Number(m[2]), name: `${m[1]}_${m[2]}`, label: group };
  m = /^>=(\d+)$/.exec(group);
  if (m) return { min: Number(m[1]), max: Number.POSITIVE_INFINITY, name: `${m[1]}_GT`, label: `${m[1]}+` };
  m = /^(\d+)$/.exec(group);
  if (m) return { min: Number(m[1]), max: Number(m[1]), name: group, label: group };
  throw new Error(`${file}: record ${index}: age_group ${JSON.stringify(group)} is not a, a-b or >=a`);
}
