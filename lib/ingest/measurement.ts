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

export function isMonitored(loincCode: string): boolean {
  return MEASURES.has(loincCode);
}

/**
 * Converts and checks one value (the code must be monitored); `field` names the value's field for quarantine.
 * The pounds check needs the file's weight history, so each file gets its own PoundsLabelledKg.
 */
export function observationRow(m: Measured, field: string, sourceFile: string, pounds: PoundsLabelledKg): CuratedRow {
  const measure = MEASURES.get(m.loinc_code)!;
  const value = toCanonical(measure, m.value, m.unit, field);
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
