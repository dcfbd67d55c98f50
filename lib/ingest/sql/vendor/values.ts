/**
 * One row per value of a record (a panel's systolic and diastolic are two), or one row for a record without values
 * (rejected or skipped before them): its LOINC code, text, unit mapped to UCUM and the value read as a number once,
 * then the columns of `device_values` the shared device rules read (queries/ingest/device_readings.sql).
 */
import { MEASURES } from '../../units.js';
import { sqlText as q } from '../devices.js';
import { isPanelOf, presentOf, type VendorQuery } from './query.js';

/** a decimal number as JavaScript's Number() reads one (hexadecimal and binary spellings are not numbers here) */
const DECIMAL = '^[+-]?(\\d+\\.?\\d*|\\.\\d+)([eE][+-]?\\d+)?$';

interface SlotRow {
  readonly index: number;
  readonly present: string;
  readonly loinc: string;
  readonly text: string;
  readonly unit: string;
  readonly valueField: string;
  readonly unitField: string;
}

/** the value rows a record may have: per slot its value, or a panel's systolic (2i) and diastolic (2i + 1) */
function slotRows(query: VendorQuery): SlotRow[] {
  const { m, slots } = query;
  const rows: SlotRow[] = [];
  for (const s of slots) {
    const panel = isPanelOf(query, s);
    const present = presentOf(query, s);
    for (const half of [0, 1]) {
      if (half === 1 && panel === 'false') continue;
      rows.push({
        index: 2 * s.i + half,
        present: half === 0 ? present : `${present} and ${panel}`,
        loinc: half === 0 ? `case when ${panel} then '8480-6' else loinc_${s.i} end` : `'8462-4'`,
        text: half === 0 ? `case when ${panel} then systolic_${s.i} else raw_${s.i} end` : `diastolic_${s.i}`,
        unit: `unit_text_${s.i}`,
        valueField: q(s.valueColumn),
        unitField: q(s.unitColumn ?? (m.long ? s.valueColumn : `wide.${s.valueColumn}.unit`)),
      });
    }
  }
  return rows;
}

/** `slot_values` over `decided` and `unit_values` (the unit mapped, the value as a number) */
export function valueCtes(query: VendorQuery): string[] {
  const rows = slotRows(query);
  const bySlot = (pick: (r: SlotRow) => string) => `case s.value_index ${rows.map((r) => `when ${r.index} then ${pick(r)}`).join(' ')} end`;
  return [
    `slot_values as (
  select
    d.*,
    s.value_index,
    ${bySlot((r) => r.loinc)} as loinc_code,
    ${bySlot((r) => r.text)} as value_text,
    ${bySlot((r) => r.unit)} as unit_text,
    ${bySlot((r) => r.valueField)} as value_field,
    ${bySlot((r) => r.unitField)} as unit_field
  from decided d
  cross join (values ${rows.map((r) => `(${r.index})`).join(', ')}) as s (value_index)
  where case when d.early_field is not null or d.skip_reason is not null then s.value_index = 0 else ${bySlot((r) => r.present)} end
)`,
    `unit_values as (
  select
    v.*,
    coalesce(u.ucum, v.unit_text) as ucum_unit,
    -- the value as a number, read once (the pattern, then the cast) for the value and its rule below
    case when v.early_field is null and v.skip_reason is null and regexp_like(v.value_text, ${q(DECIMAL)}) then try_cast(v.value_text as double) end as number
  from slot_values v
  left join mapped_units u on u.vendor = lower(v.unit_text)
)`,
  ];
}

/** the columns of device_values over `unit_values` */
export function deviceValuesSelect({ m }: VendorQuery): string {
  // without a unit column or a fixed unit, a value is in its measure's canonical unit
  const canonicalUnit = `case ${[...MEASURES].map(([code, x]) => `when loinc_code = ${q(code)} then ${q(x.unit)}`).join(' ')} end`;
  return `select
  source_record,
  early_field,
  early_reason,
  early_value,
  false as early_value_is_json,
  person_text as person_id,
  observed_at,
  ${q(m.time.column)} as time_field,
  time_text as time_raw,
  cast(null as varchar) as late_field,
  cast(null as varchar) as late_reason,
  cast(null as varchar) as late_value,
  skip_reason,
  true as skip_before_time,
  device_id,
  case when early_field is null and skip_reason is null then value_index end as value_index,
  case when early_field is null and skip_reason is null then loinc_code end as loinc_code,
  number as value,
  case when early_field is null and skip_reason is null then coalesce(ucum_unit, ${canonicalUnit}) end as unit,
  value_field,
  unit_field,
  case
    when early_field is not null or skip_reason is not null then null
    when value_text is null then 'missing value'
    when number is null or abs(number) > 1.7976931348623157e308 then 'not a number'
  end as value_reject_reason,
  value_text as value_reject_value
from unit_values`;
}
