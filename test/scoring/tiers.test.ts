import { describe, expect, test } from 'vitest';
import { scoreMembers } from '../../lib/pipeline/score.js';
import { rankAndTier } from '../../lib/scoring/tiers.js';
import { AS_OF, config, member, tempPipeline, writeFeatures } from './fixtures.js';

const id = (i: number): string => `p${String(i).padStart(3, '0')}`;
const count = (tiers: string[], t: string): number => tiers.filter((x) => x === t).length;

describe('rank and tier', () => {
  test('100 distinct scores split exactly 2 / 8 / 20 / 70', () => {
    const ranked = rankAndTier(Array.from({ length: 100 }, (_, i) => ({ person_id: id(i), score: i + 1 })), config.tiers);
    const tiers = ranked.map((r) => r.tier);
    expect([count(tiers, 'critical'), count(tiers, 'high'), count(tiers, 'elevated'), count(tiers, 'routine')]).toEqual([2, 8, 20, 70]);
    expect(ranked.slice(0, 3).map((r) => [r.person_id, r.rank, r.tier])).toEqual([
      ['p099', 1, 'critical'],
      ['p098', 2, 'critical'],
      ['p097', 3, 'high'],
    ]);
    expect(ranked[9]!.tier).toBe('high');
    expect(ranked[10]!.tier).toBe('elevated');
    expect(ranked[29]!.tier).toBe('elevated');
    expect(ranked[30]!.tier).toBe('routine');
  });

  test('ties are ranked by person_id and share their percentile (at or below)', () => {
    const ranked = rankAndTier(
      [
        { person_id: 'c', score: 5 },
        { person_id: 'a', score: 5 },
        { person_id: 'b', score: 9 },
        { person_id: 'd', score: 1 },
      ],
      config.tiers,
    );
    expect(ranked.map((r) => [r.person_id, r.rank, r.percentile])).toEqual([
      ['b', 1, 100],
      ['a', 2, 75],
      ['c', 3, 75],
      ['d', 4, 25],
    ]);
  });

  test('members under the minimum score stay routine whatever their rank', () => {
    const ranked = rankAndTier(Array.from({ length: 100 }, (_, i) => ({ person_id: id(i), score: i < 95 ? 0 : 4 })), config.tiers);
    expect(count(ranked.map((r) => r.tier), 'routine')).toBe(95);
  });

  test('an empty population ranks nobody', () => {
    expect(rankAndTier([], config.tiers)).toEqual([]);
  });
});

describe('score stage over DuckDB', () => {
  test('a 100-member population: tiers, flags per partner, both archetypes on top', async () => {
    const p = await tempPipeline();
    try {
      const filler = Array.from({ length: 98 }, (_, i) =>
        member(id(i), { has_diabetes: i % 2 === 0, age: 85 + (i % 3), ed_visits_90d: i % 4 }), // 3 to 13 points
      );
      const acute = member('acute', { has_hypertension: true, bp_days_30d: 25, sbp_mean_30d: 166, bp_uncontrolled_share_30d: 0.9, sbp_slope_30d: 1.3 });
      const chronic = member('chronic', {
        has_diabetes: true,
        has_hypertension: true,
        has_heart_failure: true,
        has_ckd: true,
        ed_visits_90d: 3,
        ip_admissions_12m: 3,
        readmissions_30d_12m: 1,
        total_paid_12m: 140_000,
      });
      await writeFeatures(p, [...filler, chronic, acute]);
      await writeFeatures(p, [member('other-day', { sbp_mean_30d: 200 })], '2024-06-29'); // ignored: another as-of date

      const result = await scoreMembers(p.ctx, AS_OF, config);
      expect(result.members).toBe(100);
      expect(result.byTier).toEqual({ critical: 2, high: 8, elevated: 20, routine: 70 });

      const scores = await p.engine.query<{ person_id: string; rank: number; tier: string; program: string | null; reasons: string }>(
        'select person_id, rank, tier, program, reasons from scores where as_of_date = ? order by rank',
        [{ date: AS_OF }],
      );
      expect(scores.slice(0, 2)).toEqual([
        {
          person_id: 'acute',
          rank: 1,
          tier: 'critical',
          program: 'hypertension',
          reasons: JSON.stringify([
            'Average systolic 166 mmHg over the last 30 days (>= 160)',
            'Systolic rising 1.3 mmHg a day over 30 days (>= 1)',
            '90% of blood-pressure readings at or above 140/90 in the last 30 days (>= 50%)',
          ]),
        },
        // history points count toward no program, so the tie goes to the most acute condition
        expect.objectContaining({ person_id: 'chronic', rank: 2, tier: 'critical', program: 'heart_failure' }),
      ]);

      // flags: critical + high members with a program, ranked within each partner
      const flags = await p.engine.query<{ partner: string; person_id: string; rank: number }>(
        'select partner, person_id, rank from flags where as_of_date = ? order by partner, rank',
        [{ date: AS_OF }],
      );
      const highWithProgram = scores.filter((s) => (s.tier === 'critical' || s.tier === 'high') && s.program !== null);
      expect(flags.length).toBe(highWithProgram.length);
      expect(flags.filter((f) => f.partner === 'pressurepoint')).toEqual([{ partner: 'pressurepoint', person_id: 'acute', rank: 1 }]);
      expect(flags.filter((f) => f.partner === 'heartline')).toEqual([{ partner: 'heartline', person_id: 'chronic', rank: 1 }]);
      const sugar = flags.filter((f) => f.partner === 'sugarwise');
      expect(sugar.map((f) => f.rank)).toEqual(sugar.map((_, i) => i + 1));
      expect(result.flagged.reduce((s, f) => s + f.count, 0)).toBe(flags.length);
      expect(result.flagged[0]).toEqual({ partner: 'heartline', program: 'heart_failure', tier: 'critical', count: 1 });
    } finally {
      await p.close();
    }
  });

  test('an empty population writes empty scores and flags', async () => {
    const p = await tempPipeline();
    try {
      const result = await scoreMembers(p.ctx, AS_OF, config);
      expect(result).toEqual({
        asOf: AS_OF,
        members: 0,
        byTier: { critical: 0, high: 0, elevated: 0, routine: 0 },
        flagged: [],
        scoresKey: 'scores/as_of=2024-06-30/scores.parquet',
        flagsKey: 'flags/as_of=2024-06-30/flags.parquet',
      });
      expect(await p.store.exists(result.scoresKey)).toBe(true);
      expect(await p.engine.query('select * from scores')).toEqual([]);
    } finally {
      await p.close();
    }
  });
});
