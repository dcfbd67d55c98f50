/**
 * Partner feedback for the demo: what each partner reports back about the members it was sent on an earlier run, so
 * the scorecard, the worklists' statuses and the report show outcomes rather than zeros. Per member sent: reached and
 * reported `contacted` within 1 to 6 days for 70 % of them, and then, of those, 45 % `enrolled` and 20 % `declined`;
 * 20 % `unreachable` after 3 to 10 days; the rest not reported yet. The shares are the demo's, in the range
 * disease-management programs report (enrollment of a third to a half of the members reached). Deterministic from the
 * seed, and written whole each time (`feedback/<partner>/demo.ndjson`), so a rerun changes nothing.
 */
import type { StratifyConfig } from '../config/index.js';
import { addDays } from '../dates.js';
import { readLedger } from '../queue/ledger.js';
import type { ObjectStore } from '../store/port.js';
import { Random } from './random.js';

const FEEDBACK_STREAM = 0xfeed;

export function demoFeedbackKey(partner: string): string {
  return `feedback/${partner}/demo.ndjson`;
}

/** reports on the members sent on `sentOn`, none dated after `until`; returns the lines written per partner */
export async function writeDemoFeedback(store: ObjectStore, config: StratifyConfig, seed: number, sentOn: string, until: string): Promise<Record<string, number>> {
  const written: Record<string, number> = {};
  for (const [p, { name }] of config.partners.entries()) {
    const rng = new Random(seed, p, FEEDBACK_STREAM);
    const sent = (await readLedger(store, name)).records.filter((e) => e.as_of_date === sentOn);
    const lines: string[] = [];
    const report = (person_id: string, status: string, day: string) => {
      if (day <= until) lines.push(JSON.stringify({ person_id, status, reported_at: `${day}T${String(rng.int(8, 17)).padStart(2, '0')}:00:00Z` }));
    };
    for (const { person_id } of sent) {
      const roll = rng.next();
      if (roll < 0.7) {
        const contacted = addDays(sentOn, rng.int(1, 6));
        report(person_id, 'contacted', contacted);
        const outcome = rng.next();
        if (outcome < 0.45) report(person_id, 'enrolled', addDays(contacted, rng.int(0, 3)));
        else if (outcome < 0.65) report(person_id, 'declined', contacted);
      } else if (roll < 0.9) report(person_id, 'unreachable', addDays(sentOn, rng.int(3, 10)));
    }
    await store.put(demoFeedbackKey(name), lines.length === 0 ? '' : `${lines.join('\n')}\n`);
    written[name] = lines.length;
  }
  return written;
}
