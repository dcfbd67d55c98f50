/**
 * A vendor device CSV read through its `--map` mapping, as SQL: the mapping (checked whole by vendor-mapping.ts when
 * loaded) becomes the select of `device_values` that devices.ts composes with the shared device rules. raw_records
 * holds the mapping's columns under canonical names (vendorColumns: person, device, time, zone, and measure, value,
 * unit for a long export, value_<i> and unit_<i> for the i-th column of a wide one), trimmed and NULL when empty
 * (raw-records.ts), so not trimmed again here; the measures and units of the
 * mapping are VALUES, the zones a zone column holds are checked in TypeScript first (zonesQuery, then the valid ones
 * are VALUES: an unknown zone would fail the whole query in the engine). Rules, in the order the TypeScript reader had
 * them: person id, known person, the measure (long: not in the mapping → skipped) or the filled columns (wide: none →
 * skipped), unit columns, `systolic/diastolic` panels, then the time: missing, its format, the zone, a local time in a
 * daylight-saving gap (rejected) or in a repeated hour (the first of the two instants), then each value a number.
 */
import { MEASURES } from '../units.js';
import { isTimeZone, timePattern, type TimePattern } from '../local-time.js';
import { BP_PANEL, loincOf, type LoadedMapping, type VendorMapping } from '../vendor-mapping.js';
import { observations } from '../../tables/index.js';
import { deviceQuery, sqlText } from './devices.js';
import type { SqlFormat } from './format.js';

/** a canonical column of raw_records and the vendor column it is bound to (matched case-insensitively) */
export interface BoundColumn {
  readonly name: string;
  readonly column: string;
}

interface Slot {
  /** the measure column's index among the mapping's value columns (0 for a long export) */
  readonly i: number;
  readonly valueColumn: string;
  readonly unitColumn: string | undefined;
  /** a fixed unit (wide), as the vendor spells it */
  readonly unit: string | undefined;
  /** the LOINC code (wide), or the column holding it per row (long) */
  readonly loinc: string | undefined;
}

function slotsOf(m: VendorMapping): Slot[] {
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

/** the distinct zones of the zone column, to check before the query (null when the mapping has none) */
export function zonesQuery(m: VendorMapping): string | null {
  return m.time.zone_column === undefined ? null : `select distinct zone from raw_records where zone is not null`;
}

/** the zones of `found` that are IANA zones (fixed offsets are read by the SQL itself) */
export function knownZones(found: readonly string[]): string[] {
  return found.filter((z) => !FIXED_OFFSET.test(z) && isTimeZone(z));
}

const FIXED_OFFSET = /^(Z|UTC|GMT|[+-]\d{2}:?\d{2})$/i;
const ISO = '^(\\d{4})-(\\d{2})-(\\d{2})[Tt ](\\d{2}):(\\d{2})(?::(\\d{2})(?:\\.(\\d{1,9}))?)?([Zz]|[+-]\\d{2}:?\\d{2})?$';
const PANEL = '^\\s*(\\d+(?:\\.\\d+)?)\\s*/\\s*(\\d+(?:\\.\\d+)?)\\s*$';
/** a decimal number as JavaScript's Number() reads one (hexadecimal and binary spellings are not numbers here) */
const DECIMAL = '^[+-]?(\\d+\\.?\\d*|\\.\\d+)([eE][+-]?\\d+)?$';

const q = sqlText;
const group = (regex: string, n: number) => `nullif(regexp_extract(time_text, ${q(regex)}, ${n}), '')`;
const int = (e: string) => `try_cast(${e} as integer)`;

/** the parsed parts of the time as SQL expressions over `time_text` */
function timeParts(format: string): { matches: string; mismatch: string; fields: Record<string, string>; date?: string; epochScale?: number } {
  if (format === 'epoch_s' || format === 'epoch_ms') {
    return { matches: `regexp_like(time_text, ${q('^\\d+(\\.\\d+)?$')})`, mismatch: `not a ${format} timestamp`, fields: {}, epochScale: format === 'epoch_s' ? 1000 : 1 };
  }
  if (format === 'iso') {
    return {
      matches: `regexp_like(time_text, ${q(ISO)})`,
      mismatch: 'not an ISO 8601 timestamp',
      fields: {
        year: int(group(ISO, 1)),
        month: int(group(ISO, 2)),
        day: int(group(ISO, 3)),
        hour: int(group(ISO, 4)),
        minute: int(group(ISO, 5)),
        second: `coalesce(${int(group(ISO, 6))}, 0)`,
        ms: `coalesce(${int(`rpad(substr(${group(ISO, 7)}, 1, 3), 3, '0')`)}, 0)`,
        offset: group(ISO, 8),
      },
    };
  }
  const p = timePattern(format) as TimePattern; // the mapping schema has checked the format
  const at = (key: string) => p.keys.indexOf(key as TimePattern['keys'][number]) + 1;
  // a pattern of fixed widths: the group's characters by position once the pattern matched (time_ok), which gives
  // what regexp_extract gives at a seventh of the cost (one regexp_extract per part ran the whole pattern again)
  const span = (n: number) => p.spans?.[n - 1];
  const part = (n: number) => (span(n) === undefined ? group(p.regex, n) : `case when time_ok then substr(time_text, ${span(n)![0]}, ${span(n)![1]}) end`);
  const field = (key: string, otherwise: string) => (at(key) > 0 ? int(part(at(key))) : otherwise);
  // fixed widths: the date's digits are already yyyy, MM and dd, read as a date without going through numbers
  const digits = (key: string) => `substr(time_text, ${span(at(key))![0]}, ${span(at(key))![1]})`;
  const date = p.spans && `case when time_ok then try_cast(concat(${digits('year')}, '-', ${digits('month')}, '-', ${digits('day')}) as date) end`;
  return {
    matches: `regexp_like(time_text, ${q(p.regex)})`,
    mismatch: `timestamp does not match the format ${format}`,
    ...(date && { date }),
    fields: {
      ...(!date && { year: field('year', '0'), month: field('month', '0'), day: field('day', '0') }),
      hour: field('hour', '0'),
      minute: field('minute', '0'),
      second: field('second', '0'),
      ms: field('ms', '0'),
      ...(at('ampm') > 0 && { pm: `substr(${part(at('ampm'))}, 1, 1) in ('P', 'p')` }),
    },
  };
}

/** the select of device_values for `loaded` (zones: the valid zones of the file's zone column, knownZones) */
export function vendorValuesSql({ mapping: m }: LoadedMapping, columnZones: readonly string[] = []): string {
  // never a fixed offset (knownZones leaves them out; a mapping's zone is IANA): a zone of the list is not fixed_zone
  const zones = (m.time.zone === undefined ? columnZones : [m.time.zone]).filter((z) => !FIXED_OFFSET.test(z));
  const slots = slotsOf(m);
  const time = timeParts(m.time.format);
  const f = time.fields;
  // the first spelling of a unit wins, as ucumOf has it
  const units = new Map<string, string>();
  for (const [vendor, ucum] of Object.entries(m.units)) if (!units.has(vendor.toLowerCase())) units.set(vendor.toLowerCase(), ucum);
  const unitsRows = [...units].map(([vendor, ucum]) => `(${q(vendor)}, ${q(ucum)})`);
  const unitsSql = unitsRows.length > 0 ? `select * from (values ${unitsRows.join(', ')}) as t (vendor, ucum)` : `select cast(null as varchar) as vendor, cast(null as varchar) as ucum where false`;
  const zoneSql = zones.length > 0 ? `select * from (values ${zones.map((z) => `(${q(z)})`).join(', ')}) as t (zone)` : `select cast(null as varchar) as zone where false`;
  const zoneField = m.time.zone_column ?? 'time.zone';
  const fixedUnit = (s: Slot) => (s.unit === undefined ? 'cast(null as varchar)' : q(s.unit));

  const ctes: string[] = [];
  ctes.push(`person_check as (\n  select count(*) > 0 as checked from members\n)`);
  ctes.push(`mapped_units as (\n  ${unitsSql}\n)`);
  ctes.push(`zones as (\n  ${zoneSql}\n)`);
  if (m.long) {
    const rows = Object.entries(m.long.measures).map(([vendor, name]) => `(${q(vendor.trim().toLowerCase())}, ${q(loincOf(name)!)})`);
    ctes.push(`mapped_measures as (\n  select * from (values ${rows.join(', ')}) as t (vendor, loinc)\n)`);
  }

  // one row per record: person, measure and units, panels
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
  ctes.push(`records as (\n  select\n    ${cols.join(',\n    ')}\n  ${joins.join('\n  ')}\n)`);

  // panels written systolic/diastolic (matched only in a panel's column or rows), and the time's parts
  const isPanelOf = (s: Slot) => (m.long ? `loinc_${s.i} = ${q(BP_PANEL)}` : s.loinc === BP_PANEL ? 'true' : 'false');
  const partCols = ['r.*'];
  const halves: string[] = [];
  for (const s of slots) {
    const panel = isPanelOf(s);
    partCols.push(panel === 'false' ? `false as panel_ok_${s.i}` : `case when ${panel} then regexp_like(coalesce(r.raw_${s.i}, ''), ${q(PANEL)}) end as panel_ok_${s.i}`);
    for (const [n, name] of [[1, 'systolic'], [2, 'diastolic']] as const) {
      halves.push(`case when panel_ok_${s.i} then nullif(regexp_extract(r.raw_${s.i}, ${q(PANEL)}, ${n}), '') end as ${name}_${s.i}`);
    }
  }
  partCols.push(`${time.matches} as time_ok`);
  ctes.push(`matched as (\n  select\n    ${partCols.join(',\n    ')}\n  from records r\n)`);
  const fieldCols = ['r.*', ...halves, ...Object.entries(f).map(([k, e]) => `${e} as t_${k}`)];
  ctes.push(`parts as (\n  select\n    ${fieldCols.join(',\n    ')}\n  from matched r\n)`);

  // the wall-clock time (local fields) or the instant
  const hour24 = f.pm === undefined ? 't_hour' : `case when t_hour between 1 and 12 then t_hour % 12 + case when t_pm then 12 else 0 end end`;
  const wallCols = ['p.*'];
  if (time.epochScale === undefined) {
    wallCols.push(
      `${time.date ?? `try_cast(lpad(cast(t_year as varchar), 4, '0') || '-' || lpad(cast(t_month as varchar), 2, '0') || '-' || lpad(cast(t_day as varchar), 2, '0') as date)`} as t_date`,
      `${hour24} as t_hour24`,
    );
  }
  ctes.push(`walls as (\n  select\n    ${wallCols.join(',\n    ')}\n  from parts p\n)`);
  const offsetOf = (o: string) =>
    `case when upper(${o}) in ('Z', 'UTC', 'GMT') then 0 else (case when substr(${o}, 1, 1) = '-' then -1 else 1 end) * (cast(substr(replace(${o}, ':', ''), 2, 2) as integer) * 60 + cast(substr(replace(${o}, ':', ''), 4, 2) as integer)) end`;
  const instantCols = ['w.*'];
  if (time.epochScale === undefined) {
    instantCols.push(
      't_hour24 * 3600 + t_minute * 60 + t_second as wall_second',
      f.offset === undefined ? 'false as has_offset' : 't_offset is not null as has_offset',
      'zone_text in (select zone from zones) as iana_zone',
    );
  }
  ctes.push(`instants as (\n  select\n    ${instantCols.join(',\n    ')}\n  from walls w\n)`);

  // the offset of an IANA zone at an instant (seconds east of UTC), and the instants a wall time may be
  const offsetAt = (u: string) => `date_diff('second', ${u}, cast(at_timezone(with_timezone(${u}, 'UTC'), zone_text) as timestamp))`;
  let observedAt: string;
  if (time.epochScale !== undefined) {
    observedAt = `case when time_ok then timestamp '1970-01-01 00:00:00' + interval '0.001' second * round(cast(time_text as double) * ${time.epochScale}) end`;
    ctes.push(`zoned as (\n  select i.*, ${observedAt} as observed_at, false as in_gap\n  from instants i\n)`);
  } else {
    // the instant of the wall time at an offset (seconds east of UTC): the offset taken off the seconds, then one
    // interval added to the day (a wall timestamp less an interval cost twice the time)
    const instantAt = (east: string) =>
      `cast(t_date as timestamp) + interval '1' second * (wall_second - ${east})${f.ms === '0' ? '' : " + interval '0.001' second * t_ms"}`;
    const fixed = (o: string) => instantAt(`60 * (${offsetOf(o)})`);
    // The offsets are worked out once per zone and quarter hour of wall time, not per row: every offset in use is a
    // whole number of quarter hours, so all wall times of one quarter hour resolve alike (ICU costs a row ~20 µs).
    // A row's quarter hour is its date and the quarter's number in the day (timestamp arithmetic per row cost
    // 0.24 µs); it differs from the wall time's own only when the seconds run past 59, a time the rules reject first.
    ctes.push(`bucketed as (
  select
    i.*,
    case when iana_zone then false else regexp_like(coalesce(zone_text, ''), ${q('^([Zz]|[Uu][Tt][Cc]|[Gg][Mm][Tt]|[+-]\\d{2}:?\\d{2})$')}) end as fixed_zone,
    case when iana_zone and not has_offset and t_date is not null and wall_second is not null and t_ms is not null then t_hour24 * 4 + t_minute / 15 end as wall_quarter
  from instants i
)`);
    ctes.push(`buckets as (
  select zone_text, t_date, wall_quarter, cast(t_date as timestamp) + interval '15' minute * wall_quarter as wall_bucket
  from (select distinct zone_text, t_date, wall_quarter from bucketed where wall_quarter is not null) b
)`);
    // A day whose offsets at midnight from two days before to three days after are all one offset has it at every
    // quarter hour: under the assumption below (no zone changes twice within a day) nothing changes in between, and
    // the cases of resolved give that offset for each of its quarter hours. Six lookups a day instead of three a
    // quarter hour; only the days around a change go through the quarter hours.
    const around = [-2, -1, 0, 1, 2, 3];
    ctes.push(`zone_days as (
  select
    zone_text as day_zone,
    zone_day,
    case when ${around.slice(1).map((_, i) => `at_${i + 1} = at_0`).join(' and ')} then at_0 end as day_offset
  from (
    select zone_text, zone_day, ${around.map((n, i) => `${offsetAt(`zone_day + interval '1' day * (${n})`)} as at_${i}`).join(', ')}
    from (select distinct zone_text, date_trunc('day', wall_bucket) as zone_day from buckets) d
  ) a
)`);
    ctes.push(`candidates as (
  -- the quarter hours of the days around a change only: every other day has its one offset (zone_days)
  select
    zone_text,
    t_date,
    wall_quarter,
    wall_bucket,
    ${offsetAt("wall_bucket - interval '1' day")} as offset_before,
    ${offsetAt("wall_bucket + interval '1' day")} as offset_after
  from buckets b
  where exists (select 1 from zone_days d where d.day_zone = b.zone_text and d.zone_day = date_trunc('day', b.wall_bucket) and d.day_offset is null)
)`);
    ctes.push(`resolved as (
  -- the offsets in force a day either side (no zone changes twice within a day) that give back the wall time: none in
  -- a spring-forward gap, two in a repeated hour, of which the larger offset is the earlier instant
  select
    zone_text as resolved_zone,
    t_date as resolved_date,
    wall_quarter as resolved_quarter,
    case
      when offset_before = offset_after then case when ${offsetAt("wall_bucket - interval '1' second * offset_before")} = offset_before then offset_before end
      when ${offsetAt("wall_bucket - interval '1' second * offset_before")} = offset_before
        and (${offsetAt("wall_bucket - interval '1' second * offset_after")} <> offset_after or offset_before >= offset_after) then offset_before
      when ${offsetAt("wall_bucket - interval '1' second * offset_after")} = offset_after then offset_after
    end as offset_seconds
  from candidates
)`);
    ctes.push(`zoned as (
  select
    b.*,
    case
      when has_offset then ${f.offset === undefined ? 'null' : fixed('t_offset')}
      when fixed_zone then ${fixed('zone_text')}
      when iana_zone then ${instantAt('coalesce(d.day_offset, z.offset_seconds)')}
    end as observed_at,
    b.wall_quarter is not null and d.day_offset is null and z.offset_seconds is null as in_gap
  from bucketed b
  left join zone_days d on d.day_zone = b.zone_text and d.zone_day = cast(b.t_date as timestamp)
  left join resolved z on z.resolved_zone = b.zone_text and z.resolved_date = b.t_date and z.resolved_quarter = b.wall_quarter
)`);
  }

  // the record's first failing rule before its values, in the TypeScript reader's order
  const person = q(m.person);
  const timeCol = q(m.time.column);
  const early: [string, string, string, string][] = [
    [`person_text is null or person_text = ''`, person, q('missing value'), 'null'],
    ['unknown_person', person, q('unknown person'), 'person_text'],
  ];
  let skip: string;
  let skipReason: string;
  if (m.long) {
    early.push([`measure_text is null`, q(m.long.measure), q('missing value'), 'null']);
    skip = 'loinc_0 is null';
    skipReason = q('measure not in the mapping');
    if (m.long.unit_column !== undefined) early.push([`loinc_0 is not null and unit_text_0 is null`, q(m.long.unit_column), q('missing value'), 'null']);
  } else {
    skip = slots.map((s) => `not filled_${s.i}`).join(' and ');
    skipReason = q('no measure column filled');
    for (const s of slots) if (s.unitColumn !== undefined) early.push([`not (${skip}) and filled_${s.i} and unit_text_${s.i} is null`, q(s.unitColumn), q('missing value'), 'null']);
  }
  for (const s of slots) {
    const isPanel = isPanelOf(s);
    const present = m.long ? 'true' : `filled_${s.i}`;
    if (isPanel === 'false') continue;
    early.push([`not (${skip}) and ${present} and ${isPanel} and not panel_ok_${s.i}`, q(s.valueColumn), q('not a blood pressure written systolic/diastolic (e.g. 132/84)'), `coalesce(raw_${s.i}, '')`]);
  }
  early.push([`time_text is null`, timeCol, q('missing value'), 'null'], [`not time_ok`, timeCol, q(time.mismatch), 'time_text']);
  if (time.epochScale === undefined) {
    if (f.pm !== undefined) early.push([`t_hour24 is null`, timeCol, q('not a 12-hour time'), 'time_text']);
    early.push(
      ['t_date is null', timeCol, q('not a calendar date'), 'time_text'],
      ['t_hour24 > 23 or t_minute > 59 or t_second > 59', timeCol, q('not a time of day'), 'time_text'],
    );
    if (m.time.zone_column !== undefined) early.push(['not has_offset and zone_text is null', q(m.time.zone_column), q('missing value'), 'null']);
    early.push(
      ['not has_offset and zone_text is null', timeCol, q('timestamp without UTC offset, and the mapping gives no zone'), 'time_text'],
      ['not has_offset and not fixed_zone and not iana_zone', q(zoneField), q('not an IANA time zone or UTC offset'), 'zone_text'],
      ['in_gap', timeCol, `'local time does not exist in ' || zone_text || ' (daylight-saving gap)'`, 'time_text'],
    );
  }
  // a skipped record is decided after the person and (long) the measure, before anything else
  const skipAt = m.long ? 3 : 2;
  const rules = [...early.slice(0, skipAt).map((r) => [...r, false] as const), [skip, 'null', 'null', 'null', true] as const, ...early.slice(skipAt).map((r) => [...r, false] as const)];
  const pick = (col: 1 | 2 | 3) => `case\n      ${rules.map((r) => `when ${r[0]} then ${r[4] ? 'null' : r[col]}`).join('\n      ')}\n    end`;
  ctes.push(`decided as (
  select
    z.*,
    ${pick(1)} as early_field,
    ${pick(2)} as early_reason,
    ${pick(3)} as early_value,
    case\n      ${early.slice(0, skipAt).map((r) => `when ${r[0]} then null`).join('\n      ')}\n      when ${skip} then ${skipReason}\n    end as skip_reason
  from zoned z
)`);

  // one row per value (a panel's systolic and diastolic are two), or one row for a record without values
  const slotRows: { index: number; present: string; loinc: string; text: string; unit: string; valueField: string; unitField: string }[] = [];
  for (const s of slots) {
    const panel = isPanelOf(s);
    const present = m.long ? 'true' : `filled_${s.i}`;
    for (const half of [0, 1]) {
      if (half === 1 && panel === 'false') continue;
      slotRows.push({
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
  const bySlot = (pick: (r: (typeof slotRows)[number]) => string) => `case s.value_index ${slotRows.map((r) => `when ${r.index} then ${pick(r)}`).join(' ')} end`;
  ctes.push(`slot_values as (
  select
    d.*,
    s.value_index,
    ${bySlot((r) => r.loinc)} as loinc_code,
    ${bySlot((r) => r.text)} as value_text,
    ${bySlot((r) => r.unit)} as unit_text,
    ${bySlot((r) => r.valueField)} as value_field,
    ${bySlot((r) => r.unitField)} as unit_field
  from decided d
  cross join (values ${slotRows.map((r) => `(${r.index})`).join(', ')}) as s (value_index)
  where case when d.early_field is not null or d.skip_reason is not null then s.value_index = 0 else ${bySlot((r) => r.present)} end
)`);
  ctes.push(`unit_values as (
  select
    v.*,
    coalesce(u.ucum, v.unit_text) as ucum_unit,
    -- the value as a number, read once (the pattern, then the cast) for the value and its rule below
    case when v.early_field is null and v.skip_reason is null and regexp_like(v.value_text, ${q(DECIMAL)}) then try_cast(v.value_text as double) end as number
  from slot_values v
  left join mapped_units u on u.vendor = lower(v.unit_text)
)`);
  // without a unit column or a fixed unit, a value is in its measure's canonical unit
  const canonicalUnit = `case ${[...MEASURES].map(([code, x]) => `when loinc_code = ${q(code)} then ${q(x.unit)}`).join(' ')} end`;
  return `with
${ctes.join(',\n')}
select
  source_record,
  early_field,
  early_reason,
  early_value,
  false as early_value_is_json,
  person_text as person_id,
  observed_at,
  ${timeCol} as time_field,
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

/** the whole query of a vendor CSV: the mapping's select, then the shared device rules */
export function vendorCsvQuery(loaded: LoadedMapping, zones: readonly string[] = []): string {
  return deviceQuery(vendorValuesSql(loaded, zones));
}

/** a vendor CSV read through `loaded` on the SQL runner (run-file.ts): its zones are checked before the query is made */
export function vendorCsvSql(loaded: LoadedMapping): SqlFormat {
  const zones = zonesQuery(loaded.mapping);
  return {
    kind: 'csv',
    format: 'vendor-csv',
    tables: [observations],
    columns: vendorColumns(loaded.mapping).map(({ name, column }) => ({ name, header: column.trim().toLowerCase(), required: true })),
    query: async (first) => vendorCsvQuery(loaded, zones === null ? [] : knownZones((await first(zones)).map((r) => r.zone as string))),
  };
}
