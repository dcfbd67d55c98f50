/**
 * Device NDJSON's fast path (queries/ingest/device_ndjson.sql, `checked_lines`): a line of the one common shape is
 * taken without the full rules, so it must pass them all; each line here is one step off that shape, and must go
 * through the full rules and come out as they decide (accepted at its instant, rejected, or skipped).
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { IngestDb } from '../../../lib/ingest/sql/db.js';
import { deviceNdjsonQuery } from '../../../lib/ingest/sql/devices.js';
import { ndjsonRawRecordsSql } from '../../../lib/ingest/sql/ndjson-records.js';
import { ingestParamsSql } from '../../../lib/ingest/sql/params.js';
import { ingest, type IngestReport } from '../../../lib/pipeline/ingest.js';
import { quarantineLines, testContext, textSource, type TestContext } from '../helpers.js';

const OK = { person_id: 'P1', device_id: 'D1', measured_at: '2025-06-01T07:31:00-05:00', code: '8867-4', value: 61, unit: '/min' };
const PANEL = { ...OK, code: '85354-9', value: undefined, unit: undefined, components: [{ code: '8480-6', value: 142, unit: 'mm[Hg]' }, { code: '8462-4', value: 88, unit: 'mm[Hg]' }] };

/** [line, taken by the fast path] */
const LINES: [object, boolean][] = [
  [OK, true], // 1: 07:31 at -05:00 is 12:31 UTC
  [PANEL, true], // 2: systolic and diastolic, 12:31 UTC
  [{ ...OK, value: 63, measured_at: '2025-06-01T24:00:00Z' }, false], // 3: 24:00 is the next day's 00:00
  [{ ...OK, value: 64, measured_at: '2025-06-01T07:31:00.250-05:00' }, false], // 4: a fraction: 12:31:00.250 UTC
  [{ ...OK, value: 65, measured_at: '2025-02-30T07:31:00Z' }, false], // 5: no such day
  [{ ...OK, value: 66, device_id: undefined }, false], // 6: no device
  [{ ...OK, value: 67, device_id: 'nullable-9' }, false], // 7: "null" in the line
  [{ ...OK, value: 68, code: '41950-7', unit: '/d' }, false], // 8: steps, not monitored: skipped
  [{ ...OK, value: 69, unit: '' }, false], // 9: an empty unit
  [{ ...OK, value: '70' }, false], // 10: a number as text
  [{ ...OK, value: 71, measured_at: '2025-06-01T12:00:00z' }, false], // 11: lower-case z: 12:00 UTC
  [{ ...OK, value: 72, measured_at: '2025-06-01T12:00+02:00' }, false], // 12: no seconds: 10:00 UTC
  [{ ...OK, value: 73, measured_at: '2025-06-01T12:00:00+0200' }, false], // 13: offset without a colon: 10:00 UTC
  [{ ...PANEL, components: [...PANEL.components, { code: '8478-0', value: 106, unit: 'mm[Hg]' }] }, false], // 14: three components
  [{ ...PANEL, components: [PANEL.components[0], { code: '8462-4', value: 88 }] }, false], // 15: a component without unit
];
// each line of its own person, so that the observations of one do not replace another's (same code and instant)
const TEXT = LINES.map(([l], i) => JSON.stringify({ ...l, person_id: `P${i + 1}` })).join('\n') + '\n';

describe('device NDJSON: the fast path', () => {
  let dir: string;
  let ctx: TestContext;
  let report: IngestReport;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'stratify-fast-path-'));
    ctx = await testContext();
    [report] = (await ingest(ctx, [textSource('landing/devices/fast.ndjson', TEXT)])) as [IngestReport];
  });
  afterAll(async () => {
    await ctx.dispose();
    await rm(dir, { recursive: true, force: true });
  });

  it('takes the lines of the common shape and no line a step off it', async () => {
    const path = join(dir, 'fast.ndjson');
    await writeFile(path, TEXT);
    const db = await IngestDb.open();
    try {
      await db.run(ingestParamsSql('fast.ndjson', '0'.repeat(64)));
      await db.run('CREATE TABLE members (person_id VARCHAR)');
      for (const s of ndjsonRawRecordsSql({ path, gzip: false, encoding: 'utf8' })) await db.run(s);
      // the query with device_values cut to the fast path's decision
      const sql = deviceNdjsonQuery()
        .replace(/\nselect \* from well_formed_rows\nunion all\n[\s\S]*?\n\),\ndevice_readings as/, '\nselect source_record, well_formed from checked_lines\n),\ndevice_readings as')
        .replace(/select \* from device_readings$/, 'select * from device_values order by source_record');
      const rows = await db.query<{ source_record: number; well_formed: boolean }>(sql);
      expect(rows.map((r) => r.well_formed)).toEqual(LINES.map(([, fast]) => fast));
    } finally {
      db.close();
    }
  });

  it('gives each line the full rules\' outcome', async () => {
    // 15 lines: 4 rejected (5, 9, 10, 15), 1 skipped (8), the 10 others accepted: 8 single values and 2 panels of 2 (14 drops 8478-0)
    expect(report).toMatchObject({ read: 15, accepted: 10, quarantined: 4, skippedRecords: 1, rows: { observations: 12 } });
    const q = (await quarantineLines(ctx)).map((l) => [l.record, l.field, l.reason, l.value]);
    expect(q).toEqual([
      [5, 'measured_at', 'not a calendar date', '2025-02-30T07:31:00Z'],
      [9, 'unit', 'not a device reading: Too small: expected string to have >=1 characters', ''],
      [10, 'value', 'not a device reading: Invalid input: expected number, received string', '70'],
      [15, 'components.1.unit', 'not a device reading: Invalid input: expected string, received undefined', null],
    ]);
    const rows = await ctx.engine.query(`SELECT person_id, loinc_code, value, device_id, observed_at FROM observations ORDER BY observed_at, loinc_code, value, person_id`);
    const at = (h: number, m: number, ms = 0) => Date.UTC(2025, 5, 1, h, m, 0, ms);
    expect(rows).toEqual([
      { person_id: 'P12', loinc_code: '8867-4', value: 72, device_id: 'D1', observed_at: at(10, 0) }, // 12:00 at +02:00
      { person_id: 'P13', loinc_code: '8867-4', value: 73, device_id: 'D1', observed_at: at(10, 0) },
      { person_id: 'P11', loinc_code: '8867-4', value: 71, device_id: 'D1', observed_at: at(12, 0) },
      { person_id: 'P14', loinc_code: '8462-4', value: 88, device_id: 'D1', observed_at: at(12, 31) }, // its mean pressure is not stored
      { person_id: 'P2', loinc_code: '8462-4', value: 88, device_id: 'D1', observed_at: at(12, 31) }, // 07:31 at -05:00
      { person_id: 'P14', loinc_code: '8480-6', value: 142, device_id: 'D1', observed_at: at(12, 31) },
      { person_id: 'P2', loinc_code: '8480-6', value: 142, device_id: 'D1', observed_at: at(12, 31) },
      { person_id: 'P1', loinc_code: '8867-4', value: 61, device_id: 'D1', observed_at: at(12, 31) },
      { person_id: 'P6', loinc_code: '8867-4', value: 66, device_id: null, observed_at: at(12, 31) },
      { person_id: 'P7', loinc_code: '8867-4', value: 67, device_id: 'nullable-9', observed_at: at(12, 31) },
      { person_id: 'P4', loinc_code: '8867-4', value: 64, device_id: 'D1', observed_at: at(12, 31, 250) },
      { person_id: 'P3', loinc_code: '8867-4', value: 63, device_id: 'D1', observed_at: Date.UTC(2025, 5, 2) }, // 24:00: the next day
    ]);
  });
});
