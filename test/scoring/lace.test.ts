/** LACE (van Walraven 2010) worked by hand, and the transitions-of-care flag it drives. */
import { describe, expect, test } from 'vitest';
import { lace } from '../../lib/scoring/lace.js';
import { scoreMember } from '../../lib/scoring/model.js';
import { scorePopulation } from '../../lib/scoring/population.js';
import { config, member } from './fixtures.js';

describe('LACE index', () => {
  test('hand-worked: 5-day emergent stay, Charlson 2, 3 ED visits → 4 + 3 + 2 + 3 = 12', () => {
    expect(lace({ losDays: 5, emergent: true, charlson: 2, edVisits6m: 3 })).toEqual({ l: 4, a: 3, c: 2, e: 3, score: 12 });
  });

  test('the lowest and the highest: same-day planned stay, no comorbidity → 0; long emergent stay, Charlson 6, 6 ED visits → 19', () => {
    expect(lace({ losDays: 0, emergent: false, charlson: 0, edVisits6m: 0 }).score).toBe(0);
    expect(lace({ losDays: 21, emergent: true, charlson: 6, edVisits6m: 6 })).toEqual({ l: 7, a: 3, c: 5, e: 4, score: 19 });
  });

  test('L points at each boundary of the published table', () => {
    const l = (losDays: number) => lace({ losDays, emergent: false, charlson: 0, edVisits6m: 0 }).l;
    expect([0, 1, 2, 3, 4, 6, 7, 13, 14].map(l)).toEqual([0, 1, 2, 3, 4, 4, 5, 5, 7]);
  });

  test('C points: the Charlson index up to 3, then 5 from 4 on; E caps at 4', () => {
    const c = (charlson: number) => lace({ losDays: 0, emergent: false, charlson, edVisits6m: 0 }).c;
    expect([0, 1, 2, 3, 4, 9].map(c)).toEqual([0, 1, 2, 3, 5, 5]);
    expect(lace({ losDays: 0, emergent: false, charlson: 0, edVisits6m: 4 }).e).toBe(4);
    expect(lace({ losDays: 0, emergent: false, charlson: 0, edVisits6m: 5 }).e).toBe(4);
  });
});

describe('transitions of care', () => {
  // I5030 heart failure and J449 COPD: Charlson (original weights) 1 + 1 = 2; 4 ED visits in 180 days, one of them the
  // visit the stay began with (scored as A): E counts the 3 before it
  const discharged = (days: number) =>
    member('tc', {
      has_heart_failure: true,
      dx_codes_12m: 'I5030,J449',
      last_admission_date: '2024-06-21',
      last_discharge_date: '2024-06-26',
      last_stay_los_days: 5,
      last_admission_emergent: true,
      days_since_discharge: days,
      ed_visits_180d: 4,
      ed_visits_6m_before_admission: 3,
      ip_admissions_12m: 1,
    });

  test('a member discharged 4 days ago scores LACE 12, which earns the high level and says why', () => {
    const s = scoreMember(discharged(4), config.scoring);
    expect(s.lace).toEqual({ l: 4, a: 3, c: 2, e: 3, score: 12 });
    expect(s.actionable).toBe(true);
    expect(s.contributions[0]).toEqual({
      component: 'utilization',
      points: 15,
      programs: [],
      reason: 'Discharged 4 days ago after a 5-day emergent stay: LACE 12 of 19 (L 4, A 3, C 2, E 3; 10 or more is a high readmission risk)',
    });
  });

  test('the window is 30 days: day 30 is in it, day 31 is not', () => {
    expect(scoreMember(discharged(30), config.scoring).lace?.score).toBe(12);
    expect(scoreMember(discharged(31), config.scoring).lace).toBeNull();
    expect(scoreMember(discharged(31), config.scoring).actionable).toBe(false);
  });

  test('LACE >= 10 sends the member to the partner although the tier is not dispatched', () => {
    // 120 members: the 2 % / 8 % cut-offs dispatch ranks 1-12; the discharged member is actionable and ranks first
    // anyway, so make 12 others more urgent (BP crisis) to push them to rank 13
    const urgent = Array.from({ length: 12 }, (_, i) => member(`u${String(i).padStart(2, '0')}`, { has_hypertension: true, sbp_max_7d: 200 + i }));
    const filler = Array.from({ length: 107 }, (_, i) => member(`f${String(i).padStart(3, '0')}`));
    const { scores, flags } = scorePopulation([...urgent, ...filler, discharged(4)], config);
    const tc = scores.find((s) => s.person_id === 'tc')!;
    expect(tc.rank).toBe(13);
    expect(tc.tier).toBe('elevated');
    expect(tc.lace).toBe(12);
    expect(flags.find((f) => f.person_id === 'tc')).toMatchObject({ partner: 'heartline', tier: 'elevated', transitions_of_care: true });
  });
});
