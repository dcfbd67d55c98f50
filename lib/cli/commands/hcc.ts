/**
 * `stratify hcc --age 70 --sex M --dx E1169,I5030`: an analyst's CMS-HCC calculator. Prints what each diagnosis
 * counts for, every factor of the score and the payment-year adjustment; `--json` prints the result object.
 * No store is opened: it reads only the shipped reference tables.
 */
import type { CommandRun, Flags } from '../registry.js';
import { CliError, usageError } from '../errors.js';
import { toTable } from '../format.js';
import { hccsForDx, HccInputError, MODELS, scoreHcc, SEGMENTS, type HccInput, type HccModel, type HccResult, type HccSegment, type HccSex } from '../../scoring/hcc/index.js';

/** the flag that carries each input field, so an error names what the user typed */
const FLAG: Readonly<Record<string, string>> = {
  age: 'age',
  sex: 'sex',
  segment: 'segment',
  model: 'model',
  paymentYear: 'year',
  dx: 'dx',
  normalizationFactor: 'normalization',
  codingIntensity: 'coding-intensity',
};

const SEX: Readonly<Record<string, HccSex>> = { M: 'male', MALE: 'male', F: 'female', FEMALE: 'female' };

export const run: CommandRun = async (flags) => {
  const input = parseInput(flags);
  let result: HccResult;
  try {
    result = scoreHcc(input);
  } catch (e) {
    if (e instanceof HccInputError) throw new CliError(`--${FLAG[e.field] ?? e.field} ${String(e.value)}: ${e.reason}`, 2, { cause: e });
    throw e;
  }
  process.stdout.write(flags.json ? `${JSON.stringify(result, null, 2)}\n` : report(input, result));
  return 0;
};

function parseInput(flags: Flags): HccInput {
  const text = (name: string) => (typeof flags[name] === 'string' ? (flags[name] as string).trim() : undefined);
  const age = text('age');
  const sex = text('sex');
  if (age === undefined || sex === undefined) throw usageError('--age and --sex are required');
  const sexValue = SEX[sex.toUpperCase()];
  if (!sexValue) throw new CliError(`--sex ${sex}: expected M or F`);
  const model = text('model')?.toLowerCase();
  if (model !== undefined && !MODELS.includes(model as HccModel)) throw new CliError(`--model ${model}: expected one of ${MODELS.join(', ')}`);
  const segment = text('segment')?.toUpperCase();
  if (segment !== undefined && !Object.hasOwn(SEGMENTS, segment)) throw new CliError(`--segment ${segment}: expected one of ${Object.keys(SEGMENTS).join(', ')}`);
  const normalization = text('normalization');
  const codingIntensity = text('coding-intensity');
  if ((normalization === undefined) !== (codingIntensity === undefined)) throw new CliError('--normalization and --coding-intensity go together');
  const year = text('year');
  return {
    age: numberFlag('age', age),
    sex: sexValue,
    dx: (text('dx') ?? '').split(',').map((c) => c.trim()).filter((c) => c !== ''),
    ...(segment !== undefined && { segment: segment as HccSegment }),
    ...(model !== undefined && { model: model as HccModel }),
    ...(year !== undefined && { paymentYear: numberFlag('year', year) }),
    originallyDisabled: Boolean(flags['originally-disabled']),
    medicaid: Boolean(flags.medicaid),
    ...(normalization !== undefined &&
      codingIntensity !== undefined && {
        adjustment: { normalizationFactor: numberFlag('normalization', normalization), codingIntensity: numberFlag('coding-intensity', codingIntensity) },
      }),
  };
}

function numberFlag(name: string, value: string): number {
  const n = Number(value);
  if (value === '' || !Number.isFinite(n)) throw new CliError(`--${name} ${value}: expected a number`);
  return n;
}

function report(input: HccInput, r: HccResult): string {
  const { normalizationFactor, codingIntensity, fromPaymentYear } = r.adjustment;
  const source =
    fromPaymentYear === undefined
      ? 'given on the command line'
      : `PY${fromPaymentYear} figures${fromPaymentYear === r.paymentYear ? '' : `, the latest in the shipped table for ${r.model.toUpperCase()}`}`;
  const lines = [`CMS-HCC ${r.model.toUpperCase()}, ${SEGMENTS[r.segment]} (${r.segment}), payment year ${r.paymentYear}`];
  for (const code of new Set(input.dx.map((c) => c.toUpperCase()))) {
    lines.push(`  ${code.padEnd(8)} ${hccsForDx(r.model, code, input.age, input.sex).join(', ') || 'no payment HCC'}`);
  }
  lines.push(`payment HCCs after hierarchies: ${r.hccs.join(', ') || 'none'}`);
  if (r.segment === 'NE') lines.push('new enrollee: scored on demographics only');
  lines.push(
    '',
    toTable(r.factors.map((f) => ({ kind: f.kind, code: f.code, description: f.description, coefficient: f.coefficient }))).trimEnd(),
    '',
    `raw score  ${r.rawScore.toFixed(3)}`,
    `score      ${r.score.toFixed(3)} = ${r.rawScore.toFixed(3)} × (1 − ${codingIntensity}) / ${normalizationFactor}  (MA coding intensity and normalization: ${source})`,
  );
  return lines.join('\n') + '\n';
}
