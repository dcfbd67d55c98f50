/**
 * Device NDJSON through queries/ingest/ against today's TypeScript reader: the same counts, rows and quarantine lines
 * on the device test's readings, hand-made bad records (one per rule) and the demo generator's readings (drift,
 * double-sends, pounds sent as kg).
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deviceNdjsonQuery } from '../../../lib/ingest/sql/devices.js';
import { ndjsonRawRecordsSql } from '../../../lib/ingest/sql/ndjson-records.js';
import { testContext, textSource, type TestContext } from '../helpers.js';
import { generateDemo } from '../../../lib/demo/index.js';
import { ingest } from '../../../lib/pipeline/ingest.js';
import { sqlPath, typescriptPath } from './device-compare.js';

const ok = { person_id: 'P1', device_id: 'D1', measured_at: '2025-06-01T07:31:00-05:00', code: '8867-4', value: 70, unit: '/min' };
const BAD: unknown[] = [
  ok,
  { ...ok, person_id: 'P9' },
  { ...ok, person_id: '  ' },
  { ...ok, person_id: 7 },
  { ...ok, person_id: null },
  { ...ok, person_id: '' },
  { ...ok, device_id: null },
  { ...ok, device_id: '' },
  { ...ok, measured_at: '2025-06-01 07:31' },
  { ...ok, measured_at: '2025-02-30T07:31:00Z' },
  { ...ok, measured_at: 'yesterday' },
  { ...ok, measured_at: '2025-06-01T25:31:00Z' },
  { ...ok, measured_at: '2025-06-01T24:00:00Z' },
  { ...ok, measured_at: '2025-06-01t07:31:00.123456+0530' },
  { ...ok, measured_at: '2999-01-01T00:00:00Z' },
  { ...ok, measured_at: '1899-12-31T23:59:59.999Z' },
  { ...ok, value: '70' },
  { ...ok, value: undefined },
  { ...ok, value: null },
  { ...ok, unit: undefined },
  { ...ok, unit: 'bpm' },
  { ...ok, unit: 'cm' },
  { ...ok, value: 700 },
  { ...ok, code: '41950-7' },
  { ...ok, code: 3 },
  { ...ok, code: '85354-9', value: undefined, unit: undefined, components: [{ code: '8480-6', value: 142, unit: 'mm[Hg]' }, { code: '8478-0', value: 99, unit: 'mm[Hg]' }, { code: '8462-4', value: 88, unit: 'mmHg' }] },
  { ...ok, code: '85354-9', value: undefined, unit: undefined, components: [{ code: '8480-6', value: 142, unit: 'mm[Hg]' }, { code: '8462-4', value: 500, unit: 'mm[Hg]' }] },
  { ...ok, code: '85354-9', value: undefined, unit: undefined, components: [{ code: '8480-6', value: '142', unit: 'mm[Hg]' }] },
  { ...ok, code: '85354-9', value: undefined, unit: undefined, components: [{ code: '8480-6', value: 142 }] },
  { ...ok, code: '85354-9', value: undefined, unit: undefined, components: [7] },
  { ...ok, code: '85354-9', value: undefined, unit: undefined, components: [] },
  { ...ok, code: '85354-9', components: { code: '8480-6' } },
  { ...ok, code: '29463-7', value: 80, unit: 'kg' },
  { ...ok, code: '29463-7', value: 176.4, unit: 'kg' },
  { ...ok, code: '29463-7', value: 176.4, unit: 'KG' },
  { ...ok, code: '29463-7', value: 81, unit: 'kg' },
  { ...ok, code: '29463-7', value: 178.6, unit: '[lb_av]' },
  { ...ok, code: '29463-7', value: 180, unit: 'kg' },
  [1, 2],
  'text',
  5,
];
const BAD_TEXT = [...BAD.map((r) => JSON.stringify(r)), '{"person_id": "P1", broken', '', '   ', `{"person_id":"P1","extra":{"a":1},"device_id":"D1","measured_at":"2025-06-01T07:31:00Z","code":"8867-4","value":1e1,"unit":"/min"}`].join('\n') + '\n';

describe('device NDJSON: the SQL path against the TypeScript reader', () => {
  let ctx: TestContext;
  let dir: string;
  const now = Date.now();
  beforeAll(async () => {
    ctx = await testContext();
    dir = await mkdtemp(join(tmpdir(), 'stratify-devsql-'));
    const eligibility = 'person_id,gender,birth_date,enrollment_start_date,enrollment_end_date\nP1,female,1950-01-01,2025-01-01,2026-12-31\nP2,male,1950-01-01,2025-01-01,2026-12-31\n';
    await ingest(ctx, [textSource('landing/eligibility.csv', eligibility)]);
  });
  afterAll(async () => {
    await ctx.dispose();
    await rm(dir, { recursive: true, force: true });
  });

  it('gives the same counts, rows and quarantine lines on a record per rule', async () => {
    const ts = await typescriptPath(ctx, 'landing/bad.ndjson', BAD_TEXT);
    const sql = await sqlPath(ctx, dir, 'landing/bad.ndjson', BAD_TEXT, ndjsonRawRecordsSql, deviceNdjsonQuery(), now);
    expect(sql.quarantine).toEqual(ts.quarantine);
    expect(sql.rows).toEqual(ts.rows);
    expect(sql.counts).toEqual(ts.counts);
    expect(sql.skipReasons).toEqual(ts.skipReasons);
    // 45 lines, 2 blank: 43 read; accepted: lines 1, 13 (24:00), 14 (lower-case t, +0530), 21 (bpm), 26 (panel with a
    // mean arterial pressure), 33, 36 (weights), 37 (pounds); skipped: 24 (steps), 31 (empty panel); the other 33 rejected
    expect(ts.counts).toEqual({ read: 43, accepted: 8, quarantined: 33, skipped: 2 });
  });

  it('gives the same counts, rows and quarantine lines on the demo generator\'s readings (pounds sent as kg among them)', async () => {
    const demo = await testContext();
    try {
      await generateDemo(demo.store, { members: 300, seed: 11, asOf: '2026-06-30', progress: () => {} });
      const text = await readFile(demo.store.pathOf('landing/device_readings.ndjson'), 'utf8');
      await ingest(demo, [textSource('landing/eligibility.csv', await readFile(demo.store.pathOf('landing/eligibility.csv'), 'utf8'))]);
      const ts = await typescriptPath(demo, 'landing/device_readings.ndjson', text);
      const sql = await sqlPath(demo, dir, 'landing/device_readings.ndjson', text, ndjsonRawRecordsSql, deviceNdjsonQuery(), now);
      expect(sql.counts).toEqual(ts.counts);
      expect(sql.quarantine).toEqual(ts.quarantine);
      expect(sql.rows).toEqual(ts.rows);
      expect(ts.counts.quarantined).toBeGreaterThan(0);
    } finally {
      await demo.dispose();
    }
  });
});
