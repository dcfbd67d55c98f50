/**
 * The two FHIR file shapes, one record per resource so quarantine names the line or entry:
 *   fhir-ndjson: bulk export (`$export`) NDJSON, one resource a line (record = line number);
 *   fhir-json:   one JSON document, a Bundle (record = 1-based entry number) or a single resource (record 1).
 * A Bundle is read whole (Bundles are messages and search pages, not bulk data: bulk data comes as NDJSON). Its
 * Patient and Coverage entries are mapped first, so the persons they add are known to the other entries whatever
 * the order of the Bundle.
 */
import { CURATED_TABLES } from '../../tables/index.js';
import { parseJsonLine } from '../json.js';
import type { DocumentReader, NdjsonReader } from '../mapper.js';
import { reject } from '../rejection.js';
import { DocumentPatients, patientId, ResourceContext } from './context.js';
import { makesSpan } from './coverage.js';
import { mapResource, resourceType } from './resources.js';

export const fhirNdjson: NdjsonReader = {
  kind: 'ndjson',
  format: 'fhir-ndjson',
  tables: CURATED_TABLES,
  bind(env) {
    const ctx = new ResourceContext(env);
    return (line) => {
      const json = parseJsonLine(line);
      if (resourceType(json) === 'Bundle') return { skip: 'Bundle inside NDJSON (send it as its own file)' };
      return mapResource(json, undefined, ctx);
    };
  },
};

interface Entry {
  readonly fullUrl?: string;
  readonly resource?: unknown;
}

function entriesOf(doc: unknown): readonly Entry[] {
  if (resourceType(doc) !== 'Bundle') return [{ resource: doc }];
  const entries = (doc as { entry?: unknown }).entry ?? [];
  if (!Array.isArray(entries)) throw new Error('Bundle.entry is not an array');
  return entries.map((e: unknown) => (typeof e === 'object' && e !== null ? (e as Entry) : {}));
}

function documentPatients(entries: readonly Entry[]): DocumentPatients {
  const patients = new DocumentPatients();
  for (const e of entries) {
    const personId = resourceType(e.resource) === 'Patient' ? patientId((e.resource as { id?: string }).id, e.fullUrl) : undefined;
    if (personId !== undefined) patients.add({ personId, json: e.resource }, e.fullUrl);
  }
  for (const e of entries) {
    if (resourceType(e.resource) === 'Coverage' && makesSpan(e.resource)) patients.cover((e.resource as { beneficiary?: { reference?: string } }).beneficiary?.reference);
  }
  return patients;
}

/** Patients, then Coverages, then the rest, each in Bundle order */
const ORDER: Readonly<Record<string, number>> = { Patient: 0, Coverage: 1 };

export const fhirDocument: DocumentReader = {
  kind: 'document',
  format: 'fhir-json',
  tables: CURATED_TABLES,
  bind(env) {
    return (text) => {
      let doc: unknown;
      try {
        doc = JSON.parse(text);
      } catch (e) {
        throw new Error(`not a JSON document: ${(e as Error).message}`, { cause: e });
      }
      const entries = entriesOf(doc);
      const ctx = new ResourceContext(env, documentPatients(entries));
      const records = entries.map((e, i) => ({
        record: i + 1,
        rank: ORDER[resourceType(e.resource) ?? ''] ?? 2,
        map: () => mapResource(e.resource ?? reject('resource', 'bundle entry without a resource', null), e.fullUrl, ctx),
        raw: () => JSON.stringify(e),
      }));
      return records.sort((a, b) => a.rank - b.rank || a.record - b.record);
    };
  },
};
