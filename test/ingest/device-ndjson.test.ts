/** Device NDJSON: panels split into components, units converted to the canonical ones, instants to UTC. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Readable } from 'node:stream';
import { ingest, type IngestReport } from '../../lib/pipeline/ingest.js';
import { quarantineLines, testContext, textSource, type TestContext } from './helpers.js';

const READINGS = [
  { person_id: 'P1', device_id: 'BPM-77', measured_at: '2025-06-01T07:31:00-05:00', code: '85354-9',
    components: [{ code: '8480-6', value: 142, unit: 'mm[Hg]' }, { code: '8462-4', value: 88, unit: 'mm[Hg]' }, { code: '8478-0', value: 106, unit: 'mm[Hg]' }] },
  { person_id: 'P1', device_id: 'SCALE-9', measured_at: '2025-06-01T07:35:00-05:00', code: '29463-7', value: 180, unit: '[lb_av]' },
  { person_id: 'P1', device_id: 'GLU-3', measured_at: '2025-06-01T12:00:00Z', code: '41653-7', value: 7.2, unit: 'mmol/L' },
  { person_id: 'P1', device_id: 'OX-1', measured_at: '2025-06-01T12:05:00+02:00', code: '59408-5', value: 94, unit: '%' },
  { person_id: 'P1', device_id: 'STEP-1', measured_at: '2025-06-01T12:05:00Z', code: '41950-7', value: 5000, unit: '/d' },
];

describe('ingest: device NDJSON', () => {
  let ctx: TestContext;
  let report: IngestReport;

  beforeAll(async () => {
    ctx = await testContext();
    const text = READINGS.map((r) => JSON.stringify(r)).join('\n') + '\n\n';
    [report] = (await ingest(ctx, [textSource('landing/devices/2025-06-01.ndjson', text)])) as [IngestReport];
  });
  afterAll(() => ctx.dispose());

  it('accounts for every line; a device-only delivery into an empty store is accepted and says so', () => {
    expect(report).toMatchObject({ format: 'device-ndjson', read: 5, accepted: 4, quarantined: 0, skippedRecords: 1, rows: { observations: 5 } });
    expect(report.skipReasons).toEqual({ 'not a monitored measure': 1 });
    expect(report.notes.join(' ')).toMatch(/person ids not checked/);
  });

  it('splits the BP panel into systolic and diastolic rows (mean arterial pressure is not stored)', async () => {
    const rows = await ctx.engine.query(`SELECT loinc_code, value, unit, device_id, observed_at FROM observations WHERE device_id = 'BPM-77' ORDER BY loinc_code`);
    const at = Date.UTC(2025, 5, 1, 12, 31);
    expect(rows).toEqual([
      { loinc_code: '8462-4', value: 88, unit: 'mm[Hg]', device_id: 'BPM-77', observed_at: at },
      { loinc_code: '8480-6', value: 142, unit: 'mm[Hg]', device_id: 'BPM-77', observed_at: at },
    ]);
  });

  it('converts pounds to kg and mmol/L to mg/dL', async () => {
    const rows = await ctx.engine.query(`SELECT loinc_code, value, unit FROM observations WHERE loinc_code IN ('29463-7', '41653-7') ORDER BY loinc_code`);
    expect(rows[0]).toMatchObject({ loinc_code: '29463-7', unit: 'kg' });
    expect(rows[0]!.value).toBeCloseTo(81.6466266, 6); // 180 × 0.45359237
    expect(rows[1]).toMatchObject({ loinc_code: '41653-7', unit: 'mg/dL' });
    expect(rows[1]!.value).toBeCloseTo(129.7152, 6); // 7.2 × 18.016
  });

  it('keeps the source and the UTC instant of an offset time', async () => {
    const [row] = await ctx.engine.query(`SELECT source, value, observed_at FROM observations WHERE loinc_code = '59408-5'`);
    expect(row).toEqual({ source: 'device', value: 94, observed_at: Date.UTC(2025, 5, 1, 10, 5) });
  });

  it('quarantines a reading dated more than a day ahead of ingest (a device clock fault), as FHIR readings are', async () => {
    const soon = new Date(Date.now() + 3600_000).toISOString(); // an hour ahead: inside the day of tolerance
    const lines = [
      { person_id: 'P2', measured_at: '2999-01-01T00:00:00Z', code: '8867-4', value: 70, unit: '/min' },
      { person_id: 'P2', measured_at: soon, code: '8867-4', value: 71, unit: '/min' },
    ];
    const [future] = await ingest(ctx, [textSource('landing/devices/clock.ndjson', lines.map((l) => JSON.stringify(l)).join('\n'))]);
    expect(future).toMatchObject({ read: 2, accepted: 1, quarantined: 1, reasons: { 'time in the future (device clock fault?)': 1 } });
    const q = (await quarantineLines(ctx)).find((l) => l.file === 'landing/devices/clock.ndjson');
    expect(q).toMatchObject({ record: 1, field: 'measured_at', value: '2999-01-01T00:00:00Z' });
  });

  it('reads the first line after a byte-order mark, and quarantines a line per rule as the TypeScript reader did', async () => {
    const ok = { person_id: 'P3', device_id: 'D1', measured_at: '2025-06-01T07:31:00-05:00', code: '8867-4', value: 70, unit: '/min' };
    const lines = [
      '\uFEFF' + JSON.stringify(ok), // 1: accepted
      JSON.stringify({ ...ok, person_id: 7 }), // 2
      JSON.stringify({ ...ok, device_id: null }), // 3
      JSON.stringify({ ...ok, measured_at: '2025-06-01 07:31' }), // 4
      JSON.stringify({ ...ok, value: undefined }), // 5
      JSON.stringify({ ...ok, code: '85354-9', value: undefined, unit: undefined, components: [{ code: '8480-6', value: '142', unit: 'mm[Hg]' }] }), // 6
      JSON.stringify({ ...ok, code: '85354-9', value: undefined, unit: undefined, components: [] }), // 7: skipped
      '{"person_id": "P3", broken', // 8
      '', // 9: blank, not a record
      JSON.stringify([1, 2]), // 10
      JSON.stringify({ ...ok, value: 700 }), // 11
    ];
    const [r] = await ingest(ctx, [textSource('landing/devices/rules.ndjson', lines.join('\n') + '\n')]);
    expect(r).toMatchObject({ read: 10, accepted: 1, quarantined: 8, skippedRecords: 1 });
    const q = (await quarantineLines(ctx)).filter((l) => l.file === 'landing/devices/rules.ndjson').map((l) => [l.record, l.field, l.reason, l.value]);
    expect(q).toEqual([
      [2, 'person_id', 'not a device reading: Invalid input: expected string, received number', 7],
      [3, 'device_id', 'not a device reading: Invalid input: expected string, received null', null],
      [4, 'measured_at', 'timestamp without UTC offset', '2025-06-01 07:31'],
      [5, 'value', 'missing value', null],
      [6, 'components.0.value', 'not a device reading: Invalid input: expected number, received string', '142'],
      [8, '', 'not valid JSON', '{"person_id": "P3", broken'],
      [10, '', 'not a device reading: Invalid input: expected object, received array', [1, 2]],
      [11, 'value', 'implausible value', 700], // heart rate 20..250 /min
    ]);
  });

  it('keeps each rejected line as it was sent, numbered past blank and whitespace-only lines', async () => {
    const ok = { person_id: 'P5', device_id: 'D1', measured_at: '2025-06-01T07:31:00-05:00', code: '8867-4', value: 70, unit: '/min' };
    const lines = [
      JSON.stringify(ok), // 1: accepted
      '', // 2: blank
      '   ', // 3: spaces only, not a record either
      '{"person_id": "P5", broken', // 4: not valid JSON
      '', // 5: blank
      '  ' + JSON.stringify({ ...ok, value: 700 }), // 6: implausible, its leading spaces kept
      JSON.stringify({ ...ok, value: 71 }), // 7: accepted
      JSON.stringify([1]), // 8: not an object
    ];
    const [r] = await ingest(ctx, [textSource('landing/devices/raw.ndjson', lines.join('\n') + '\n')]);
    expect(r).toMatchObject({ read: 5, accepted: 2, quarantined: 3 });
    const q = (await quarantineLines(ctx)).filter((l) => l.file === 'landing/devices/raw.ndjson').map((l) => [l.record, l.reason, l.raw]);
    expect(q).toEqual([
      [4, 'not valid JSON', lines[3]],
      [6, 'implausible value', lines[5]],
      [8, 'not a device reading: Invalid input: expected object, received array', lines[7]],
    ]);
  });

  it('fails a file that is not UTF-8 naming the byte and its line, and reads it as Latin-1 when told', async () => {
    const line = (person: string) => `{"person_id":"${person}","measured_at":"2025-06-01T07:00:00Z","code":"8867-4","value":70,"unit":"/min"}\n`;
    const bytes = Buffer.concat([Buffer.from(line('P4')), Buffer.from(line('M\u00fcller'), 'latin1')]);
    const source = (name: string) => ({ name, size: bytes.length, open: () => Readable.from([bytes]) });
    // the first line is 97 bytes (96 and its line break); the ü of M\xfcller follows the 15 bytes {"person_id":"M: 97 + 15
    const [bad] = await ingest(ctx, [source('landing/devices/latin1.ndjson')]);
    expect(bad!.error).toBe('not valid UTF-8: byte 0xfc on line 2 (byte offset 112); a Latin-1 file is read with --encoding latin1');
    const [read] = await ingest(ctx, [source('landing/devices/latin1-told.ndjson')], { encoding: 'latin1' });
    expect(read).toMatchObject({ read: 2, accepted: 2 });
  });
});
