/** What the fuzzer found, each kept as a test of its own (the seed and shrunk case are in the commit that fixed it). */
import { describe, expect, it } from 'vitest';
import type { SelfDescribingFormat } from '../../lib/ingest/formats.js';
import { readerOf } from './seeds.js';
import { checkCase } from './check.js';

describe('fuzzer findings', () => {
  it('a Bundle whose Patient id is not a string: the entry is quarantined, the file is read (was a TypeError stopping the file)', async () => {
    // found with seed 637366262 on hl7_phd_examples/bundle-example-1.json (Patient.id replaced by {}); the crash came
    // with this branch's own person-id trim (fhir/context.ts patientId), and was fixed before it reached main
    const bundle = {
      resourceType: 'Bundle',
      type: 'collection',
      entry: [
        { fullUrl: 'urn:uuid:1', resource: { resourceType: 'Patient', id: {}, birthDate: '1950-01-01' } },
        { fullUrl: 'urn:uuid:2', resource: { resourceType: 'Patient', id: 'p2', birthDate: '1950-01-01' } },
      ],
    };
    const outcome = await checkCase({ name: 'fhir-json', reader: readerOf('fhir-json'), file: 'b.json', bytes: Buffer.from(JSON.stringify(bundle)) }, Buffer.from(JSON.stringify(bundle)));
    expect(outcome).toMatchObject({ report: { read: 2, accepted: 1, quarantined: 1 } });
  });
});

describe('fuzzer findings: byte-order marks and malformed quotes', () => {
  const seed = (format: SelfDescribingFormat, file: string, text: string) => ({ name: format, reader: readerOf(format), file, bytes: Buffer.from(text) });
  const BOM = '\uFEFF';

  it('reads a FHIR Bundle that starts with a byte-order mark (was "not a JSON document: Unexpected token")', async () => {
    const bundle = { resourceType: 'Bundle', type: 'collection', entry: [{ resource: { resourceType: 'Patient', id: 'p1', birthDate: '1950-01-01' } }] };
    const s = seed('fhir-json', 'b.json', BOM + JSON.stringify(bundle, null, 2));
    expect(await checkCase(s, s.bytes)).toMatchObject({ report: { read: 1, accepted: 1 } });
  });

  it('reads the first line of device NDJSON after a byte-order mark (was quarantined as not valid JSON)', async () => {
    const reading = { person_id: 'P1', measured_at: '2025-06-01T07:00:00Z', code: '8867-4', value: 70, unit: '/min' };
    const s = seed('device-ndjson', 'r.ndjson', BOM + JSON.stringify(reading) + '\n');
    expect(await checkCase(s, s.bytes)).toMatchObject({ report: { read: 1, accepted: 1, quarantined: 0 } });
  });

  it('quarantines the one CSV record with text after a closing quote and reads the rest (the whole file used to stop)', async () => {
    // `"P2"x"`: a quote inside a quoted field, not doubled; the parser closes the field at the last quote and reads on
    // (`"P2"x,` with no later quote is unterminated instead, which still stops the file: nothing after it lines up)
    const csv = 'person_id,birth_date,enrollment_start_date,enrollment_end_date\nP1,1950-01-01,2024-01-01,2025-12-31\n"P2"x",1950-01-01,2024-01-01,2025-12-31\nP3,1950-01-01,2024-01-01,2025-12-31\n';
    const s = seed('tuva-eligibility', 'e.csv', csv);
    const outcome = await checkCase(s, s.bytes);
    expect(outcome).toMatchObject({ report: { read: 3, accepted: 2, quarantined: 1, reasons: { 'malformed quotes: trailing quote on quoted field is malformed': 1 } } });
  });
});
