/**
 * The CSV cells Stratify writes (worklists, `--format csv`, demo landing files): RFC 4180 quoting, and no cell a
 * spreadsheet would run as a formula. Care managers open worklists in spreadsheets, and a person id such as
 * `=HYPERLINK(...)` arrives from the sender as data: following OWASP's CSV injection advice, a cell that starts with
 * `=`, `+`, `-`, `@`, a tab or a carriage return gets a leading `'`, which spreadsheets show as text, unless it is a
 * plain number (`-12.50`, `1e3`), which no spreadsheet evaluates as a formula and which must stay a number.
 */
const NEEDS_QUOTES = /[",\r\n]/;
const FORMULA_START = /^[=+\-@\t\r]/;
const PLAIN_NUMBER = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;

/** the value as a spreadsheet shows it as text: `'` before a leading formula character (see the header) */
export function neutralised(value: string): string {
  return FORMULA_START.test(value) && !PLAIN_NUMBER.test(value) ? `'${value}` : value;
}

/** the field as it goes between commas: quoted, with quotes doubled, only when it needs to be; nothing else changed */
export function csvQuoted(value: string): string {
  return NEEDS_QUOTES.test(value) ? `"${value.replaceAll('"', '""')}"` : value;
}

/** a cell of a CSV file Stratify writes: neutralised, then quoted */
export function csvField(value: string): string {
  return csvQuoted(neutralised(value));
}
