/**
 * The HL7 Personal Health Device IG examples (test/fixtures/samples/hl7_phd_examples): every file is either ingested
 * or skipped/rejected with a reason, the outcome of each worked out by reading the file (codes, values, subjects).
 */
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ingest, sourcesFromPaths, type IngestReport } from '../../../lib/pipeline/ingest.js';
import { SAMPLES_DIR } from '../../samples.js';
import { testContext, type TestContext } from '../helpers.js';

const DIR = join(SAMPLES_DIR, 'hl7_phd_examples');
const NOT_MONITORED = { 'not a monitored measure': 1 };
const DEVICE = { 'Device resources are not read': 1 };

/** file → [read, accepted, quarantined, skipped, reasons (quarantine or skip)] */
const OUTCOMES: Record<string, [number, number, number, number, Record<string, number>]> = {
  'bits-observation.json': [1, 0, 0, 1, NOT_MONITORED], // MDC 150604 device status bits
  'bp-devicemetric-example.json': [1, 0, 0, 1, { 'DeviceMetric resources are not read': 1 }],
  'bpm-status.json': [1, 0, 0, 1, NOT_MONITORED], // MDC 8410608 BP monitor status
  // 12 SpO2 (2708-6) + 12 pulse (8867-4) stored; 12 perfusion index 150320 (one NaN), 10 status 150604, 1 67996
  'bundle-continuousnonin.json': [47, 24, 0, 23, { 'not a monitored measure': 23 }],
  // Patient without birthDate; 2 Devices; the coincident time stamp 67975; SpO2 98 and pulse 47 of urn:uuid patient
  'bundle-example-1.json': [6, 2, 1, 3, { 'missing birthDate (a member needs one)': 1, 'Device resources are not read': 2, 'not a monitored measure': 1 }],
  'coin-20181119174911.json': [1, 0, 0, 1, NOT_MONITORED], // MDC 67975 coincident time stamp
  'coin-20181119202022.json': [1, 0, 0, 1, NOT_MONITORED],
  'coin-example-1.json': [1, 0, 0, 1, NOT_MONITORED],
  'coin-example-timefault.json': [1, 0, 0, 1, NOT_MONITORED], // a time fault of the clock, not a reading
  'compound-numeric-blood-pressure-no-mean.json': [1, 1, 0, 0, {}], // 116/71; the NaN mean 150023 is not stored
  'compound-numeric-blood-pressure.json': [1, 1, 0, 0, {}], // 116/71 (mean 86 not stored)
  'compound-observation-glucose.json': [1, 1, 0, 0, {}], // component MDC 160184, 6.3 mmol/L
  'glucose-observation.json': [1, 1, 0, 0, {}], // MDC 160368 only, 99 mg/dL
  'meal-context-observation.json': [1, 0, 0, 1, NOT_MONITORED],
  'numeric-observation-not-a-number.json': [1, 0, 0, 1, NOT_MONITORED], // NaN perfusion index 150320
  'numeric-spo2-alarm.json': [1, 1, 0, 0, {}], // SpO2 79 %
  'numeric-spotnumeric.json': [1, 1, 0, 0, {}], // pulse 48 (unit display typo `{beat}/min}`, code `/min`)
  'patientExample-1.json': [1, 0, 1, 0, { 'missing birthDate (a member needs one)': 1 }],
  'patientExample-2.json': [1, 0, 1, 0, { 'missing birthDate (a member needs one)': 1 }],
  'phd-00601900010E9234.F45EABA80832.json': [1, 0, 0, 1, DEVICE],
  'phd-711000FEFF5F49B0.B0495F001071.json': [1, 0, 0, 1, DEVICE],
  'phd-74E8FFFEFF051C00.001C05FFE874.json': [1, 0, 0, 1, DEVICE],
  'phg-ecde3d4e58532d31.000000000000.json': [1, 0, 0, 1, DEVICE],
  'phg-example.json': [1, 0, 0, 1, DEVICE],
  'rtsa-example-2.json': [1, 0, 0, 1, NOT_MONITORED], // sampled ECG waveform
  'rtsa-example.json': [1, 0, 0, 1, NOT_MONITORED], // sampled pleth waveform
  'string-observation-1.json': [1, 0, 0, 1, NOT_MONITORED],
  'stringenum-1234.json': [1, 0, 0, 1, NOT_MONITORED],
  'temperature-observation.json': [1, 0, 0, 1, NOT_MONITORED], // 8310-5: no feature uses temperature
};

describe('ingest: HL7 PHD examples', () => {
  let ctx: TestContext;
  let reports: IngestReport[];

  beforeAll(async () => {
    ctx = await testContext();
    const files = (await readdir(DIR)).filter((f) => f.endsWith('.json')).sort();
    reports = await ingest(ctx, await sourcesFromPaths(files.map((f) => join(DIR, f))));
  });
  afterAll(() => ctx.dispose());

  it('reads every JSON file as FHIR and accounts for each with the outcome worked out by hand', () => {
    expect(reports.map((r) => r.file.split('/').pop()).sort()).toEqual(Object.keys(OUTCOMES).sort());
    for (const r of reports) {
      const [read, accepted, quarantined, skipped, reasons] = OUTCOMES[r.file.split('/').pop()!]!;
      expect({ file: r.file, format: r.format, read: r.read, accepted: r.accepted, quarantined: r.quarantined, skipped: r.skippedRecords })
        .toEqual({ file: r.file, format: 'fhir-json', read, accepted, quarantined, skipped });
      expect({ ...r.reasons, ...r.skipReasons }).toEqual(reasons);
      expect(r.read).toBe(r.accepted + r.quarantined + r.skippedRecords);
    }
  });

  it('stores a BP panel as systolic and diastolic in mm[Hg] at the UTC instant', async () => {
    const rows = await ctx.engine.query(
      `SELECT loinc_code, value, unit, source FROM observations WHERE loinc_code IN ('8480-6', '8462-4') AND observed_at = TIMESTAMP '2018-11-11 16:38:15' ORDER BY loinc_code, value`,
    );
    // 2018-11-11T11:38:15-05:00, delivered twice (the panel with and without its mean, same person, device and
    // instant): one reading per code, the later delivery's
    expect(rows).toEqual([
      { loinc_code: '8462-4', value: 71, unit: 'mm[Hg]', source: 'device' },
      { loinc_code: '8480-6', value: 116, unit: 'mm[Hg]', source: 'device' },
    ]);
    const versions = await ctx.engine.query(
      `SELECT count(*) AS n FROM observations_versions WHERE loinc_code IN ('8480-6', '8462-4') AND observed_at = TIMESTAMP '2018-11-11 16:38:15'`,
    );
    expect(versions).toEqual([{ n: 4 }]);
  });

  it('maps MDC-only glucose to 41653-7 and converts mmol/L to mg/dL', async () => {
    const rows = await ctx.engine.query<{ value: number; observed_at: number }>(`SELECT value, observed_at FROM observations WHERE loinc_code = '41653-7' ORDER BY observed_at`);
    expect(rows).toHaveLength(2);
    expect(rows[0]!.value).toBeCloseTo(113.5008, 6); // 6.3 mmol/L × 18.016
    expect(rows[1]).toEqual({ value: 99, observed_at: Date.UTC(2025, 0, 9, 0, 7, 48) }); // 2025-01-08T19:07:48-05:00
  });

  it('resolves a urn:uuid subject to the bundle Patient and keeps the device', async () => {
    const rows = await ctx.engine.query(`SELECT person_id, loinc_code, value FROM observations WHERE person_id <> 'patientExample-1' ORDER BY loinc_code`);
    expect(rows).toEqual([
      { person_id: 'patient-001', loinc_code: '2708-6', value: 98 },
      { person_id: 'patient-001', loinc_code: '8867-4', value: 47 },
    ]);
  });
});
