/**
 * Suppression and partner feedback end to end, through the score and dispatch stages over DuckDB and the outbox:
 * a member sent and then reported enrolled is excluded from the program and never sent again; a member reported
 * unreachable waits out the cool-off and is then sent again; a member whose tier worsens inside the suppression
 * window is sent again at once. The partner scorecard then counts what happened.
 */
import Papa from 'papaparse';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { dispatch } from '../../lib/pipeline/dispatch.js';
import { scoreMembers } from '../../lib/pipeline/score.js';
import { readFeedback } from '../../lib/queue/feedback.js';
import { readLedger } from '../../lib/queue/ledger.js';
import { OutboxQueue } from '../../lib/queue/outbox.js';
import type { FeatureRow } from '../../lib/scoring/member.js';
import { scorecard } from '../../lib/scoring/scorecard.js';
import { configWith, member, tempPipeline, writeFeatures, type TempPipeline } from '../scoring/fixtures.js';

// a 7-day suppression window, so the 14-day unreachable cool-off outlasts it
const config = configWith((c) => {
  c.dispatch.suppression_days = 7;
});

const filler = Array.from({ length: 60 }, (_, i) => member(`f${String(i).padStart(2, '0')}`, { age: 66 + (i % 25) }));
const enr = member('enr', { has_hypertension: true, sbp_max_7d: 184, dbp_max_7d: 96 }); // crisis: 40
const unr = member('unr', { has_copd: true, spo2_min_7d: 86 }); // 25
const nonAdherent = { has_heart_failure: true, reading_days_30d: 10, reading_days_90d: 50, days_since_last_reading: 1 }; // 8
const worStable = member('wor', nonAdherent);
const worWorse = member('wor', { ...nonAdherent, weight_change_7d: 3, weight_gain_24h_max: 1.1 }); // 8 + 25 + 25

let p: TempPipeline;
beforeEach(async () => {
  p = await tempPipeline();
});
afterEach(async () => {
  await p.close();
});

async function day(asOf: string, wor: FeatureRow): Promise<Record<string, string>> {
  await writeFeatures(p, [...filler, enr, unr, wor], asOf);
  await scoreMembers(p.ctx, asOf, config);
  await dispatch(p.ctx, asOf, config);
  const status: Record<string, string> = {};
  for (const partner of ['pressurepoint', 'breatheasy', 'heartline']) {
    const csv = new TextDecoder().decode(await p.store.get(`worklists/as_of=${asOf}/${partner}.csv`));
    for (const r of Papa.parse<Record<string, string>>(csv, { header: true, skipEmptyLines: true }).data) status[r.person_id!] = `${r.tier} ${r.status}`;
  }
  return status;
}

async function feedback(partner: string, lines: object[]): Promise<void> {
  await p.store.append(`feedback/${partner}/reports.ndjson`, lines.map((l) => JSON.stringify(l) + '\n').join(''));
}

const sentTo = async (partner: string): Promise<string[]> =>
  (await p.store.exists(OutboxQueue.keyFor(partner)))
    ? new TextDecoder()
        .decode(await p.store.get(OutboxQueue.keyFor(partner)))
        .trim()
        .split('\n')
        .map((l) => `${(JSON.parse(l) as { person_id: string; as_of_date: string }).as_of_date}:${(JSON.parse(l) as { person_id: string }).person_id}`)
    : [];

describe('suppression and feedback, end to end', () => {
  test('enrolled → excluded; unreachable → cool-off; tier worse → sent again; scorecard', async () => {
    // June 1: all three are sent (63 members: rank 1 critical, ranks 2-6 high)
    expect(await day('2024-06-01', worStable)).toEqual({ enr: 'critical sent 2024-06-01', unr: 'high sent 2024-06-01', wor: 'high sent 2024-06-01' });

    await feedback('pressurepoint', [
      { person_id: 'enr', status: 'contacted', reported_at: '2024-06-02T10:00:00Z' },
      { person_id: 'enr', status: 'enrolled', reported_at: '2024-06-02T15:30:00Z' },
    ]);
    await feedback('breatheasy', [{ person_id: 'unr', status: 'unreachable', reported_at: '2024-06-03' }]);

    // June 4: enr is excluded from hypertension (not on the list at all); unr waits; wor was sent 3 days ago
    expect(await day('2024-06-04', worStable)).toEqual({ unr: 'high suppressed: unreachable 2024-06-03 (14-day cool-off)', wor: 'high sent 2024-06-01, within 7 days' });
    const [enrScore] = await p.engine.query<{ exclusion: string; tier: string }>("select exclusion, tier from scores where person_id = 'enr' and as_of_date = '2024-06-04'");
    expect(enrScore).toEqual({ exclusion: 'enrolled', tier: 'critical' });

    // June 5: wor's weight jumps: critical now, worse than the high they were sent with 4 days ago → sent again
    expect(await day('2024-06-05', worWorse)).toEqual({ unr: 'high suppressed: unreachable 2024-06-03 (14-day cool-off)', wor: 'critical sent 2024-06-05: tier worsened (sent 2024-06-01 as high)' });

    // June 17: 14 days since unr was reported unreachable: the cool-off is over and the last send 16 days back
    expect(await day('2024-06-17', worWorse)).toMatchObject({ unr: 'high sent 2024-06-17' });
    // a rerun sends nothing, and the worklist still shows who was sent that day
    expect(await day('2024-06-17', worWorse)).toEqual({ unr: 'high sent 2024-06-17', wor: 'critical sent 2024-06-17' });

    expect(await sentTo('pressurepoint')).toEqual(['2024-06-01:enr']);
    expect(await sentTo('breatheasy')).toEqual(['2024-06-01:unr', '2024-06-17:unr']);
    expect(await sentTo('heartline')).toEqual(['2024-06-01:wor', '2024-06-05:wor', '2024-06-17:wor']);

    const card = async (partner: string) => scorecard(partner, (await readLedger(p.store, partner)).records, (await readFeedback(p.store, partner)).records);
    expect(await card('pressurepoint')).toEqual({
      partner: 'pressurepoint',
      sent: 1,
      members: 1,
      contacted: 1,
      enrolled: 1,
      declined: 0,
      unreachable: 0,
      median_days_to_contact: 1,
    });
    expect(await card('breatheasy')).toMatchObject({ sent: 2, members: 1, contacted: 0, unreachable: 1, median_days_to_contact: null });
  });
});
