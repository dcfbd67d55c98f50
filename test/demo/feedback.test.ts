/** The demo's partner feedback: about the members sent on the earlier run only, never dated after the run, the same every time. */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../lib/config/index.js';
import { demoFeedbackKey, writeDemoFeedback } from '../../lib/demo/feedback.js';
import { readFeedback } from '../../lib/queue/feedback.js';
import { appendLedger } from '../../lib/queue/ledger.js';
import { LocalFolderStore } from '../../lib/store/local.js';

const config = loadConfig();
const partner = config.partners[0]!.name;
const SENT_ON = '2026-06-23';
const UNTIL = '2026-06-29';

describe('demo partner feedback', () => {
  let home: string;
  let store: LocalFolderStore;
  beforeAll(async () => {
    home = await mkdtemp(join(tmpdir(), 'stratify-demo-feedback-'));
    store = new LocalFolderStore(home);
    const entry = (i: number, asOf: string) => ({ idempotency_key: `k${asOf}${i}`, person_id: `P${String(i).padStart(7, '0')}`, program: 'diabetes', as_of_date: asOf, tier: 'high', sent_at: `${asOf}T06:00:00Z` });
    // 1,000 members sent on the earlier run, 50 others a month before
    await appendLedger(store, partner, [...Array.from({ length: 1000 }, (_, i) => entry(i, SENT_ON)), ...Array.from({ length: 50 }, (_, i) => entry(5000 + i, '2026-05-20'))]);
  });
  afterAll(() => rm(home, { recursive: true, force: true }));

  it('reports on the members sent that day, nothing after the run, with the demo shares, and the same each time', async () => {
    const written = await writeDemoFeedback(store, config, 42, SENT_ON, UNTIL);
    const first = await store.get(demoFeedbackKey(partner));
    await writeDemoFeedback(store, config, 42, SENT_ON, UNTIL);
    expect(await store.get(demoFeedbackKey(partner))).toEqual(first);
    const { records, invalid } = await readFeedback(store, partner);
    expect(invalid).toBe(0);
    expect(records.length).toBe(written[partner]);
    for (const r of records) {
      expect(Number(r.person_id.slice(1))).toBeLessThan(1000);
      expect(r.reported_on > SENT_ON && r.reported_on <= UNTIL).toBe(true);
    }
    const members = (status: string) => new Set(records.filter((r) => r.status === status).map((r) => r.person_id)).size;
    // of 1,000 sent: 70 % contacted (700, 1 to 6 days after the send, all by UNTIL), of those 45 % enrolled (315, up to
    // 3 days after the contact, so some after UNTIL) and 20 % declined (140); 20 % unreachable (200), reported 3 to 10
    // days after the send, of which the days 3 to 6 (4 of 8) fall by UNTIL: about 100
    expect(members('contacted')).toBeGreaterThan(620);
    expect(members('contacted')).toBeLessThan(740);
    expect(members('enrolled')).toBeGreaterThan(200);
    expect(members('enrolled')).toBeLessThan(350);
    expect(members('declined')).toBeGreaterThan(90);
    expect(members('declined')).toBeLessThan(175);
    expect(members('unreachable')).toBeGreaterThan(65);
    expect(members('unreachable')).toBeLessThan(135);
  });
});
