/**
 * One row per record: its person (and whether the person is known), device, time and zone text, the measure of a long
 * export mapped to LOINC, each slot's value and unit text; then its panels matched and split (panels.ts) and its
 * time's parts read (time-text.ts). The mapping's measures and units are VALUES. raw_records holds the mapping's
 * columns under canonical names (columns.ts), trimmed and NULL when empty (raw-records.ts), so not trimmed again here.
 */
import { loincOf } from '../../vendor-mapping.js';
import { sqlText as q } from '../devices.js';
import type { Slot } from './columns.js';
import { panelHalfColumns, panelMatchColumns } from './panels.js';
import type { VendorQuery } from './query.js';
import { timeFieldColumns } from './time-text.js';

/** `person_check` (is the known-person check on) and `mapped_units` (vendor unit, lower case → UCUM) */
export function lookupCtes({ m }: VendorQuery): string[] {
  // the first spelling of a unit wins, as ucumOf has it
  const units = new Map<string, string>();
  for (const [vendor, ucum] of Object.entries(m.units)) if (!units.has(vendor.toLowerCase())) units.set(vendor.toLowerCase(), ucum);
  const unitsRows = [...units].map(([vendor, ucum]) => `(${q(vendor)}, ${q(ucum)})`);
  const unitsSql = unitsRows.length > 0 ? `select * from (values ${unitsRows.join(', ')}) as t (vendor, ucum)` : `select cast(null as varchar) as vendor, cast(null as varchar) as ucum where false`;
  return [`person_check as (\n  select count(*) > 0 as checked from members\n)`, `mapped_units as (\n  ${unitsSql}\n)`];
}

/** `mapped_measures` of a long export: its measure names (trimmed, lower case) → LOINC */
export function measureCtes({ m }: VendorQuery): string[] {
  if (!m.long) return [];
  const rows = Object.entries(m.long.measures).map(([vendor, name]) => `(${q(vendor.trim().toLowerCase())}, ${q(loincOf(name)!)})`);
  return [`mapped_measures as (\n  select * from (values ${rows.join(', ')}) as t (vendor, loinc)\n)`];
}

const fixedUnit = (s: Slot) => (s.unit === undefined ? 'cast(null as varchar)' : q(s.unit));

/** `records`, then `matched` (panels and the time's pattern) and `parts` (the panels' halves, the time's fields) */
export function recordCtes(query: VendorQuery): string[] {
  const { m, slots, time } = query;
  const cols = [
    'r.source_record',
    'r.person as person_text',
    'pc.checked and k.person_id is null as unknown_person',
    m.device === undefined ? 'cast(null as varchar) as device_id' : 'r.device as device_id',
    'r.time as time_text',
    m.time.zone_column !== undefined ? 'r.zone as zone_text' : `${m.time.zone === undefined ? 'cast(null as varchar)' : q(m.time.zone)} as zone_text`,
  ];
  if (m.long) {
    cols.push('r.measure as measure_text', 'mm.loinc as loinc_0', 'r.value_0 as raw_0');
    cols.push(m.long.unit_column === undefined ? 'cast(null as varchar) as unit_text_0' : 'r.unit_0 as unit_text_0');
  } else {
    for (const s of slots) {
      cols.push(`${q(s.loinc!)} as loinc_${s.i}`, `r.value_${s.i} as raw_${s.i}`, `r.value_${s.i} is not null as filled_${s.i}`);
      cols.push(s.unitColumn === undefined ? `${fixedUnit(s)} as unit_text_${s.i}` : `r.unit_${s.i} as unit_text_${s.i}`);
    }
  }
  const joins = ['from raw_records r', 'cross join person_check pc', 'left join members k on k.person_id = r.person'];
  if (m.long) joins.push('left join mapped_measures mm on mm.vendor = lower(r.measure)');
  const matched = ['r.*', ...panelMatchColumns(query), `${time.matches} as time_ok`];
  const parts = ['r.*', ...panelHalfColumns(query), ...timeFieldColumns(query)];
  return [
    `records as (\n  select\n    ${cols.join(',\n    ')}\n  ${joins.join('\n  ')}\n)`,
    `matched as (\n  select\n    ${matched.join(',\n    ')}\n  from records r\n)`,
    `parts as (\n  select\n    ${parts.join(',\n    ')}\n  from matched r\n)`,
  ];
}
