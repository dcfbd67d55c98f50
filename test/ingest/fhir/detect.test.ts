/** FHIR files are recognised by content, whatever their name; device NDJSON and CSV are not taken for FHIR. */
import { describe, expect, it } from 'vitest';
import { detectFormat } from '../../../lib/ingest/detect.js';
import { holdsPatients } from '../../../lib/ingest/fhir/detect.js';
import { ingest } from '../../../lib/pipeline/ingest.js';
import { testContext, textSource } from '../helpers.js';

const PATIENT_LINE = '{"resourceType":"Patient","id":"p1","birthDate":"1950-02-03"}';

describe('detect: FHIR', () => {
  it('takes a line that is a whole resource for bulk NDJSON, whatever the file is called', () => {
    expect(detectFormat('landing/Patient.000.ndjson', `${PATIENT_LINE}\n${PATIENT_LINE}\n`)).toEqual({ format: 'fhir-ndjson' });
    expect(detectFormat('landing/export.txt', `${PATIENT_LINE}\n`)).toEqual({ format: 'fhir-ndjson' });
  });

  it('takes a Bundle on one line, or a pretty-printed resource, for a JSON document', () => {
    expect(detectFormat('landing/b.ndjson', '{"resourceType":"Bundle","type":"searchset","entry":[]}')).toEqual({ format: 'fhir-json' });
    expect(detectFormat('landing/obs.json', '{\n\t"resourceType": "Observation",\n\t"id": "x"\n}\n')).toEqual({ format: 'fhir-json' });
  });

  it('leaves device readings and CSV headers to their own readers', () => {
    const reading = '{"person_id":"P1","measured_at":"2025-06-01T07:35:00-05:00","code":"29463-7","value":81.2,"unit":"kg"}';
    expect(detectFormat('landing/devices.ndjson', `${reading}\n`)).toEqual({ format: 'device-ndjson' });
    expect(detectFormat('landing/x.json', '{\n  "person_id": "P1"\n}')).toMatchObject({ format: 'unknown' });
  });

  it('puts files holding Patients with eligibility, first', () => {
    expect(holdsPatients('fhir-ndjson', PATIENT_LINE)).toBe(true);
    expect(holdsPatients('fhir-ndjson', '{"resourceType":"Condition","id":"c1"}')).toBe(false);
    expect(holdsPatients('device-ndjson', '{"note":"\\"resourceType\\":\\"Patient\\""}')).toBe(false);
  });

  it('reads bulk NDJSON whose first line is longer than the 64 KiB head as NDJSON, a long one-line Bundle as a document', async () => {
    // a Patient with a 70 KB narrative: the head holds no whole line to parse
    const long = JSON.stringify({ resourceType: 'Patient', id: 'p1', birthDate: '1950-02-03', text: { status: 'generated', div: 'x'.repeat(70_000) } });
    const file = `${long}\n${JSON.stringify({ resourceType: 'Patient', id: 'p2', birthDate: '1960-01-01' })}\n`;
    expect(long.length).toBeGreaterThan(64 * 1024);
    expect(detectFormat('landing/Patient.ndjson', file.slice(0, 64 * 1024))).toEqual({ format: 'fhir-ndjson' });
    const bundle = JSON.stringify({ resourceType: 'Bundle', type: 'collection', entry: [{ resource: JSON.parse(long) }] });
    expect(detectFormat('landing/b.json', bundle.slice(0, 64 * 1024))).toEqual({ format: 'fhir-json' });

    const ctx = await testContext();
    try {
      const [report] = await ingest(ctx, [textSource('landing/Patient.ndjson', file)]);
      expect(report).toMatchObject({ format: 'fhir-ndjson', read: 2, accepted: 2, quarantined: 0 });
    } finally {
      await ctx.dispose();
    }
  });
});
