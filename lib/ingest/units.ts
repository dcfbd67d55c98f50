/**
 * The measures Stratify monitors, by LOINC code, with their canonical unit (DESIGN.md), the units senders may use and
 * the factor to the canonical one, and the range a real reading falls in. Unit spellings are matched
 * case-insensitively. Anything outside this table is not stored (it is counted as skipped, not quarantined).
 */
import { reject } from './rejection.js';

export interface Measure {
  readonly name: string;
  /** UCUM unit the curated value is in */
  readonly unit: string;
  /** unit as sent (lower case) → factor to multiply by to get the canonical unit */
  readonly from: ReadonlyMap<string, number>;
  /** plausible range in the canonical unit, inclusive; outside it the reading is an error, not a patient */
  readonly min: number;
  readonly max: number;
}

export const POUND_KG = 0.45359237;
export const GLUCOSE_MMOL_L_TO_MG_DL = 18.016;

function measure(name: string, unit: string, min: number, max: number, aliases: Record<string, number> = {}): Measure {
  const from = new Map<string, number>([[unit.toLowerCase(), 1]]);
  for (const [u, f] of Object.entries(aliases)) from.set(u.toLowerCase(), f);
  return Object.freeze({ name, unit, from, min, max });
}

const bp = (name: string, min: number, max: number) => measure(name, 'mm[Hg]', min, max, { mmHg: 1, 'mm Hg': 1 });
const spo2 = measure('SpO2', '%', 50, 100);
const glucose = measure('glucose', 'mg/dL', 10, 1000, { 'mmol/L': GLUCOSE_MMOL_L_TO_MG_DL });

export const MEASURES: ReadonlyMap<string, Measure> = new Map([
  ['8480-6', bp('systolic blood pressure', 50, 300)],
  ['8462-4', bp('diastolic blood pressure', 20, 200)],
  ['8867-4', measure('heart rate', '/min', 20, 250, { '{beats}/min': 1, 'beats/min': 1, bpm: 1 })],
  ['59408-5', spo2],
  ['2708-6', spo2],
  ['29463-7', measure('body weight', 'kg', 20, 300, { '[lb_av]': POUND_KG, lb: POUND_KG, lbs: POUND_KG })],
  ['2339-0', glucose],
  ['41653-7', glucose],
  ['4548-4', measure('HbA1c', '%', 2, 20)],
  // eGFR is reported per 1.73 m² body surface whatever the label says; Synthea-style feeds write plain mL/min
  ['33914-3', measure('eGFR', 'mL/min/{1.73_m2}', 1, 200, { 'mL/min/1.73m2': 1, 'mL/min/1.73_m2': 1, 'mL/min': 1 })],
]);

/**
 * The value in the measure's canonical unit, range-checked. `field` names the value's field for quarantine,
 * `unitField` the unit's when it has a field of its own (a vendor CSV's unit column).
 */
export function toCanonical(m: Measure, value: number, unit: string | null, field: string, unitField = field): number {
  if (unit === null) reject(unitField, 'missing unit', null);
  const factor = m.from.get(unit.toLowerCase());
  if (factor === undefined) reject(unitField, `unit not convertible to ${m.unit}`, unit);
  const canonical = value * factor;
  return canonical >= m.min && canonical <= m.max ? canonical : reject(field, 'implausible value', value);
}
