/** The reader of each input format. */
import { deviceNdjson } from './device-ndjson.js';
import { fhirDocument, fhirNdjson } from './fhir/readers.js';
import type { FormatReader } from './mapper.js';
import { tuvaEligibility } from './tuva-eligibility.js';
import { tuvaMedicalClaim } from './tuva-medical-claim.js';
import { tuvaLabResult, tuvaObservation } from './tuva-observation.js';
import { tuvaPharmacyClaim } from './tuva-pharmacy-claim.js';
import type { InputFormat } from './types.js';

/** the formats a file says by itself; a vendor CSV is read through the mapping it comes with (vendor-csv.ts) */
export type SelfDescribingFormat = Exclude<InputFormat, 'vendor-csv'>;

export const READERS: Readonly<Record<SelfDescribingFormat, FormatReader>> = {
  'tuva-eligibility': tuvaEligibility,
  'tuva-medical-claim': tuvaMedicalClaim,
  'tuva-pharmacy-claim': tuvaPharmacyClaim,
  'tuva-observation': tuvaObservation,
  'tuva-lab-result': tuvaLabResult,
  'device-ndjson': deviceNdjson,
  'fhir-ndjson': fhirNdjson,
  'fhir-json': fhirDocument,
};
