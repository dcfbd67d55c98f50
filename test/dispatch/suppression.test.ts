/**
 * Suppression decisions worked by hand (pure), and the partner feedback as the score and dispatch stages read it from
 * the store: the order of the reports and which of them count as an outcome.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { enrolledByProgram } from '../../lib/pipeline/score.js';
import { latestOutcome, readFeedback, type Feedback } from '../../lib/queue/feedback.js';
import type { LedgerEntry } from '../../lib/queue/ledger.js';
import { suppressor, type SuppressionPolicy } from '../../lib/queue/suppression.js';
import { LocalFolderStore } from '../../lib/store/local.js';
import { config } from '../scoring/fixtures.js';

const policy: SuppressionPolicy = { asOf: '2024-06-10', windowDays: 30, cooloffDays: { declined: 90, unreachable: 14 } };
const said = (person_id: string, status: Feedback['status'], reported_on: string): Feedback => ({ person_id, status, reported_on });
const sent = (person_id: string, as_of_date: string, tier?: string): LedgerEntry => ({
  idempotency_key: `${person_id}@${as_of_date}`,
  person_id,
  program: 'copd',
  as_of_date,
  ...(tier === undefined ? {} : { tier }),
  sent_at: `${as_of_date}T06:00:00Z`,
});
const candidate = (person_id: string, tier: string) => ({ idempotency_key: `${person_id}@${policy.asOf}`, person_id, tier });

describe('suppression', () => {
  test('a contacted reported after an outcome changes nothing', () => {
    const decide = suppressor(
      [],
      [
        said('e', 'enrolled', '2024-06-02'),
        said('e', 'contacted', '2024-06-05'), // the partner's follow-up call
        said('d', 'declined', '2024-06-02'),
        said('d', 'contacted', '2024-06-03'),
        said('u', 'unreachable', '2024-06-01'),
        said('u', 'contacted', '2024-06-09'),
        said('c', 'contacted', '2024-06-09'),
      ],
      policy,
    );
    expect(['e', 'd', 'u', 'c'].map((p) => decide(candidate(p, 'high')))).toEqual(['partner: enrolled', 'partner: declined', 'partner: unreachable', 'sent']);
  });

  test('a ledger entry without a tier (written before tiers were recorded) is never worsened', () => {
    const decide = suppressor([sent('old', '2024-06-01'), sent('new', '2024-06-01', 'high')], [], policy);
    expect(decide(candidate('old', 'critical'))).toBe('sent recently');
    expect(decide(candidate('old', 'routine'))).toBe('sent recently');
    expect(decide(candidate('new', 'critical'))).toBe('sent: tier worsened');
  });
});

describe('partner feedback from the store', () => {
  let dir: string;
  let store: LocalFolderStore;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'stratify-feedback-'));
    store = new LocalFolderStore(dir);
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });
  const report = (partner: string, lines: object[]) => store.append(`feedback/${partner}/reports.ndjson`, lines.map((l) => `${JSON.stringify(l)}\n`).join(''));

  test('reports of one day are ordered by their time; plain dates keep line order', async () => {
    await report('breatheasy', [
      { person_id: 'a', status: 'declined', reported_at: '2024-06-02T15:30:00Z' },
      { person_id: 'a', status: 'enrolled', reported_at: '2024-06-02T09:00:00Z' }, // earlier that day, written later
      { person_id: 'b', status: 'enrolled', reported_at: '2024-06-02' },
      { person_id: 'b', status: 'declined', reported_at: '2024-06-02' },
      { person_id: 'c', status: 'unreachable', reported_at: '2024-06-03T01:00:00+02:00' }, // 2024-06-02T23:00Z
      { person_id: 'c', status: 'declined', reported_at: '2024-06-02T22:00:00Z' },
    ]);
    const { records } = await readFeedback(store, 'breatheasy');
    const latest = latestOutcome(records);
    expect(['a', 'b', 'c'].map((p) => `${p}:${latest.get(p)?.status}@${latest.get(p)?.reported_on}`)).toEqual([
      'a:declined@2024-06-02',
      'b:declined@2024-06-02',
      'c:unreachable@2024-06-02',
    ]);
  });

  test('the score stage keeps excluding a member reported contacted after enrolled', async () => {
    await report('breatheasy', [
      { person_id: 'e', status: 'enrolled', reported_at: '2024-06-02T09:00:00Z' },
      { person_id: 'e', status: 'contacted', reported_at: '2024-06-05T10:00:00Z' },
    ]);
    expect((await enrolledByProgram(store, '2024-06-10', config)).get('copd')).toEqual(new Set(['e']));
  });
});
