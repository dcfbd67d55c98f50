/**
 * Which input format a file is, from its first line: a CSV header is matched by column names against the Tuva
 * input-layer tables (either layout: `person_id` or the older `patient_id`), a JSON first line against the device
 * reading contract. The content decides; the file name only breaks a tie between two matching headers, since
 * landing folders are named by whoever delivers them, and lets an `.ndjson`/`.jsonl` file whose first reading is
 * itself bad still be read as device NDJSON (its bad lines are then quarantined one by one).
 */
import { deviceReadingSchema } from './device-format.js';
import type { InputFormat } from './types.js';

export type Detection = { readonly format: InputFormat } | { readonly format: 'unknown'; readonly error: string };

interface CsvSignature {
  readonly format: InputFormat;
  /** what the file name says when it is this table */
  readonly nameHint: RegExp;
  /** columns a header must have, besides person_id/patient_id */
  readonly columns: readonly string[];
}

const CSV_SIGNATURES: readonly CsvSignature[] = [
  { format: 'tuva-eligibility', nameHint: /eligibility/i, columns: ['birth_date', 'enrollment_start_date', 'enrollment_end_date'] },
  { format: 'tuva-medical-claim', nameHint: /medical_claim/i, columns: ['claim_id', 'claim_type', 'claim_start_date', 'diagnosis_code_1'] },
  { format: 'tuva-pharmacy-claim', nameHint: /pharmacy_claim/i, columns: ['claim_id', 'dispensing_date', 'ndc_code'] },
  { format: 'tuva-observation', nameHint: /observation/i, columns: ['observation_date', 'result'] },
  { format: 'tuva-lab-result', nameHint: /lab_result/i, columns: ['result', 'result_datetime'] },
];

function firstLine(head: string): string {
  const text = head.startsWith('\uFEFF') ? head.slice(1) : head;
  const end = text.search(/\r?\n/);
  return (end < 0 ? text : text.slice(0, end)).trim();
}

/** Header names never contain commas or quotes in these formats, so a split is enough to read them. */
function headerNames(line: string): Set<string> {
  return new Set(line.split(',').map((n) => n.trim().replace(/^"|"$/g, '').trim().toLowerCase()));
}

const NDJSON_NAME = /\.(ndjson|jsonl)$/i;

function detectJson(name: string, line: string): Detection {
  if (NDJSON_NAME.test(name)) return { format: 'device-ndjson' };
  let json: unknown;
  try {
    json = JSON.parse(line);
  } catch {
    return { format: 'unknown', error: 'first line starts like JSON but does not parse' };
  }
  return deviceReadingSchema.safeParse(json).success
    ? { format: 'device-ndjson' }
    : { format: 'unknown', error: 'first line is JSON but not a device reading (device-format.ts)' };
}

/** `head`: the first bytes of the file as text (at least its first line). */
export function detectFormat(name: string, head: string): Detection {
  const line = firstLine(head);
  if (line === '') return { format: 'unknown', error: 'empty file or blank first line' };
  if (line.startsWith('{')) return detectJson(name, line);
  const names = headerNames(line);
  if (!names.has('person_id') && !names.has('patient_id')) {
    return { format: 'unknown', error: 'not a device NDJSON file, and the first line has no person_id or patient_id column' };
  }
  const matches = CSV_SIGNATURES.filter((s) => s.columns.every((c) => names.has(c)));
  const [only] = matches;
  if (only === undefined) {
    return { format: 'unknown', error: 'header matches no Tuva input table (eligibility, medical_claim, pharmacy_claim, observation, lab_result)' };
  }
  if (matches.length === 1) return { format: only.format };
  const named = matches.filter((s) => s.nameHint.test(name));
  return named.length === 1
    ? { format: named[0]!.format }
    : { format: 'unknown', error: `header fits ${matches.map((s) => s.format).join(' and ')}; the file name does not say which` };
}
