/**
 * What the resource mappers share while reading one file: the ingest environment, the person a reference points
 * to, the Patients of the same document (for Coverage), the file's weight history (for the pounds check) and the
 * ingest time (for readings dated in the future).
 *
 * Person ids are the Patient resource ids (`Patient/<id>` → `<id>`, also inside an absolute URL). In a Bundle, a
 * reference may be a fullUrl (`urn:uuid:...`): it resolves to that entry's Patient, whose person id is its `id`, or
 * the uuid itself when the entry has no id (transaction bundles often omit it).
 */
import { text } from '../fields.js';
import type { MapperEnv } from '../mapper.js';
import { PoundsLabelledKg } from '../pounds-as-kg.js';
import { reject } from '../rejection.js';

const PATIENT_REF = /(?:^|\/)Patient\/([A-Za-z0-9\-.]{1,64})(?:\/_history\/[^/]+)?$/;

/** person id of a Patient that arrived under `fullUrl` (bundle entry) with resource id `id` */
export function patientId(id: unknown, fullUrl: unknown): string | undefined {
  // called on entries not yet validated: an id that is not a string is no id (the Patient's own mapping rejects it)
  const trimmed = typeof id === 'string' ? (text(id) ?? undefined) : undefined; // the one rule for person ids (fields.ts personIdOf)
  return trimmed ?? (typeof fullUrl === 'string' && fullUrl.startsWith('urn:uuid:') ? fullUrl.slice('urn:uuid:'.length) : undefined);
}

export interface DocumentPatient {
  readonly personId: string;
  /** the Patient resource as sent */
  readonly json: unknown;
}

/** The Patients of one document (a Bundle), by the references that may name them, and who has Coverage there. */
export class DocumentPatients {
  readonly #byRef = new Map<string, DocumentPatient>();
  readonly #covered = new Set<string>();

  add(patient: DocumentPatient, fullUrl: string | undefined): void {
    if (fullUrl !== undefined) this.#byRef.set(fullUrl, patient);
    this.#byRef.set(`Patient/${patient.personId}`, patient);
  }

  /** the Patient a reference names: a fullUrl, or `Patient/<id>` (also at the end of an absolute URL) */
  get(ref: string | undefined): DocumentPatient | undefined {
    if (ref === undefined) return undefined;
    const id = PATIENT_REF.exec(ref)?.[1];
    return this.#byRef.get(ref) ?? (id !== undefined ? this.#byRef.get(`Patient/${id}`) : undefined);
  }

  /** the beneficiary of a Coverage that makes members spans */
  cover(ref: string | undefined): void {
    const p = this.get(ref);
    if (p !== undefined) this.#covered.add(p.personId);
  }

  covered(personId: string): boolean {
    return this.#covered.has(personId);
  }
}

export class ResourceContext {
  readonly pounds = new PoundsLabelledKg();
  readonly now = Date.now();

  /** @param patients the Patients of the document being read (none for NDJSON) */
  constructor(
    readonly env: MapperEnv,
    readonly patients: DocumentPatients = new DocumentPatients(),
  ) {}

  /** the person a Patient reference names, who must be known (see known-persons.ts) */
  person(ref: { reference?: string | undefined } | undefined, field: string): string {
    const text = ref?.reference?.trim(); // padded as person ids are elsewhere: the one rule trims them
    if (text === undefined || text === '') return reject(field, 'missing reference', null);
    const id = this.patients.get(text)?.personId ?? PATIENT_REF.exec(text)?.[1];
    if (id === undefined) {
      return text.startsWith('urn:') ? reject(field, 'reference to no Patient of this bundle', text) : reject(field, 'not a Patient reference', text);
    }
    this.env.persons.require(id, field);
    return id;
  }

  /** `Device/<id>` → `<id>`; a fullUrl or other reference as written */
  deviceId(ref: { reference?: string | undefined } | undefined): string | null {
    const text = ref?.reference;
    if (text === undefined) return null;
    return text.startsWith('Device/') ? text.slice('Device/'.length) : text;
  }
}
