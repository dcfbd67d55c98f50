/**
 * JSON helpers shared by the JSON readers (device NDJSON, FHIR): a line parsed or the record rejected, and the value
 * at the path a schema issue names, for the quarantine line.
 */
import { reject } from './rejection.js';

/** one NDJSON line, or the record rejected as not JSON (the line's first 200 characters kept as its value) */
export function parseJsonLine(line: string): unknown {
  try {
    return JSON.parse(line);
  } catch {
    return reject('', 'not valid JSON', line.length > 200 ? `${line.slice(0, 200)}…` : line);
  }
}

/** the value at `path` in `json` (a zod issue's path), null when there is none */
export function valueAt(json: unknown, path: readonly PropertyKey[]): unknown {
  let v = json;
  for (const key of path) v = typeof v === 'object' && v !== null ? (v as Record<PropertyKey, unknown>)[key] : undefined;
  return v ?? null;
}
