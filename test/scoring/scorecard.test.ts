/** A partner scorecard worked by hand from a ledger and feedback. */
import { describe, expect, test } from 'vitest';
import type { Feedback } from '../../lib/queue/feedback.js';
import type { LedgerEntry } from '../../lib/queue/ledger.js';
import { scorecard } from '../../lib/scoring/scorecard.js';

const sent = (person_id: string, as_of_date: string): LedgerEntry => ({ idempotency_key: `${person_id}${as_of_date}`, person_id, program: 'copd', as_of_date, sent_at: `${as_of_date}T06:00:00Z` });
const said = (person_id: string, status: Feedback['status'], reported_on: string): Feedback => ({ person_id, status, reported_on });

describe('scorecard', () => {
  test('sent, reached, latest status and median days to contact', () => {
    const ledger = [sent('a', '2024-06-01'), sent('b', '2024-06-01'), sent('c', '2024-06-03'), sent('d', '2024-06-05'), sent('a', '2024-07-10')];
    const feedback = [
      said('a', 'contacted', '2024-06-03'), // 2 days after the first send
      said('a', 'enrolled', '2024-06-10'),
      said('b', 'unreachable', '2024-06-04'),
      said('b', 'contacted', '2024-06-09'), // 8 days
      said('b', 'declined', '2024-06-09'),
      said('c', 'unreachable', '2024-06-06'), // never reached
      said('d', 'enrolled', '2024-06-10'), // 5 days: enrolled implies reached
      said('z', 'enrolled', '2024-06-10'), // never sent: not this partner's member
    ];
    expect(scorecard('breatheasy', ledger, feedback)).toEqual({
      partner: 'breatheasy',
      sent: 5,
      members: 4,
      contacted: 3,
      enrolled: 2,
      declined: 1,
      unreachable: 1,
      median_days_to_contact: 5, // median of 2, 8, 5
    });
  });

  test('reports made before the first send count nowhere', () => {
    const ledger = [sent('a', '2024-06-10'), sent('b', '2024-06-10')];
    const feedback = [
      said('a', 'declined', '2024-05-01'), // answers an earlier outreach, not this partner's list
      said('b', 'enrolled', '2024-06-01'),
      said('b', 'contacted', '2024-06-12'), // 2 days: reached, and the earlier enrolled is no outcome of this send
    ];
    expect(scorecard('breatheasy', ledger, feedback)).toMatchObject({ contacted: 1, enrolled: 0, declined: 0, unreachable: 0, median_days_to_contact: 2 });
  });

  test('nothing reported yet', () => {
    expect(scorecard('heartline', [sent('a', '2024-06-01')], [])).toMatchObject({ sent: 1, members: 1, contacted: 0, median_days_to_contact: null });
  });
});
