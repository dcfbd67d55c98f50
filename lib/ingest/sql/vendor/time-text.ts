/**
 * The time column read as the mapping's format says (local-time.ts): whether the text matches, and its parts as SQL
 * expressions over `time_text` (fields t_year … t_ms, t_pm, t_offset), then the wall time they make (t_date,
 * t_hour24, wall_second) for the zone rules of zones.ts. Epoch times are instants already and skip the wall time.
 */
import { timePattern, type TimePattern } from '../../local-time.js';
import { sqlText as q } from '../devices.js';
import type { TimeParts, VendorQuery } from './query.js';

const ISO = '^(\\d{4})-(\\d{2})-(\\d{2})[Tt ](\\d{2}):(\\d{2})(?::(\\d{2})(?:\\.(\\d{1,9}))?)?([Zz]|[+-]\\d{2}:?\\d{2})?$';

const group = (regex: string, n: number) => `nullif(regexp_extract(time_text, ${q(regex)}, ${n}), '')`;
const int = (e: string) => `try_cast(${e} as integer)`;

/** the parsed parts of the time as SQL expressions over `time_text` */
export function timeParts(format: string): TimeParts {
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

/** the columns t_<name> of the time's parts (over `time_ok`, the match) */
export function timeFieldColumns({ time }: VendorQuery): string[] {
  return Object.entries(time.fields).map(([k, e]) => `${e} as t_${k}`);
}

/**
 * `walls` (the local date and 24-hour hour) and `instants` (the second of the day, whether the text gave its own
 * offset, whether the zone is one of the IANA zones the engine resolves) over `parts`
 */
export function wallTimeCtes({ time }: VendorQuery): string[] {
  const f = time.fields;
  const hour24 = f.pm === undefined ? 't_hour' : `case when t_hour between 1 and 12 then t_hour % 12 + case when t_pm then 12 else 0 end end`;
  const wallCols = ['p.*'];
  if (time.epochScale === undefined) {
    wallCols.push(
      `${time.date ?? `try_cast(lpad(cast(t_year as varchar), 4, '0') || '-' || lpad(cast(t_month as varchar), 2, '0') || '-' || lpad(cast(t_day as varchar), 2, '0') as date)`} as t_date`,
      `${hour24} as t_hour24`,
    );
  }
  const instantCols = ['w.*'];
  if (time.epochScale === undefined) {
    instantCols.push(
      't_hour24 * 3600 + t_minute * 60 + t_second as wall_second',
      f.offset === undefined ? 'false as has_offset' : 't_offset is not null as has_offset',
      'zone_text in (select zone from zones) as iana_zone',
    );
  }
  return [
    `walls as (\n  select\n    ${wallCols.join(',\n    ')}\n  from parts p\n)`,
    `instants as (\n  select\n    ${instantCols.join(',\n    ')}\n  from walls w\n)`,
  ];
}
