/**
 * FHIR dates. A care date (onset, encounter start, billable period) is the calendar day as written, in the zone the
 * sender wrote it in: `1989-10-04T02:25:16-04:00` is 4 October, as the patient lived it. A device reading keeps
 * its instant (UTC), and must have one: FHIR requires a zone whenever a time is given.
 */
import { isCalendarDate } from '../../tables/define.js';
import { offsetInstant } from '../fields.js';
import { reject } from '../rejection.js';

const FHIR_DATE_TIME = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2}))?$/;

/** the calendar day of a FHIR date or dateTime; a year or year-month alone is not a day */
export function careDate(raw: string | undefined, field: string): string | null {
  if (raw === undefined) return null;
  if (/^\d{4}(-\d{2})?$/.test(raw)) reject(field, 'date without a day', raw);
  if (!FHIR_DATE_TIME.test(raw)) reject(field, 'not a FHIR date or dateTime', raw);
  const day = raw.slice(0, 10);
  return isCalendarDate(day) ? day : reject(field, 'not a calendar date', raw);
}

/** how far ahead of ingest a reading may be dated before its clock is taken to be wrong */
const FUTURE_TOLERANCE_MS = 24 * 3600 * 1000;

/** epoch ms of a reading's time, rejected when missing, without a zone, or more than a day in the future */
export function readingInstant(raw: string | undefined, field: string, now: number): number {
  if (raw === undefined) return reject('effective[x]', 'no effective time', null);
  const ms = offsetInstant(raw, field)!;
  return ms - now > FUTURE_TOLERANCE_MS ? reject(field, 'time in the future (device clock fault?)', raw) : ms;
}
