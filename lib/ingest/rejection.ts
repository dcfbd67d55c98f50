/**
 * A record that cannot be stored is rejected by throwing RecordRejected from wherever the problem is found (a field
 * parser, a unit conversion, a row schema); the file driver catches it and quarantines the whole record. Throwing
 * keeps the mappers straight-line code; bad records are rare enough that the cost of an exception does not matter.
 */
export class RecordRejected extends Error {
  constructor(
    readonly field: string,
    readonly reason: string,
    readonly value: unknown,
  ) {
    super(`${field}: ${reason}`);
    this.name = 'RecordRejected';
  }
}

export function reject(field: string, reason: string, value: unknown): never {
  throw new RecordRejected(field, reason, value);
}

/**
 * The value a quarantine line shows, from the ingest SQL's `reject_value` text and `reject_value_type`: a number, a
 * JSON value of an NDJSON line as it was, or text (the local runner and the Athena commit read them alike).
 */
export function rejectedValue(text: string | null, type: string | null): unknown {
  if (text === null) return null;
  if (type === 'number') return Number(text);
  return type === 'json' ? JSON.parse(text) : text;
}
