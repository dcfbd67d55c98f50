/** The reader of each input format. */
import { deviceNdjson } from './device-ndjson.js';
import type { FormatReader } from './mapper.js';
import { tuvaEligibility } from './tuva-eligibility.js';
import { tuvaMedicalClaim } from './tuva-medical-claim.js';
import { tuvaLabResult, tuvaObservation } from './tuva-observation.js';
import { tuvaPharmacyClaim } from './tuva-pharmacy-claim.js';
import type { InputFormat } from './types.js';

export const READERS: Readonly<Record<InputFormat, FormatReader>> = {
  'tuva-eligibility': tuvaEligibility,
  'tuva-medical-claim': tuvaMedicalClaim,
  'tuva-pharmacy-claim': tuvaPharmacyClaim,
  'tuva-observation': tuvaObservation,
  'tuva-lab-result': tuvaLabResult,
  'device-ndjson': deviceNdjson,
};
