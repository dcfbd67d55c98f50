/**
 * One measured value → one `observations` row, in the canonical unit: shared by the Tuva observation/lab readers and
 * the device reader, so a weight or a glucose means the same thing whichever way it arrived.
 */
import { observations } from '../tables/index.js';
import type { CuratedRow } from './mapper.js';
import type { PoundsLabelledKg } from './pounds-as-kg.js';
import { reject } from './rejection.js';
import { checkRow } from './row-schema.js';
import { MEASURES, toCanonical } from './units.js';

export const BODY_WEIGHT = '29463-7';

/** the skip reason of a record with no measure Stratify uses */
export const NOT_MONITORED = 'not a monitored measure';

export interface Measured {
  readonly person_id: string;
  readonly observed_at: number;
  readonly loinc_code: string;
  readonly value: number;
  /** unit as sent */
  readonly unit: string | null;
  readonly device_id: string | null;
  readonly source: 'device' | 'clinic' | 'lab';
}

/** how far ahead of ingest a device reading may be dated before its clock is taken to be wrong */
const FUTURE_TOLERANCE_MS = 24 * 3600 * 1000;

/**
 * A device reading's instant (epoch ms), rejected when it is more than a day ahead of `now` (ingest time): a device
 * clock fault, which would otherwise become the person's latest reading for years. Every device reader applies it
 * (device NDJSON, vendor CSV, FHIR Observations); `raw` is the time as sent, for quarantine.
 */
export function notInFuture(ms: number, now: number, field: string, raw: unknown): number {
  return ms - now > FUTURE_TOLERANCE_MS ? reject(field, 'time in the future (device clock fault?)', raw) : ms;
}

export function isMonitored(loincCode: string): boolean {
  return MEASURES.has(loincCode);
}

/**
 * Converts and checks one value (the code must be monitored); `field` names the value's field for quarantine,
 * `unitField` the unit's when it is a field of its own. The pounds check needs the file's weight history, so each
 * file gets its own PoundsLabelledKg.
 */
export function observationRow(m: Measured, field: string, sourceFile: string, pounds: PoundsLabelledKg, unitField = field): CuratedRow {
  const measure = MEASURES.get(m.loinc_code)!;
  const value = toCanonical(measure, m.value, m.unit, field, unitField);
  if (m.loinc_code === BODY_WEIGHT && m.unit?.toLowerCase() === 'kg' && pounds.looksLikePounds(m.person_id, value)) {
    reject(field, 'weight looks like pounds labelled kg', m.value);
  }
  const row = { ...m, value, unit: measure.unit, source_file: sourceFile };
  checkRow(observations, row);
  return { table: observations, row };
}

/** feed the accepted weights of a record back into the pounds check: call only once the record is accepted */
export function rememberWeights(rows: readonly CuratedRow[], pounds: PoundsLabelledKg): void {
  for (const { row } of rows) {
    if (row.loinc_code === BODY_WEIGHT) pounds.remember(row.person_id as string, row.value as number);
  }
}
