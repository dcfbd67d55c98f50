/**
 * The columns a vendor mapping reads: the canonical columns of raw_records it needs (person, device, time, zone, and
 * measure, value_0, unit_0 for a long export, value_<i> and unit_<i> for the i-th column of a wide one), and the
 * slots its values come in (one for a long export; one per measure column of a wide one).
 */
import { loincOf, type VendorMapping } from '../../vendor-mapping.js';

/** a canonical column of raw_records and the vendor column it is bound to (matched case-insensitively) */
export interface BoundColumn {
  readonly name: string;
  readonly column: string;
}

/** where a record's values come from */
export interface Slot {
  /** the measure column's index among the mapping's value columns (0 for a long export) */
  readonly i: number;
  readonly valueColumn: string;
  readonly unitColumn: string | undefined;
  /** a fixed unit (wide), as the vendor spells it */
  readonly unit: string | undefined;
  /** the LOINC code (wide), or the column holding it per row (long) */
  readonly loinc: string | undefined;
}

export function slotsOf(m: VendorMapping): Slot[] {
  if (m.long) return [{ i: 0, valueColumn: m.long.value, unitColumn: m.long.unit_column, unit: undefined, loinc: undefined }];
  return Object.entries(m.wide!).map(([name, c], i) => ({ i, valueColumn: name, unitColumn: c.unit_column, unit: c.unit, loinc: loincOf(c.measure)! }));
}

/** the columns raw_records must hold for this mapping */
export function vendorColumns(m: VendorMapping): BoundColumn[] {
  const out: BoundColumn[] = [{ name: 'person', column: m.person }, { name: 'time', column: m.time.column }];
  if (m.device !== undefined) out.push({ name: 'device', column: m.device });
  if (m.time.zone_column !== undefined) out.push({ name: 'zone', column: m.time.zone_column });
  if (m.long) {
    out.push({ name: 'measure', column: m.long.measure }, { name: 'value_0', column: m.long.value });
    if (m.long.unit_column !== undefined) out.push({ name: 'unit_0', column: m.long.unit_column });
  } else {
    for (const s of slotsOf(m)) {
      out.push({ name: `value_${s.i}`, column: s.valueColumn });
      if (s.unitColumn !== undefined) out.push({ name: `unit_${s.i}`, column: s.unitColumn });
    }
  }
  return out;
}
