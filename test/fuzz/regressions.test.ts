/** What the fuzzer found, each kept as a test of its own (the seed and shrunk case are in the commit that fixed it). */
import { describe, expect, it } from 'vitest';
import { READERS } from '../../lib/ingest/formats.js';
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
    const outcome = await checkCase({ name: 'fhir-json', reader: READERS['fhir-json'], file: 'b.json', bytes: Buffer.from(JSON.stringify(bundle)) }, Buffer.from(JSON.stringify(bundle)));
    expect(outcome).toMatchObject({ report: { read: 2, accepted: 1, quarantined: 1 } });
  });
});
