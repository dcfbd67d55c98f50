/**
 * FHIR files by content: a first line that is a whole JSON resource (has `resourceType`) is bulk NDJSON — unless it
 * is a Bundle, which is a document that happens to be on one line; a JSON document whose first line does not parse
 * (pretty-printed) is FHIR when its first `"resourceType"` key is found in the file's head.
 */
import type { InputFormat } from '../types.js';

const RESOURCE_TYPE = /"resourceType"\s*:\s*"([A-Za-z]+)"/;
const PATIENT = /"resourceType"\s*:\s*"Patient"/;

function firstLine(head: string): string {
  const text = head.startsWith('\uFEFF') ? head.slice(1) : head;
  const end = text.search(/\r?\n/);
  return (end < 0 ? text : text.slice(0, end)).trim();
}

/** 'fhir-ndjson' or 'fhir-json' when the head of a file (its first bytes) is FHIR, else undefined */
export function detectFhir(head: string): InputFormat | undefined {
  const line = firstLine(head);
  if (!line.startsWith('{')) return undefined;
  let json: unknown;
  try {
    json = JSON.parse(line);
  } catch {
    return RESOURCE_TYPE.test(head) ? 'fhir-json' : undefined;
  }
  const type = typeof json === 'object' && json !== null ? (json as { resourceType?: unknown }).resourceType : undefined;
  if (typeof type !== 'string') return undefined;
  return type === 'Bundle' ? 'fhir-json' : 'fhir-ndjson';
}

/** a FHIR file that holds Patients, ingested with eligibility before the files that name its persons */
export function holdsPatients(format: string, head: string): boolean {
  return (format === 'fhir-ndjson' || format === 'fhir-json') && PATIENT.test(head);
}
