/**
 * FHIR dates. A care date (onset, encounter start, billable period) is the calendar day as written, in the zone the
 * sender wrote it in: `1989-10-04T02:25:16-04:00` is 4 October, as the patient lived it. A device reading keeps
 * its instant (UTC), and must have one: FHIR requires a zone whenever a time is given.
 */
import { isCalendarDate } from '../../tables/define.js';
import { offsetInstant } from '../fields.js';
import { notInFuture } from '../measurement.js';
import { reject } from '../rejection.js';

const FHIR_DATE_TIME = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2}))?$/;

const PARTIAL_DATE = /^\d{4}(-\d{2})?$/;

/** the calendar day of a FHIR date or dateTime; a year or year-month alone is not a day, and is rejected */
export function careDate(raw: string | undefined, field: string): string | null {
  if (raw === undefined) return null;
  if (PARTIAL_DATE.test(raw)) reject(field, 'date without a day', raw);
  if (!FHIR_DATE_TIME.test(raw)) reject(field, 'not a FHIR date or dateTime', raw);
  const day = raw.slice(0, 10);
  return isCalendarDate(day) ? day : reject(field, 'not a calendar date', raw);
}

/**
 * The same, but a year or year-month alone counts as no day (null) rather than an error, for a date that has a
 * fallback: a Condition's onset ("diabetes since 2019") falls back to its recorded day. A birth date has none, so
 * careDate rejects a partial one.
 */
export function wholeCareDate(raw: string | undefined, field: string): string | null {
  return raw !== undefined && PARTIAL_DATE.test(raw) ? null : careDate(raw, field);
}

/** epoch ms of a reading's time, rejected when missing, without a zone, or more than a day in the future */
export function readingInstant(raw: string | undefined, field: string, now: number): number {
  if (raw === undefined) return reject('effective[x]', 'no effective time', null);
  return notInFuture(offsetInstant(raw, field)!, now, field, raw);
}
