/**
 * Vendor time formats (`--map` mappings, vendor-mapping.ts): what a mapping's `time.format` may be, and the regular
 * expression a pattern becomes for the SQL that reads the times (lib/ingest/sql/vendor-csv.ts).
 *   'iso'       ISO 8601; an explicit offset (`Z`, `-05:00`) wins, otherwise the time is local to the zone
 *   'epoch_s'   seconds since 1970-01-01 UTC (`epoch_ms`: milliseconds); no zone needed
 *   a pattern   tokens yyyy MM M dd d HH H hh h mm ss SSS a (AM/PM); T and any non-letter are literal
 * Local time → UTC is the SQL's, through the engine's time zones: a local time in the spring-forward gap is rejected,
 * one in the fall-back hour (half hour on Lord Howe Island), which happens twice, is the first of the two.
 */

/** the parts of a local time a pattern's tokens give */
export type TimePart = 'year' | 'month' | 'day' | 'hour' | 'minute' | 'second' | 'ms' | 'ampm';

/** width: the characters a token always takes (none for M, d, H, h: one digit or two) */
const TOKENS: Readonly<Record<string, { readonly re: string; readonly key: TimePart; readonly width?: number }>> = {
  yyyy: { re: '(\\d{4})', key: 'year', width: 4 },
  MM: { re: '(\\d{2})', key: 'month', width: 2 },
  M: { re: '(\\d{1,2})', key: 'month' },
  dd: { re: '(\\d{2})', key: 'day', width: 2 },
  d: { re: '(\\d{1,2})', key: 'day' },
  HH: { re: '(\\d{2})', key: 'hour', width: 2 },
  H: { re: '(\\d{1,2})', key: 'hour' },
  hh: { re: '(\\d{2})', key: 'hour', width: 2 },
  h: { re: '(\\d{1,2})', key: 'hour' },
  mm: { re: '(\\d{2})', key: 'minute', width: 2 },
  ss: { re: '(\\d{2})', key: 'second', width: 2 },
  SSS: { re: '(\\d{3})', key: 'ms', width: 3 },
  a: { re: '([AaPp][Mm])', key: 'ampm', width: 2 },
};

/** a pattern as a regular expression (anchored; one group per token, in `keys` order) */
export interface TimePattern {
  readonly regex: string;
  readonly keys: readonly TimePart[];
  /**
   * when every token has a fixed width and every literal is one ASCII character: each group's 1-based start and
   * length in a text the regex matched (the SQL then reads the parts by position, not by regexp_extract)
   */
  readonly spans?: readonly (readonly [number, number])[];
}

/** a pattern's regular expression, or the reason the pattern cannot be read */
export function timePattern(format: string): TimePattern | string {
  const keys: TimePart[] = [];
  const spans: [number, number][] = [];
  let fixed = true;
  let at = 1;
  let twelveHour = false;
  let re = '^';
  for (let i = 0; i < format.length; ) {
    if (format[i] === 'T') {
      re += 'T'; // the ISO date/time separator
      at++;
      i++;
    } else if (/[A-Za-z]/.test(format[i]!)) {
      const run = /^[A-Za-z]+/.exec(format.slice(i))![0];
      const token = Object.keys(TOKENS).find((t) => run.startsWith(t));
      if (token === undefined) return `unknown token "${run}" (use yyyy MM M dd d HH H hh h mm ss SSS a)`;
      re += TOKENS[token]!.re;
      keys.push(TOKENS[token]!.key);
      const width = TOKENS[token]!.width;
      if (width === undefined) fixed = false;
      else spans.push([at, width]);
      at += width ?? 0;
      twelveHour ||= token === 'h' || token === 'hh';
      i += token.length;
    } else {
      re += format[i]!.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
      fixed &&= format.charCodeAt(i) < 0x80;
      at++;
      i++;
    }
  }
  for (const need of ['year', 'month', 'day'] as const) if (!keys.includes(need)) return `no ${need} token`;
  if (twelveHour !== keys.includes('ampm')) return twelveHour ? 'hh without a (AM/PM)' : 'a (AM/PM) without hh';
  return { regex: `${re}$`, keys, ...(fixed && { spans }) };
}

/** why `format` ('iso', 'epoch_s', 'epoch_ms' or a pattern) cannot be used, or undefined when it can */
export function timeFormatProblem(format: string): string | undefined {
  if (format === 'iso' || format === 'epoch_s' || format === 'epoch_ms') return undefined;
  const pattern = timePattern(format);
  return typeof pattern === 'string' ? pattern : undefined;
}

const known = new Map<string, boolean>();

/** whether Intl knows the IANA zone (Node's ICU, as DuckDB's and Trino's know the same database) */
export function isTimeZone(zone: string): boolean {
  let ok = known.get(zone);
  if (ok === undefined) {
    try {
      new Intl.DateTimeFormat('en-US', { timeZone: zone });
      ok = true;
    } catch {
      ok = false;
    }
    if (known.size < 10_000) known.set(zone, ok);
  }
  return ok;
}
