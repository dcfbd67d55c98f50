/**
 * Field parsers shared by the readers. Each takes the raw text (undefined when the column is absent from the file)
 * and the field name to blame, returns the typed value or null when empty, and rejects the record when the text is
 * present but wrong. Empty means empty after trimming: senders pad and quote inconsistently.
 */
import { isCalendarDate } from '../tables/define.js';
import { reject } from './rejection.js';

export function text(raw: string | undefined): string | null {
  if (raw === undefined) return null;
  const s = raw.trim();
  return s === '' ? null : s;
}

/**
 * A copy of `s` that does not keep its source text alive. V8 makes a substring of 13 or more characters a view into
 * the string it was cut from, and the CSV parser cuts fields from its chunks: one claim id kept in a long-lived map
 * pins a whole chunk. Measured on a 2 GB claims file with 16-character claim ids, the diagnosis-position map held the
 * text of about a million lines that way, and ingest ran out of a 512 MB heap at 14 % of the file. Use it for
 * values kept beyond their batch (map keys), not for row values, which are written and dropped with their batch.
 */
export function detached(s: string): string {
  return (' ' + s).slice(1);
}

export function required<T>(value: T | null, field: string): T {
  return value === null ? reject(field, 'missing value', null) : value;
}

/**
 * A person id, by the one rule every reader applies (CSV, device NDJSON, vendor CSV, FHIR): trimmed, not empty. A
 * reading whose id kept a sender's padding (`" P1"`) was an unknown person while the same id in a CSV was not.
 */
export function personIdOf(raw: string | undefined, field: string): string {
  return required(text(raw), field);
}

/** `YYYY-MM-DD`, a real calendar day. */
export function date(raw: string | undefined, field: string): string | null {
  const s = text(raw);
  if (s === null) return null;
  return isCalendarDate(s) ? s : reject(field, 'not a calendar date', s);
}

/** a finite decimal number */
export function number(raw: string | undefined, field: string): number | null {
  const s = text(raw);
  if (s === null) return null;
  const n = Number(s);
  return Number.isFinite(n) ? n : reject(field, 'not a number', s);
}

/** money, quantities: a number that is not negative */
export function nonNegative(raw: string | undefined, field: string): number | null {
  const n = number(raw, field);
  return n !== null && n < 0 ? reject(field, 'negative amount', n) : n;
}

/** a whole number that is not negative (line numbers, days of supply); `3.0` is accepted as 3 */
export function count(raw: string | undefined, field: string): number | null {
  const n = number(raw, field);
  if (n === null) return null;
  return Number.isInteger(n) && n >= 0 && n <= 0x7fffffff ? n : reject(field, 'not a whole number', raw?.trim());
}

/** Tuva flags are `'1'`/`'0'`; `true`/`false` is accepted too. */
export function flag(raw: string | undefined, field: string): boolean | null {
  const s = text(raw);
  if (s === null) return null;
  switch (s.toLowerCase()) {
    case '1':
    case 'true':
      return true;
    case '0':
    case 'false':
      return false;
    default:
      return reject(field, 'not a 0/1 flag', s);
  }
}

const LOCAL_DATE_TIME = /^(\d{4}-\d{2}-\d{2})(?:[ T](\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?))?$/;
const OFFSET_DATE_TIME = /^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?)(Z|[+-]\d{2}:?\d{2})$/i;

function instant(day: string, time: string | undefined, offset: string, field: string, raw: string): number {
  if (!isCalendarDate(day)) reject(field, 'not a calendar date', raw);
  const ms = Date.parse(`${day}T${time ?? '00:00'}${offset.length === 5 ? `${offset.slice(0, 3)}:${offset.slice(3)}` : offset}`);
  return Number.isNaN(ms) ? reject(field, 'not a timestamp', raw) : ms;
}

/**
 * Tuva dates and timestamps (`2014-11-29`, `2014-11-29 14:14:51`) carry no zone and are UTC by the Tuva convention;
 * an explicit offset, when a sender adds one, is honoured. Returns epoch milliseconds.
 */
export function utcInstant(raw: string | undefined, field: string): number | null {
  const s = text(raw);
  if (s === null) return null;
  const local = LOCAL_DATE_TIME.exec(s);
  if (local) return instant(local[1]!, local[2], 'Z', field, s);
  return offsetInstant(s, field);
}

/** ISO 8601 with a zone (`Z` or `±hh:mm`), as devices must send it: a reading without one is ambiguous. */
export function offsetInstant(raw: string | undefined, field: string): number | null {
  const s = text(raw);
  if (s === null) return null;
  const m = OFFSET_DATE_TIME.exec(s);
  if (m) return instant(m[1]!, m[2], m[3]!.toUpperCase(), field, s);
  return LOCAL_DATE_TIME.test(s) ? reject(field, 'timestamp without UTC offset', s) : reject(field, 'not a timestamp', s);
}
