/**
 * The real files the fuzzer mutates, one seed per reader: the head of each public sample (test/fixtures/samples/),
 * cut short so a case stays a few milliseconds. Device NDJSON has no public sample: its seed is the two readings of
 * the README's contract plus a blood-pressure panel. Vendor CSV is the invented hub export of test/ingest/fixtures.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { READERS, type SelfDescribingFormat } from '../../lib/ingest/formats.js';
import type { SqlFormat } from '../../lib/ingest/sql/format.js';
import { SQL_FORMATS } from '../../lib/ingest/sql/formats.js';
import type { FormatReader } from '../../lib/ingest/mapper.js';
import { vendorCsvReader } from '../../lib/ingest/vendor-csv.js';
import { parseMapping } from '../../lib/ingest/vendor-mapping.js';
import { SAMPLES_DIR } from '../samples.js';

export interface Seed {
  /** the reader's name in test titles and the fuzz report */
  readonly name: string;
  readonly reader: FormatReader | SqlFormat;
  /** the file name the source carries */
  readonly file: string;
  readonly bytes: Buffer;
}

const sample = (...path: string[]) => readFileSync(join(SAMPLES_DIR, ...path));

/** the first `lines` lines of a text file (header included) */
function head(bytes: Buffer, lines: number): Buffer {
  return Buffer.from(bytes.toString('utf8').split('\n').slice(0, lines).join('\n') + '\n');
}

const VENDOR = fileURLToPath(new URL('../ingest/fixtures/vendor/', import.meta.url));

const DEVICE = [
  { person_id: 'P0000123', device_id: 'BPM-77', measured_at: '2026-06-01T07:31:00-05:00', code: '85354-9', components: [{ code: '8480-6', value: 142, unit: 'mm[Hg]' }, { code: '8462-4', value: 88, unit: 'mm[Hg]' }] },
  { person_id: 'P0000123', device_id: 'SCALE-9', measured_at: '2026-06-01T07:35:00-05:00', code: '29463-7', value: 181.2, unit: '[lb_av]' },
  { person_id: 'P0000124', device_id: 'GLU-3', measured_at: '2026-06-02T06:10:00Z', code: '41653-7', value: 6.4, unit: 'mmol/L' },
  { person_id: 'P0000124', device_id: 'OX-1', measured_at: '2026-06-02T06:12:00+01:00', code: '59408-5', value: 93, unit: '%' },
];

/** the format's reader: its SQL (lib/ingest/sql/formats.ts) or its TypeScript reader */
export function readerOf(format: SelfDescribingFormat): FormatReader | SqlFormat {
  const reader = SQL_FORMATS[format] ?? READERS[format];
  if (reader === undefined) throw new Error(`no reader for ${format}`);
  return reader;
}

export function seeds(): Seed[] {
  const tuva = (name: string, format: SelfDescribingFormat, file: string, lines: number): Seed => ({
    name,
    reader: readerOf(format),
    file,
    bytes: head(sample('tuva_synthetic', file), lines),
  });
  return [
    tuva('tuva-eligibility', 'tuva-eligibility', 'eligibility_seed.csv', 32),
    tuva('tuva-medical-claim', 'tuva-medical-claim', 'medical_claim_seed.csv', 30),
    tuva('tuva-pharmacy-claim', 'tuva-pharmacy-claim', 'pharmacy_claim_seed.csv', 30),
    tuva('tuva-observation', 'tuva-observation', 'observation_seed.csv', 30),
    tuva('tuva-lab-result', 'tuva-lab-result', 'lab_result_seed.csv', 30),
    { name: 'device-ndjson', reader: readerOf('device-ndjson'), file: 'readings.ndjson', bytes: Buffer.from(DEVICE.map((d) => JSON.stringify(d)).join('\n') + '\n') },
    {
      name: 'vendor-csv',
      reader: vendorCsvReader(parseMapping('hub-long.mapping.json', JSON.parse(readFileSync(join(VENDOR, 'hub-long.mapping.json'), 'utf8')))),
      file: 'hub-long.csv',
      bytes: head(readFileSync(join(VENDOR, 'hub-long.csv')), 30),
    },
    {
      name: 'fhir-ndjson',
      reader: readerOf('fhir-ndjson'),
      file: 'bulk.ndjson',
      // Patients, Conditions and Encounters of the SMART bulk export: one of each reader path
      bytes: Buffer.concat([head(sample('smart_bulk_fhir_10', 'Patient.000.ndjson'), 3), head(sample('smart_bulk_fhir_10', 'Condition.000.ndjson'), 4), head(sample('smart_bulk_fhir_10', 'Encounter.000.ndjson'), 4)]),
    },
    { name: 'fhir-json (EOB Bundle)', reader: readerOf('fhir-json'), file: 'eob.json', bytes: sample('cms_bfd_fhir_eob', 'eobReadCarrier.json') },
    { name: 'fhir-json (PHD Bundle)', reader: readerOf('fhir-json'), file: 'phd.json', bytes: sample('hl7_phd_examples', 'bundle-example-1.json') },
  ];
}
