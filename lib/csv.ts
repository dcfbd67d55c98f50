/** RFC 4180 quoting, shared by every CSV Stratify writes (demo landing files, worklists, `stratify sql --format csv`). */
const NEEDS_QUOTES = /[",\r\n]/;

/** the field as it goes between commas: quoted, with quotes doubled, only when it needs to be */
export function csvField(value: string): string {
  return NEEDS_QUOTES.test(value) ? `"${value.replaceAll('"', '""')}"` : value;
}
