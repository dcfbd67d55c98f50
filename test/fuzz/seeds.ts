/**
 * The real files the fuzzer mutates, one seed per reader: the head of each public sample (test/fixtures/samples/),
 * cut short so a case stays a few milliseconds. Device NDJSON has no public sample: its seed is the two readings of
 * the README's contract plus a blood-pressure panel. Vendor CSV is the invented hub export of test/ingest/fixtures.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { READERS } from '../../lib/ingest/formats.js';
import type { FormatReader } from '../../lib/ingest/mapper.js';
import { SAMPLES_DIR } from '../samples.js';

export interface Seed {
  /** the reader's name in test titles and the fuzz report */
  readonly name: string;
  readonly reader: FormatReader;
  /** the file name the source carries */
  readonly file: string;
  readonly bytes: Buffer;
}

const sample = (...path: string[]) => readFileSync(join(SAMPLES_DIR, ...path));

/** the first `lines` lines of a text file (header included) */
function head(bytes: Buffer, lines: number): Buffer {
  return Buffer.from(bytes.toString('utf8').split('\n').slice(0, lines).join('\n') + '\n');
}



export function seeds(): Seed[] {
  const tuva = (name: string, format: keyof typeof READERS, file: string, lines: number): Seed => ({
    name,
    reader: READERS[format],
    file,
    bytes: head(sample('tuva_synthetic', file), lines),
  });
  return [
    tuva('tuva-eligibility', 'tuva-eligibility', 'eligibility_seed.csv', 32),
    tuva('tuva-medical-claim', 'tuva-medical-claim', 'medical_claim_seed.csv', 30),
    tuva('tuva-pharmacy-claim', 'tuva-pharmacy-claim', 'pharmacy_claim_seed.csv', 30),
    tuva('tuva-observation', 'tuva-observation', 'observation_seed.csv', 30),
    tuva('tuva-lab-result', 'tuva-lab-result', 'lab_result_seed.csv', 30),
    {
      name: 'fhir-ndjson',
      reader: READERS['fhir-ndjson'],
      file: 'bulk.ndjson',
      // Patients, Conditions and Encounters of the SMART bulk export: one of each reader path
      bytes: Buffer.concat([head(sample('smart_bulk_fhir_10', 'Patient.000.ndjson'), 3), head(sample('smart_bulk_fhir_10', 'Condition.000.ndjson'), 4), head(sample('smart_bulk_fhir_10', 'Encounter.000.ndjson'), 4)]),
    },
    { name: 'fhir-json (EOB Bundle)', reader: READERS['fhir-json'], file: 'eob.json', bytes: sample('cms_bfd_fhir_eob', 'eobReadCarrier.json') },
    { name: 'fhir-json (PHD Bundle)', reader: READERS['fhir-json'], file: 'phd.json', bytes: sample('hl7_phd_examples', 'bundle-example-1.json') },
  ];
}
