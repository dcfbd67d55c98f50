/**
 * The zone of a local time and the instant it makes (`observed_at`), or none in a daylight-saving gap. A text's own
 * offset or a fixed offset (`Z`, `UTC`, `-05:00`) is read by arithmetic; an IANA zone through the engine's time zones.
 * The zones a zone column holds are checked in TypeScript first (zonesQuery, knownZones), and the valid ones are
 * VALUES: an unknown zone would fail the whole query in the engine.
 *
 * The engine resolves a zone at an instant for ~20 µs a row, so offsets are worked out per zone and day, and per
 * quarter hour only on the days around a change: every offset in use is a whole number of quarter hours, so all wall
 * times of one quarter hour resolve alike. Both lookups are joined as small tables, the rows being the probe side:
 * a join whose build side were the rows cost more than every rule and left the rows out of record order, which
 * every part of the curated output then paid for (parts.ts reads ranges of record numbers).
 */
import { isTimeZone } from '../../local-time.js';
import type { VendorMapping } from '../../vendor-mapping.js';
import { sqlText as q } from '../devices.js';
import type { VendorQuery } from './query.js';

export const FIXED_OFFSET = /^(Z|UTC|GMT|[+-]\d{2}:?\d{2})$/i;

/**
 * the distinct zones of the zone column (`zone`), to check before the query (null when the mapping has none): through
 * `distinct` when the runner gives it (format.ts), else over raw_records
 */
export function zonesQuery(m: VendorMapping, distinct?: (column: string) => string): string | null {
  if (m.time.zone_column === undefined) return null;
  return distinct === undefined ? `select distinct zone from raw_records where zone is not null` : distinct('zone');
}

/** the zones of `found` that are IANA zones (fixed offsets are read by the SQL itself) */
export function knownZones(found: readonly string[]): string[] {
  return found.filter((z) => !FIXED_OFFSET.test(z) && isTimeZone(z));
}

/** `zones`: the IANA zones a record may name */
export function zoneListCte({ zones }: VendorQuery): string {
  const zoneSql = zones.length > 0 ? `select * from (values ${zones.map((z) => `(${q(z)})`).join(', ')}) as t (zone)` : `select cast(null as varchar) as zone where false`;
  return `zones as (\n  ${zoneSql}\n)`;
}

/** minutes east of UTC of an offset text (Z, UTC, GMT, ±hh:mm, ±hhmm) */
const offsetOf = (o: string) =>
  `case when upper(${o}) in ('Z', 'UTC', 'GMT') then 0 else (case when substr(${o}, 1, 1) = '-' then -1 else 1 end) * (cast(substr(replace(${o}, ':', ''), 2, 2) as integer) * 60 + cast(substr(replace(${o}, ':', ''), 4, 2) as integer)) end`;

/** the offset of the row's IANA zone at an instant (seconds east of UTC) */
const offsetAt = (u: string) => `date_diff('second', ${u}, cast(at_timezone(with_timezone(${u}, 'UTC'), zone_text) as timestamp))`;

/** `zoned` over `instants`: each record's `observed_at`, and `in_gap` for a local time that does not exist */
export function zoneCtes({ time }: VendorQuery): string[] {
  const f = time.fields;
  if (time.epochScale !== undefined) {
    const observedAt = `case when time_ok then timestamp '1970-01-01 00:00:00' + interval '0.001' second * round(cast(time_text as double) * ${time.epochScale}) end`;
    return [`zoned as (\n  select i.*, ${observedAt} as observed_at, false as in_gap\n  from instants i\n)`];
  }
  // the instant of the wall time at an offset (seconds east of UTC): the offset taken off the seconds, then one
  // interval added to the day (a wall timestamp less an interval cost twice the time)
  const instantAt = (east: string) =>
    `cast(t_date as timestamp) + interval '1' second * (wall_second - ${east})${f.ms === '0' ? '' : " + interval '0.001' second * t_ms"}`;
  const fixed = (o: string) => instantAt(`60 * (${offsetOf(o)})`);
  // A row's quarter hour is its date and the quarter's number in the day (timestamp arithmetic per row cost
  // 0.24 µs); it differs from the wall time's own only when the seconds run past 59, a time the rules reject first.
  const bucketed = `bucketed as (
  select
    i.*,
    case when iana_zone then false else regexp_like(coalesce(zone_text, ''), ${q('^([Zz]|[Uu][Tt][Cc]|[Gg][Mm][Tt]|[+-]\\d{2}:?\\d{2})$')}) end as fixed_zone,
    case when iana_zone and not has_offset and t_date is not null and wall_second is not null and t_ms is not null then t_hour24 * 4 + t_minute / 15 end as wall_quarter
  from instants i
)`;
  const buckets = `buckets as (
  select zone_text, t_date, wall_quarter, cast(t_date as timestamp) + interval '15' minute * wall_quarter as wall_bucket
  from (select distinct zone_text, t_date, wall_quarter from bucketed where wall_quarter is not null) b
)`;
  // A day whose offsets at midnight from two days before to three days after are all one offset has it at every
  // quarter hour: under the assumption below (no zone changes twice within a day) nothing changes in between.
  // Six lookups a day instead of three a quarter hour; only the days around a change go through the quarter hours.
  const around = [-2, -1, 0, 1, 2, 3];
  const zoneDays = `zone_days as (
  select
    zone_text as day_zone,
    zone_day,
    case when ${around.slice(1).map((_, i) => `at_${i + 1} = at_0`).join(' and ')} then at_0 end as day_offset
  from (
    select zone_text, zone_day, ${around.map((n, i) => `${offsetAt(`zone_day + interval '1' day * (${n})`)} as at_${i}`).join(', ')}
    from (select distinct zone_text, date_trunc('day', wall_bucket) as zone_day from buckets) d
  ) a
)`;
  // an EXISTS, not a join: DuckDB estimates a semi join at most its input, so the rows stay the probe side below
  const candidates = `candidates as (
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
)`;
  const resolved = `resolved as (
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
)`;
  const zoned = `zoned as (
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
)`;
  return [bucketed, buckets, zoneDays, candidates, resolved, zoned];
}
