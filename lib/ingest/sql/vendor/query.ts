/**
 * What every part of a vendor mapping's select is made from: the mapping, its value slots, how its time column is
 * read, and the IANA zones its rows may name. The select's parts (records.ts, panels.ts, time-text.ts, zones.ts,
 * rules.ts, values.ts) are CTEs over this; vendor-csv.ts makes it and puts them in order.
 */
import { BP_PANEL, type VendorMapping } from '../../vendor-mapping.js';
import type { Slot } from './columns.js';

/** the time column read as the mapping's format says (time-text.ts timeParts) */
export interface TimeParts {
  /** SQL: the text matches the format */
  readonly matches: string;
  /** the reason of a text that does not */
  readonly mismatch: string;
  /** the parts as SQL expressions, by name (the column t_<name>) */
  readonly fields: Readonly<Record<string, string>>;
  /** the date as one expression, when the format has fixed widths */
  readonly date?: string;
  /** epoch formats: milliseconds per unit */
  readonly epochScale?: number;
}

export interface VendorQuery {
  readonly m: VendorMapping;
  readonly slots: readonly Slot[];
  readonly time: TimeParts;
  /** the IANA zones a record's zone may be: never a fixed offset (those the SQL reads itself) */
  readonly zones: readonly string[];
}

/** whether a slot holds blood-pressure panels (written systolic/diastolic), as SQL: per row (long) or always/never (wide) */
export function isPanelOf({ m }: VendorQuery, s: Slot): string {
  return m.long ? `loinc_${s.i} = '${BP_PANEL}'` : s.loinc === BP_PANEL ? 'true' : 'false';
}

/** whether the slot has a value in the row: always for a long export, the column filled for a wide one */
export function presentOf({ m }: VendorQuery, s: Slot): string {
  return m.long ? 'true' : `filled_${s.i}`;
}
