/**
 * The start of a file as detection sees it: its head (fingerprint.ts: the first 64 KiB, decompressed for gzip)
 * decoded as text. Shared by format detection, FHIR detection and vendor mappings, which all go by the first line.
 */

/** the text without a leading byte-order mark (papaparse and JSON.parse do not drop it) */
export function stripBom(text: string): string {
  return text.startsWith('\uFEFF') ? text.slice(1) : text;
}

/** the head's first line, trimmed: all of the head when the line is longer than the head (see firstLineCut) */
export function firstLine(head: string): string {
  const text = stripBom(head);
  const end = text.search(/\r?\n/);
  return (end < 0 ? text : text.slice(0, end)).trim();
}

/** the head ends before its first line does: a line longer than the head, or a file of one line without newline */
export function firstLineCut(head: string): boolean {
  return !head.includes('\n');
}
