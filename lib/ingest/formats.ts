/** The reader of each input format. */
import { fhirDocument, fhirNdjson } from './fhir/readers.js';
import type { FormatReader } from './mapper.js';
import { tuvaEligibility } from './tuva-eligibility.js';
import { tuvaMedicalClaim } from './tuva-medical-claim.js';
import { tuvaLabResult, tuvaObservation } from './tuva-observation.js';
import { tuvaPharmacyClaim } from './tuva-pharmacy-claim.js';
import type { InputFormat } from './types.js';

/** the formats a TypeScript reader reads; device NDJSON and vendor CSV are read by SQL (lib/ingest/sql/) */
export type TypeScriptFormat = Exclude<InputFormat, 'vendor-csv' | 'device-ndjson'>;

export const READERS: Readonly<Record<TypeScriptFormat, FormatReader>> = {
  'tuva-eligibility': tuvaEligibility,
  'tuva-medical-claim': tuvaMedicalClaim,
  'tuva-pharmacy-claim': tuvaPharmacyClaim,
  'tuva-observation': tuvaObservation,
  'tuva-lab-result': tuvaLabResult,
  'fhir-ndjson': fhirNdjson,
  'fhir-json': fhirDocument,
};
