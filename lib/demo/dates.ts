/**
 * Calendar arithmetic on day numbers (days since 1970-01-01, UTC; lib/dates.ts converts them), and local wall-clock instants in US time zones with
 * the UTC offset a device would send (daylight saving time included: US rule, second Sunday of March to first Sunday
 * of November; the readings are taken after 2 a.m., so the switch days follow the new offset).
 */

import { isoOf, MS_PER_DAY } from '../dates.js';

export function yearOf(day: number): number {
  return new Date(day * MS_PER_DAY).getUTCFullYear();
}

export function firstOfMonth(day: number): number {
  const d = new Date(day * MS_PER_DAY);
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1) / MS_PER_DAY;
}

export function lastOfMonth(day: number): number {
  const d = new Date(day * MS_PER_DAY);
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 0) / MS_PER_DAY;
}

/** the same month and day `years` later (Feb 29 becomes Mar 1 in common years) */
export function addYears(day: number, years: number): number {
  const d = new Date(day * MS_PER_DAY);
  return Date.UTC(d.getUTCFullYear() + years, d.getUTCMonth(), d.getUTCDate()) / MS_PER_DAY;
}

/** whole years from `from` to `to` (an age) */
export function yearsBetween(from: number, to: number): number {
  const a = new Date(from * MS_PER_DAY);
  const b = new Date(to * MS_PER_DAY);
  const years = b.getUTCFullYear() - a.getUTCFullYear();
  const beforeBirthday =
    b.getUTCMonth() < a.getUTCMonth() || (b.getUTCMonth() === a.getUTCMonth() && b.getUTCDate() < a.getUTCDate());
  return beforeBirthday ? years - 1 : years;
}

export interface TimeZone {
  readonly name: string;
  /** standard-time offset from UTC in hours, e.g. -5 for Eastern */
  readonly standardOffset: number;
  readonly observesDst: boolean;
}

export const US_TIME_ZONES: readonly (readonly [TimeZone, number])[] = [
  [{ name: 'America/New_York', standardOffset: -5, observesDst: true }, 47],
  [{ name: 'America/Chicago', standardOffset: -6, observesDst: true }, 29],
  [{ name: 'America/Denver', standardOffset: -7, observesDst: true }, 5],
  [{ name: 'America/Phoenix', standardOffset: -7, observesDst: false }, 2],
  [{ name: 'America/Los_Angeles', standardOffset: -8, observesDst: true }, 16],
  [{ name: 'Pacific/Honolulu', standardOffset: -10, observesDst: false }, 1],
];

const dstByYear = new Map<number, readonly [start: number, end: number]>();

/** the first day and the day after the last day of US daylight saving time in `year` */
function dstPeriod(year: number): readonly [number, number] {
  let period = dstByYear.get(year);
  if (!period) {
    const nthSunday = (month: number, n: number): number => {
      const first = Date.UTC(year, month, 1) / MS_PER_DAY;
      const weekday = new Date(first * MS_PER_DAY).getUTCDay();
      return first + ((7 - weekday) % 7) + 7 * (n - 1);
    };
    period = [nthSunday(2, 2), nthSunday(10, 1)];
    dstByYear.set(year, period);
  }
  return period;
}

function pad2(n: number): string {
  return n < 10 ? `0${n}` : String(n);
}

/** ISO 8601 instant with offset, e.g. `2025-06-01T07:31:05-04:00`, for a local day and second of that day */
export function localTimestamp(day: number, secondOfDay: number, zone: TimeZone): string {
  const [dstStart, dstEnd] = dstPeriod(yearOf(day));
  const offset = zone.standardOffset + (zone.observesDst && day >= dstStart && day < dstEnd ? 1 : 0);
  const s = Math.max(0, Math.min(86_399, Math.floor(secondOfDay)));
  const hh = pad2(Math.floor(s / 3600));
  const mm = pad2(Math.floor((s % 3600) / 60));
  const ss = pad2(s % 60);
  const sign = offset < 0 ? '-' : '+';
  return `${isoOf(day)}T${hh}:${mm}:${ss}${sign}${pad2(Math.abs(offset))}:00`;
}
