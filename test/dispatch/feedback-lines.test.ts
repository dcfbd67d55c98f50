/**
 * Partner feedback lines that cannot be used are quarantined with their file, line and reason and shown in the run
 * summary (they were only counted in a progress line the terminal overwrote); statuses are read in any case (an
 * `ENROLLED` was dropped and the member stayed on the list); a report dated in the future is rejected.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { quarantineKey } from '../../lib/ingest/quarantine.js';
import { dispatch, type DispatchResult } from '../../lib/pipeline/dispatch.js';
import { scoreMembers } from '../../lib/pipeline/score.js';
import { checkFeedbackText } from '../../lib/queue/feedback.js';
import { readTableRows } from '../../lib/parquet/reader.js';
import { flags, scores } from '../../lib/tables/index.js';
import { AS_OF, config, member, tempPipeline, writeFeatures, type TempPipeline } from '../scoring/fixtures.js';
import { createHash } from 'node:crypto';

const NOW = Date.parse('2024-07-01T12:00:00Z');
const LINES = [
  '{"person_id":"hf","status":"ENROLLED","reported_at":"2024-06-20"}', // 1: upper case, accepted
  '{"person_id":"m01","status":"Declined ","reported_at":"2024-06-21T10:00:00Z"}', // 2: mixed case and a space, accepted
  '{"person_id":"m02","status":"enrolled","reported_at":"2024-07-03"}', // 3: two days after now: rejected
  'not json', // 4
  '{"person_id":"m03","status":"signed up","reported_at":"2024-06-20"}', // 5: no such status
  '', // 6: blank, ignored
  '{"status":"enrolled","reported_at":"2024-06-20"}', // 7: no person
];

describe('checkFeedbackText', () => {
  it('accepts statuses in any case and rejects the rest with line, field and reason', () => {
    const { valid, rejected } = checkFeedbackText('feedback/heartline/june.ndjson', LINES.join('\n') + '\n', NOW);
    expect(valid.map((v) => [v.person_id, v.status])).toEqual([
      ['hf', 'enrolled'],
      ['m01', 'declined'],
    ]);
    expect(rejected.map((r) => [r.file, r.record, r.field, r.reason, r.value])).toEqual([
      ['feedback/heartline/june.ndjson', 3, 'reported_at', 'reported in the future', '2024-07-03'],
      ['feedback/heartline/june.ndjson', 4, '', 'not JSON', null],
      ['feedback/heartline/june.ndjson', 5, 'status', 'Invalid option: expected one of "contacted"|"enrolled"|"declined"|"unreachable"', 'signed up'],
      ['feedback/heartline/june.ndjson', 7, 'person_id', 'Invalid input: expected string, received undefined', null],
    ]);
  });
});

describe('dispatch: feedback lines rejected are quarantined and reported; an ENROLLED member leaves the list', () => {
  let p: TempPipeline;
  let result: DispatchResult;
  const file = 'feedback/heartline/june.ndjson';
  // dated in the future of the real clock too, so dispatch (which reads at Date.now()) rejects it
  const lines = [LINES[0], '{"person_id":"m02","status":"enrolled","reported_at":"2999-01-01"}', 'not json'];

  beforeAll(async () => {
    p = await tempPipeline();
    const quiet = Array.from({ length: 19 }, (_, i) => member(`m${String(i).padStart(2, '0')}`));
    await writeFeatures(p, [...quiet, member('hf', { has_heart_failure: true, weight_change_7d: 2.8, days_since_last_reading: 0, reading_days_30d: 20, reading_days_90d: 60 })]);
    await p.store.put(file, lines.join('\n') + '\n');
    await scoreMembers(p.ctx, AS_OF, config);
    result = await dispatch(p.ctx, AS_OF, config);
  });
  afterAll(() => p.close());

  it('keeps the member the partner reported ENROLLED off the list', async () => {
    const hf = (await readTableRows(p.store, scores, AS_OF)).find((s) => s.person_id === 'hf')!;
    expect(hf.exclusion).toBe('enrolled');
    expect((await readTableRows(p.store, flags, AS_OF)).map((f) => f.person_id)).not.toContain('hf');
  });

  it('quarantines the two bad lines under the file content hash and returns them for the summary', async () => {
    expect(result.feedbackRejected.map((r) => [r.file, r.record, r.reason])).toEqual([
      [file, 2, 'reported in the future'],
      [file, 3, 'not JSON'],
    ]);
    const sha16 = createHash('sha256').update(lines.join('\n') + '\n').digest('hex').slice(0, 16);
    const log = new TextDecoder().decode(await p.store.get(quarantineKey(sha16)));
    expect(log.trim().split('\n').map((l) => (JSON.parse(l) as { record: number }).record)).toEqual([2, 3]);
  });
});
