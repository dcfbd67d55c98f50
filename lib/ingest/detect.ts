/**
 * Which input format a file is, from its first line: a CSV header is matched by column names against the Tuva
 * input-layer tables (either layout: `person_id` or the older `patient_id`), a JSON first line against the device
 * reading contract. The content decides; the file name only breaks a tie between two matching headers, since
 * landing folders are named by whoever delivers them, and lets an `.ndjson`/`.jsonl` file whose first reading is
 * itself bad (it has a reading's fields, or does not parse) still be read as device NDJSON (its bad lines are then
 * quarantined one by one). A FHIR bulk export's log.ndjson is recognised and left alone.
 */
import { deviceReadingSchema } from './device-format.js';
import { detectFhir } from './fhir/detect.js';
import { firstLine } from './head.js';
import type { InputFormat } from './types.js';

/** `layout`: the header variant ('person_id' or 'patient_id' for Tuva CSV), reported with the format */
export type Detection =
  | { readonly format: InputFormat; readonly layout?: string }
  | { readonly format: 'unknown'; readonly error: string }
  /** a file of a known kind that Stratify has no use for (a Tuva appointment table): left alone, not an error */
  | { readonly format: 'not-read'; readonly reason: string };

interface CsvSignature {
  readonly format: InputFormat;
  /** what the file name says when it is this table */
  readonly nameHint: RegExp;
  /** columns a header must have, besides person_id/patient_id; a list names alternatives (any one will do) */
  readonly columns: readonly (string | readonly string[])[];
}

const CSV_SIGNATURES: readonly CsvSignature[] = [
  { format: 'tuva-eligibility', nameHint: /eligibility/i, columns: ['birth_date', 'enrollment_start_date', 'enrollment_end_date'] },
  { format: 'tuva-medical-claim', nameHint: /medical_claim/i, columns: ['claim_id', 'claim_type', 'claim_start_date', 'diagnosis_code_1'] },
  { format: 'tuva-pharmacy-claim', nameHint: /pharmacy_claim/i, columns: ['claim_id', 'dispensing_date', 'ndc_code'] },
  { format: 'tuva-observation', nameHint: /observation/i, columns: [['observation_date', 'observation_datetime'], ['result', 'normalized_result']] },
  // current layout: result_datetime/collection_datetime; older: result_date/collection_date
  {
    format: 'tuva-lab-result',
    nameHint: /lab_result/i,
    columns: [['result', 'normalized_result'], ['result_datetime', 'result_date', 'collection_datetime', 'collection_date']],
  },
];

/** Tuva input-layer tables with a person column that Stratify has no use for, by a column only they have */
const UNUSED_TUVA_TABLES: readonly (readonly [table: string, column: string])[] = [
  ['appointment', 'appointment_id'],
  ['immunization', 'immunization_id'],
  ['provider_attribution', 'payer_attributed_provider'],
  ['condition', 'condition_id'],
  ['procedure', 'procedure_id'],
  ['medication', 'medication_id'],
  ['encounter', 'encounter_type'],
];

/** Header names never contain commas or quotes in these formats, so a split is enough to read them. */
function headerNames(line: string): Set<string> {
  return new Set(line.split(',').map((n) => n.trim().replace(/^"|"$/g, '').trim().toLowerCase()));
}

const NDJSON_NAME = /\.(ndjson|jsonl)$/i;

/** what the first line of a device NDJSON file carries at least one of, even when the reading itself is bad */
const DEVICE_FIELDS = ['person_id', 'measured_at', 'code'] as const;
/** the fields of each line of a FHIR bulk export's log.ndjson (Bulk Data Access IG), which holds no clinical data */
const BULK_EXPORT_LOG_FIELDS = ['exportId', 'eventId'] as const;

function detectJson(name: string, line: string): Detection {
  let json: unknown;
  try {
    json = JSON.parse(line);
  } catch {
    // an `.ndjson` whose first reading is broken is still read as readings: its bad lines are quarantined one by one
    return NDJSON_NAME.test(name) ? { format: 'device-ndjson' } : { format: 'unknown', error: 'first line starts like JSON but does not parse' };
  }
  if (deviceReadingSchema.safeParse(json).success) return { format: 'device-ndjson' };
  const fields = typeof json === 'object' && json !== null ? Object.keys(json) : [];
  if (BULK_EXPORT_LOG_FIELDS.every((f) => fields.includes(f))) {
    return { format: 'not-read', reason: 'a FHIR bulk-export log (exportId, eventId): it holds no clinical data' };
  }
  if (NDJSON_NAME.test(name) && DEVICE_FIELDS.some((f) => fields.includes(f))) return { format: 'device-ndjson' };
  return { format: 'unknown', error: 'first line is JSON but not a device reading (device-format.ts) nor a FHIR resource' };
}

/**
 * `; as a Tuva medical_claim table it lacks column claim_type`: the table the file is most likely meant to be (its
 * name says so, else the one missing fewest columns among those it has at least one column of), and what it lacks
 */
function closest(name: string, names: ReadonlySet<string>): string {
  const gaps = CSV_SIGNATURES.map((s) => ({
    s,
    missing: s.columns.filter((c) => !(typeof c === 'string' ? [c] : c).some((n) => names.has(n))).map((c) => (typeof c === 'string' ? c : c.join(' or '))),
  })).filter((g) => g.missing.length < g.s.columns.length);
  const named = gaps.filter((g) => g.s.nameHint.test(name));
  const [best] = (named.length > 0 ? named : gaps).sort((a, b) => a.missing.length - b.missing.length);
  if (best === undefined) return '';
  const table = best.s.format.replace(/^tuva-/, '').replace('-', '_');
  return `; as a Tuva ${table} table it lacks column${best.missing.length > 1 ? 's' : ''} ${best.missing.join(', ')}`;
}

/** `head`: the first bytes of the file as text (at least its first line). */
export function detectFormat(name: string, head: string): Detection {
  const line = firstLine(head);
  if (line === '') return { format: 'unknown', error: 'empty file or blank first line' };
  const fhir = detectFhir(head);
  if (fhir !== undefined) return { format: fhir };
  if (line.startsWith('{')) return detectJson(name, line);
  const names = headerNames(line);
  if (!names.has('person_id') && !names.has('patient_id')) {
    return { format: 'unknown', error: 'not a device NDJSON file, and the first line has no person_id or patient_id column' };
  }
  const layout = names.has('person_id') ? 'person_id' : 'patient_id';
  const matches = CSV_SIGNATURES.filter((s) => s.columns.every((c) => (typeof c === 'string' ? [c] : c).some((n) => names.has(n))));
  const [only] = matches;
  if (only === undefined) {
    const unused = UNUSED_TUVA_TABLES.find(([, column]) => names.has(column));
    if (unused) return { format: 'not-read', reason: `a Tuva ${unused[0]} table (has ${unused[1]}): Stratify does not read it` };
    return { format: 'unknown', error: `header matches no Tuva input table (eligibility, medical_claim, pharmacy_claim, observation, lab_result)${closest(name, names)}` };
  }
  if (matches.length === 1) return { format: only.format, layout };
  const named = matches.filter((s) => s.nameHint.test(name));
  return named.length === 1
    ? { format: named[0]!.format, layout }
    : { format: 'unknown', error: `header fits ${matches.map((s) => s.format).join(' and ')}; the file name does not say which` };
}
