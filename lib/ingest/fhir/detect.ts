/**
 * FHIR files by content: a first line that is a whole JSON resource (has `resourceType`) is bulk NDJSON — unless it
 * is a Bundle, which is a document that happens to be on one line; a JSON document whose first line does not parse
 * (pretty-printed) is FHIR when its first `"resourceType"` key is found in the file's head. A first line longer than
 * the head (64 KiB: a bulk export of large resources, a minified Bundle) cannot be parsed from it; when it starts
 * `{"resourceType":"X"`, as servers write resources, X decides: a Bundle is a document, anything else NDJSON.
 */
import { firstLine, firstLineCut } from '../head.js';
import type { InputFormat } from '../types.js';

const RESOURCE_TYPE = /"resourceType"\s*:\s*"([A-Za-z]+)"/;
const LEADING_RESOURCE_TYPE = /^\{\s*"resourceType"\s*:\s*"([A-Za-z]+)"/;
const PATIENT = /"resourceType"\s*:\s*"Patient"/;

/** 'fhir-ndjson' or 'fhir-json' when the head of a file (its first bytes) is FHIR, else undefined */
export function detectFhir(head: string): InputFormat | undefined {
  const line = firstLine(head);
  if (!line.startsWith('{')) return undefined;
  let json: unknown;
  try {
    json = JSON.parse(line);
  } catch {
    const leading = firstLineCut(head) ? LEADING_RESOURCE_TYPE.exec(line) : null;
    if (leading !== null) return leading[1] === 'Bundle' ? 'fhir-json' : 'fhir-ndjson';
    return RESOURCE_TYPE.test(head) ? 'fhir-json' : undefined;
  }
  const type = typeof json === 'object' && json !== null ? (json as { resourceType?: unknown }).resourceType : undefined;
  if (typeof type !== 'string') return undefined;
  return type === 'Bundle' ? 'fhir-json' : 'fhir-ndjson';
}

/**
 * a FHIR file that holds Patients, ingested with eligibility before the files that name its persons. It looks only
 * at the head (64 KiB): a Patient first seen further into a file (a Bundle whose Patient entry comes after 64 KiB of
 * other entries, NDJSON whose Patients follow other resources) does not move the file forward, and the files read
 * before it find its persons unknown.
 */
export function holdsPatients(format: string, head: string): boolean {
  return (format === 'fhir-ndjson' || format === 'fhir-json') && PATIENT.test(head);
}
