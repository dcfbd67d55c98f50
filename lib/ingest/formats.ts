/** The TypeScript reader of each input format that is not ingested by SQL (lib/ingest/sql/formats.ts). */
import { fhirDocument, fhirNdjson } from './fhir/readers.js';
import type { FormatReader } from './mapper.js';
import { tuvaLabResult, tuvaObservation } from './tuva-observation.js';
import type { InputFormat } from './types.js';

/** the formats a file says by itself; a vendor CSV is read through the mapping it comes with (sql/vendor-csv.ts) */
export type SelfDescribingFormat = Exclude<InputFormat, 'vendor-csv'>;

export const READERS: Readonly<Partial<Record<SelfDescribingFormat, FormatReader>>> = {
  'tuva-observation': tuvaObservation,
  'tuva-lab-result': tuvaLabResult,
  'fhir-ndjson': fhirNdjson,
  'fhir-json': fhirDocument,
};
