/**
 * Pounds labelled kg in the device SQL (queries/ingest/device_readings.sql), in its two passes: a weight taken for
 * pounds is not part of the person's history (lib/ingest/pounds-as-kg.ts remembers accepted weights only), so a
 * later weight is compared with the weights before it that were kept. The second pass reads again only the persons
 * the first pass flagged; this file has one of each.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ingest, type IngestReport } from '../../../lib/pipeline/ingest.js';
import { quarantineLines, testContext, textSource, type TestContext } from '../helpers.js';

const weight = (person: string, day: number, kg: number) =>
  JSON.stringify({ person_id: person, device_id: 'S1', measured_at: `2025-06-0${day}T07:00:00Z`, code: '29463-7', value: kg, unit: 'kg' });

const LINES = [
  weight('P1', 1, 70), // 1: the first weight, nothing to compare with
  // 2: 154 × 0.45359237 = 69.85 kg, 0.2 % from the median 70: pounds
  weight('P1', 2, 154),
  // 3: the first pass compares it with 70 and 154 (median 112: 69.85 / 112 is 38 % off), the second with 70 alone,
  // record 2 not being remembered: pounds
  weight('P1', 3, 154),
  weight('P2', 1, 80), // 4, 5: another person's weights, 1.25 % apart: both kept
  weight('P2', 2, 81),
];

describe('device readings: pounds labelled kg', () => {
  let ctx: TestContext;
  let report: IngestReport;

  beforeAll(async () => {
    ctx = await testContext();
    [report] = (await ingest(ctx, [textSource('landing/devices/scale.ndjson', LINES.join('\n') + '\n')])) as [IngestReport];
  });
  afterAll(() => ctx.dispose());

  it('does not remember a weight taken for pounds when it judges the next one', async () => {
    expect(report).toMatchObject({ read: 5, accepted: 3, quarantined: 2, rows: { observations: 3 } });
    const q = (await quarantineLines(ctx)).map((l) => [l.record, l.field, l.reason, l.value]);
    expect(q).toEqual([
      [2, 'value', 'weight looks like pounds labelled kg', 154],
      [3, 'value', 'weight looks like pounds labelled kg', 154],
    ]);
  });
});
