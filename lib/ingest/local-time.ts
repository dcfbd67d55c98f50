/**
 * Vendor timestamps → UTC. Exports write times in whatever shape their software likes (`03/14/2026 7:05 PM`,
 * `2026-03-14 19:05:00`, epoch seconds) and usually in the clinic's or patient's local time, with the zone either
 * fixed for the whole export or in a column of its own. A time format is compiled once per file:
 *   'iso'       ISO 8601; an explicit offset (`Z`, `-05:00`) wins, otherwise the time is local to the zone
 *   'epoch_s'   seconds since 1970-01-01 UTC (`epoch_ms`: milliseconds); no zone needed
 *   a pattern   tokens yyyy MM M dd d HH H hh h mm ss SSS a (AM/PM); T and any non-letter are literal
 * Local time → UTC uses the zone's offset from the IANA database (Intl), so daylight saving is honoured: a local time
 * in the spring-forward gap does not exist and is rejected; one in the fall-back hour (half hour on Lord Howe Island),
 * which happens twice, is taken as the first of the two (the daylight-time instant).
 */
import { isCalendarDate } from '../tables/define.js';
import { reject } from './rejection.js';

export interface LocalFields {
  readonly year: number;
  readonly month: number;
  readonly day: number;
  readonly hour: number;
  readonly minute: number;
  readonly second: number;
  readonly ms: number;
}

/** a parsed timestamp: an instant already (explicit offset or epoch), or local fields still needing a zone */
export type ParsedTime = { readonly utc: number } | { readonly local: LocalFields };

export type TimeParser = (text: string, field: string) => ParsedTime;

const TOKENS: Readonly<Record<string, { readonly re: string; readonly key: keyof LocalFields | 'ampm' }>> = {
  yyyy: { re: '(\\d{4})', key: 'year' },
  MM: { re: '(\\d{2})', key: 'month' },
  M: { re: '(\\d{1,2})', key: 'month' },
  dd: { re: '(\\d{2})', key: 'day' },
  d: { re: '(\\d{1,2})', key: 'day' },
  HH: { re: '(\\d{2})', key: 'hour' },
  H: { re: '(\\d{1,2})', key: 'hour' },
  hh: { re: '(\\d{2})', key: 'hour' },
  h: { re: '(\\d{1,2})', key: 'hour' },
  mm: { re: '(\\d{2})', key: 'minute' },
  ss: { re: '(\\d{2})', key: 'second' },
  SSS: { re: '(\\d{3})', key: 'ms' },
  a: { re: '([AaPp][Mm])', key: 'ampm' },
};

const ISO = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(Z|[+-]\d{2}:?\d{2})?$/i;

function local(year: number, month: number, day: number, hour: number, minute: number, second: number, ms: number, field: string, raw: string): LocalFields {
  const date = `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
  if (!isCalendarDate(date)) reject(field, 'not a calendar date', raw);
  if (hour > 23 || minute > 59 || second > 59) reject(field, 'not a time of day', raw);
  return { year, month, day, hour, minute, second, ms };
}

function parseIso(text: string, field: string): ParsedTime {
  const m = ISO.exec(text) ?? reject(field, 'not an ISO 8601 timestamp', text);
  const ms = m[7] === undefined ? 0 : Number(m[7].slice(0, 3).padEnd(3, '0'));
  const fields = local(+m[1]!, +m[2]!, +m[3]!, +m[4]!, +m[5]!, +(m[6] ?? 0), ms, field, text);
  if (m[8] === undefined) return { local: fields };
  return { utc: utcOf(fields) - offsetMinutes(m[8]) * 60_000 };
}

/** `Z`, `+hh:mm`, `-hhmm` → minutes east of UTC */
export function offsetMinutes(offset: string): number {
  if (offset.toUpperCase() === 'Z') return 0;
  const digits = offset.replace(':', '');
  const minutes = Number(digits.slice(1, 3)) * 60 + Number(digits.slice(3, 5));
  return digits.startsWith('-') ? -minutes : minutes;
}

/** a pattern as a regular expression (anchored; one group per token, in `keys` order) */
export interface TimePattern {
  readonly regex: string;
  readonly keys: readonly (keyof LocalFields | 'ampm')[];
}

/** a pattern's regular expression, or the reason the pattern cannot be read */
export function timePattern(format: string): TimePattern | string {
  const keys: (keyof LocalFields | 'ampm')[] = [];
  let twelveHour = false;
  let re = '^';
  for (let i = 0; i < format.length; ) {
    if (format[i] === 'T') {
      re += 'T'; // the ISO date/time separator
      i++;
    } else if (/[A-Za-z]/.test(format[i]!)) {
      const run = /^[A-Za-z]+/.exec(format.slice(i))![0];
      const token = Object.keys(TOKENS).find((t) => run.startsWith(t));
      if (token === undefined) return `unknown token "${run}" (use yyyy MM M dd d HH H hh h mm ss SSS a)`;
      re += TOKENS[token]!.re;
      keys.push(TOKENS[token]!.key);
      twelveHour ||= token === 'h' || token === 'hh';
      i += token.length;
    } else {
      re += format[i]!.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
      i++;
    }
  }
  for (const need of ['year', 'month', 'day'] as const) if (!keys.includes(need)) return `no ${need} token`;
  if (twelveHour !== keys.includes('ampm')) return twelveHour ? 'hh without a (AM/PM)' : 'a (AM/PM) without hh';
  return { regex: `${re}$`, keys };
}

/** compiles a pattern; returns the reason when the pattern cannot be read */
function compilePattern(format: string): TimeParser | string {
  const pattern = timePattern(format);
  if (typeof pattern === 'string') return pattern;
  const { keys } = pattern;
  const regex = new RegExp(pattern.regex);
  return (text, field) => {
    const m = regex.exec(text) ?? reject(field, `timestamp does not match the format ${format}`, text);
    const v: Record<string, number> = { hour: 0, minute: 0, second: 0, ms: 0 };
    let pm: boolean | undefined;
    keys.forEach((k, i) => {
      if (k === 'ampm') pm = m[i + 1]!.toLowerCase() === 'pm';
      else v[k] = Number(m[i + 1]);
    });
    if (pm !== undefined) {
      if (v.hour! < 1 || v.hour! > 12) reject(field, 'not a 12-hour time', text);
      v.hour = (v.hour! % 12) + (pm ? 12 : 0);
    }
    return { local: local(v.year!, v.month!, v.day!, v.hour!, v.minute!, v.second!, v.ms!, field, text) };
  };
}

/** 'iso', 'epoch_s', 'epoch_ms' or a pattern; a string result is why the format cannot be used */
export function compileTimeFormat(format: string): TimeParser | string {
  switch (format) {
    case 'iso':
      return parseIso;
    case 'epoch_s':
    case 'epoch_ms': {
      const scale = format === 'epoch_s' ? 1000 : 1;
      return (text, field) => {
        const n = /^\d+(\.\d+)?$/.test(text) ? Number(text) * scale : reject(field, `not a ${format} timestamp`, text);
        return { utc: Math.round(n) };
      };
    }
    default:
      return compilePattern(format);
  }
}

function utcOf(f: LocalFields): number {
  return Date.UTC(f.year, f.month - 1, f.day, f.hour, f.minute, f.second, f.ms);
}

const formatters = new Map<string, Intl.DateTimeFormat>();

/** the IANA zone's formatter, or undefined when Intl does not know the zone */
function formatter(zone: string): Intl.DateTimeFormat | undefined {
  let f = formatters.get(zone);
  if (f === undefined) {
    try {
      f = new Intl.DateTimeFormat('en-US', {
        timeZone: zone,
        hourCycle: 'h23',
        year: 'numeric',
        month: 'numeric',
        day: 'numeric',
        hour: 'numeric',
        minute: 'numeric',
        second: 'numeric',
      });
    } catch {
      return undefined;
    }
    formatters.set(zone, f);
  }
  return f;
}

export function isTimeZone(zone: string): boolean {
  return formatter(zone) !== undefined;
}

const QUARTER_HOUR = 15 * 60_000;
const DAY = 86_400_000;
/** offsets by zone and quarter hour: every zone's transitions fall on quarter hours of UTC */
const offsets = new Map<string, number>();

/** milliseconds the zone is ahead of UTC at the instant `utc` */
function zoneOffset(zone: string, utc: number): number {
  const bucket = Math.floor(utc / QUARTER_HOUR);
  const key = `${zone}@${bucket}`;
  let offset = offsets.get(key);
  if (offset === undefined) {
    const at = bucket * QUARTER_HOUR;
    const p = Object.fromEntries(formatter(zone)!.formatToParts(at).map((x) => [x.type, x.value]));
    offset = Date.UTC(+p.year!, +p.month! - 1, +p.day!, +p.hour!, +p.minute!, +p.second!) - at;
    if (offsets.size >= 100_000) offsets.clear();
    offsets.set(key, offset);
  }
  return offset;
}

const FIXED_OFFSET = /^(Z|UTC|GMT|[+-]\d{2}:?\d{2})$/i;

/**
 * Local fields in `zone` (an IANA name, or a fixed `±hh:mm` / `Z` / `UTC` offset) → epoch milliseconds UTC.
 * `zoneField` is blamed when the zone is unknown, `field` (with its text `raw`) when the local time falls in a
 * daylight-saving gap.
 */
export function toUtc(f: LocalFields, zone: string, field: string, zoneField: string, raw: string): number {
  const wall = utcOf(f);
  if (FIXED_OFFSET.test(zone)) return wall - (/^(UTC|GMT)$/i.test(zone) ? 0 : offsetMinutes(zone) * 60_000);
  if (!isTimeZone(zone)) reject(zoneField, 'not an IANA time zone or UTC offset', zone);
  // the offsets in force a day either side of the wall time: no zone has two transitions within a day
  const offsets = new Set([zoneOffset(zone, wall - DAY), zoneOffset(zone, wall + DAY)]);
  // the instants that read as this wall time: one, two in a fall-back (the first is the earlier, whatever the shift:
  // an hour, or 30 minutes on Lord Howe Island), none in a spring-forward gap
  const instants = [...offsets].map((o) => wall - o).filter((utc) => utc + zoneOffset(zone, utc) === wall);
  if (instants.length === 0) reject(field, `local time does not exist in ${zone} (daylight-saving gap)`, raw);
  return Math.min(...instants);
}
