/**
 * CMS-HCC relative risk score of one member from a diagnosis list, in the order of the CMS software:
 * ICD-10 → condition categories (with the age/sex edits) → hierarchies (a child CC is dropped when its parent is
 * present: pairs, not a min() over ranks) → payment HCCs → demographic cell + disease coefficients + disease and
 * disabled interactions + payment-HCC-count variable → raw score → normalization and MA coding intensity.
 * New enrollees are scored on their demographic cell only. Each factor is kept so a reason can name it.
 */
import { adjustmentFor, checkAdjustment, DEFAULT_PAYMENT_YEAR } from './adjustment.js';
import { normalizeDx } from './dx-code.js';
import { HccInputError } from './errors.js';
import { isAged, SEGMENTS } from './segment.js';
import { demographicKey, hccTables, MAX_AGE, MODELS, type DxEdit, type DxEntry, type ModelTables, type SegmentFactors } from './tables.js';
import type { HccFactor, HccInput, HccModel, HccResult, HccSegment, HccSex } from './types.js';

const AGED_SEGMENTS: ReadonlySet<HccSegment> = new Set(['CNA', 'CFA', 'CPA']);
const DISABLED_SEGMENTS: ReadonlySet<HccSegment> = new Set(['CND', 'CFD', 'CPD']);

export function scoreHcc(input: HccInput): HccResult {
  const model = input.model ?? 'v28';
  if (!MODELS.includes(model)) throw new HccInputError('model', model, `expected one of ${MODELS.join(', ')}`);
  const { age, sex } = input;
  if (!Number.isInteger(age) || age < 0 || age > MAX_AGE) throw new HccInputError('age', age, `expected whole years from 0 to ${MAX_AGE}`);
  if (sex !== 'female' && sex !== 'male') throw new HccInputError('sex', sex, "expected 'female' or 'male'");
  const segment = input.segment ?? (isAged(age) ? 'CNA' : 'CND');
  checkSegment(segment, age);
  const paymentYear = input.paymentYear ?? DEFAULT_PAYMENT_YEAR;
  if (!Number.isInteger(paymentYear)) throw new HccInputError('paymentYear', paymentYear, 'expected a year such as 2026');
  const adjustment = checkAdjustment(input.adjustment ?? adjustmentFor(model, paymentYear));

  const tables = hccTables(model);
  const factors = tables.segments.get(segment);
  if (!factors) throw new HccInputError('segment', segment, `model ${model} has no factors for it`);
  const hccs = paymentHccs(tables, input.dx, age, sex);
  const originallyDisabled = Boolean(input.originallyDisabled) && isAged(age);
  const medicaid = Boolean(input.medicaid);

  const demographic = factors.demographic.get(demographicKey(sex, age, segment === 'NE' && medicaid, segment === 'NE' && originallyDisabled));
  if (!demographic) throw new HccInputError('age', age, `no ${SEGMENTS[segment]} demographic factor for a ${sex} of this age`);
  const out: HccFactor[] = [demographic];
  if (segment !== 'NE') {
    const od = originallyDisabled ? factors.originallyDisabled.get(sex) : undefined;
    if (od) out.push(od);
    if (medicaid && factors.medicaid) out.push(factors.medicaid);
    addDiseaseFactors(out, factors, segment, hccs, age);
  }
  const rawScore = Math.round(out.reduce((sum, f) => sum + f.coefficient, 0) * 1000) / 1000;
  return {
    model,
    segment,
    paymentYear,
    rawScore,
    score: (rawScore * (1 - adjustment.codingIntensity)) / adjustment.normalizationFactor,
    adjustment,
    hccs: hccs.map(hccName),
    factors: out,
  };
}

function checkSegment(segment: HccSegment, age: number): void {
  if (!Object.hasOwn(SEGMENTS, segment)) throw new HccInputError('segment', segment, `expected one of ${Object.keys(SEGMENTS).join(', ')}`);
  if (AGED_SEGMENTS.has(segment) && !isAged(age)) throw new HccInputError('segment', segment, `is for members aged 65 or older (age ${age}: use ${segment.slice(0, 2)}D)`);
  if (DISABLED_SEGMENTS.has(segment) && isAged(age)) throw new HccInputError('segment', segment, `is for members under 65 (age ${age}: use ${segment.slice(0, 2)}A)`);
}

/** the member's payment HCCs after the age/sex edits and the hierarchies, ascending */
function paymentHccs(tables: ModelTables, dx: readonly string[], age: number, sex: HccSex): number[] {
  // plain arrays and loops: a member has a handful of CCs, and this runs for every member of the population
  const ccs: number[] = [];
  for (const raw of dx) {
    const { ccs: mapped, edit } = dxEntry(tables, raw);
    if (edit && editApplies(edit, age, sex)) {
      if (edit.overrideCc !== null && !ccs.includes(edit.overrideCc)) ccs.push(edit.overrideCc);
    } else {
      for (const cc of mapped) if (!ccs.includes(cc)) ccs.push(cc);
    }
  }
  const kept: number[] = [];
  for (const cc of ccs) {
    const parents = tables.parents[cc];
    if (!parents || !parents.some((parent) => ccs.includes(parent))) kept.push(cc);
  }
  return kept.length > 1 ? kept.sort(ascending) : kept;
}

const ascending = (a: number, b: number) => a - b;

function dxEntry(tables: ModelTables, raw: string): DxEntry {
  let entry = tables.entries.get(raw);
  if (!entry) {
    const code = normalizeDx(raw);
    entry = { ccs: tables.dxToCc.get(code) ?? [], edit: tables.edits.get(code) };
    tables.entries.set(raw, entry);
  }
  return entry;
}

function editApplies(edit: DxEdit, age: number, sex: HccSex): boolean {
  if (edit.kind === 'sex') return edit.sex === sex;
  return (edit.ageMax !== null && age <= edit.ageMax) || (edit.ageMin !== null && age >= edit.ageMin);
}

/** the payment HCCs one code yields for this member (after the age/sex edits), e.g. for showing what each code counts for */
export function hccsForDx(model: HccModel, code: string, age: number, sex: HccSex): string[] {
  return paymentHccs(hccTables(model), [code], age, sex).map(hccName);
}

const hccName = (hcc: number): string => `HCC${hcc}`;

function addDiseaseFactors(out: HccFactor[], factors: SegmentFactors, segment: HccSegment, hccs: readonly number[], age: number): void {
  for (const hcc of hccs) {
    const f = factors.disease.get(hcc);
    if (f) out.push(f);
  }
  for (const i of factors.interactions) if (anyIn(hccs, i.first) && anyIn(hccs, i.second)) out.push(i.factor);
  if (segment === 'INS' && !isAged(age)) {
    for (const i of factors.disabledInteractions) if (anyIn(hccs, i.hccs)) out.push(i.factor);
  }
  const count = factors.counts.get(Math.min(hccs.length, 10));
  if (count) out.push(count);
}

function anyIn(hccs: readonly number[], group: ReadonlySet<number>): boolean {
  for (const h of hccs) if (group.has(h)) return true;
  return false;
}
