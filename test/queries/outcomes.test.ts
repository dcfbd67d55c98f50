/**
 * outcomes (backtest truth, composed apart from the features): admissions and ED visit days in the 180 days after
 * the as-of date, (as-of, as-of + 180]. As of 2024-06-30 that is 2024-07-01..2024-12-27.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { outcomesQuery } from '../../lib/pipeline/features.js';
import { Fixture, medicalLine, member } from './fixture.js';

const AS_OF = '2024-06-30';
let fx: Fixture;

function admission(claim_id: string, person_id: string, admission_date: string, line = 1): Record<string, unknown> {
  return medicalLine({ claim_id, person_id, setting: 'inpatient', claim_start_date: admission_date, admission_date, discharge_date: admission_date, claim_line_number: line });
}

function edVisit(claim_id: string, person_id: string, date: string): Record<string, unknown> {
  return medicalLine({ claim_id, person_id, setting: 'ed', claim_start_date: date });
}

beforeAll(async () => {
  fx = await Fixture.open({
    members: [member('events'), member('quiet'), member('left', { enrollment_end_date: '2024-06-29' })],
    medical_claims: [
      // the as-of date belongs to the history; 07-01 and 12-27 are the first and last days after it; 12-28 is late
      admission('a0', 'events', '2024-06-30'),
      admission('a1', 'events', '2024-07-01', 1),
      admission('a1', 'events', '2024-07-01', 2),
      admission('a2', 'events', '2024-12-27'),
      admission('a3', 'events', '2024-12-28'),
      // two ED claims the same day are one visit
      edVisit('e0', 'events', '2024-06-30'),
      edVisit('e1', 'events', '2024-08-01'),
      edVisit('e2', 'events', '2024-08-01'),
      edVisit('e3', 'events', '2024-12-27'),
      edVisit('e4', 'events', '2024-12-28'),
      // not enrolled on the as-of date: no row, whatever happens later
      admission('l1', 'left', '2024-07-15'),
    ],
  });
});
afterAll(() => fx.close());

describe('outcomes', () => {
  it('counts admissions (claims) and ED visit days in (as-of, as-of + 180]', async () => {
    const rows = await fx.rowsByPerson(outcomesQuery(), AS_OF);
    expect(rows.get('events')).toEqual({ person_id: 'events', as_of_date: AS_OF, admissions_180d_after: 2, ed_visits_180d_after: 2 });
  });

  it('has one row per member enrolled on the as-of date, zeros when nothing happened', async () => {
    const rows = await fx.rowsByPerson(outcomesQuery(), AS_OF);
    expect([...rows.keys()].sort()).toEqual(['events', 'quiet']);
    expect(rows.get('quiet')).toMatchObject({ admissions_180d_after: 0, ed_visits_180d_after: 0 });
  });

  it('moves with the as-of date: as of 2024-06-29 the as-of day events count and 12-27 does not', async () => {
    // (2024-06-29, 2024-12-26]: admissions 06-30 and 07-01; ED days 06-30 and 08-01
    const rows = await fx.rowsByPerson(outcomesQuery(), '2024-06-29');
    expect(rows.get('events')).toMatchObject({ admissions_180d_after: 2, ed_visits_180d_after: 2 });
    expect(rows.get('left')).toMatchObject({ admissions_180d_after: 1 });
  });
});
