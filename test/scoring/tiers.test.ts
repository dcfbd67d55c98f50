import { describe, expect, test } from 'vitest';
import { scoreMembers } from '../../lib/pipeline/score.js';
import { rankAndTier } from '../../lib/scoring/tiers.js';
import { scores as scoresTable, zodSchema } from '../../lib/tables/index.js';
import { AS_OF, config, member, tempPipeline, writeFeatures } from './fixtures.js';

const id = (i: number): string => `p${String(i).padStart(3, '0')}`;
const count = (tiers: string[], t: string): number => tiers.filter((x) => x === t).length;

describe('rank and tier', () => {
  test('100 distinct scores split exactly 2 / 8 / 20 / 70', () => {
    const ranked = rankAndTier(Array.from({ length: 100 }, (_, i) => ({ person_id: id(i), score: i + 1, actionable: false })), config.tiers);
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
        { person_id: 'c', score: 5, actionable: false },
        { person_id: 'a', score: 5, actionable: false },
        { person_id: 'b', score: 9, actionable: false },
        { person_id: 'd', score: 1, actionable: false },
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

  test('actionable members rank above the others whatever their score; ties share the percentile only with their group', () => {
    const ranked = rankAndTier(
      [
        { person_id: 'fixed', score: 40, actionable: false },
        { person_id: 'alert', score: 11, actionable: true },
        { person_id: 'alert2', score: 11, actionable: true },
        { person_id: 'same', score: 11, actionable: false },
      ],
      config.tiers,
    );
    expect(ranked.map((r) => [r.person_id, r.rank, r.percentile])).toEqual([
      ['alert', 1, 100],
      ['alert2', 2, 100],
      ['fixed', 3, 50],
      ['same', 4, 25],
    ]);
  });

  test('members under the minimum score stay routine whatever their rank', () => {
    const ranked = rankAndTier(Array.from({ length: 100 }, (_, i) => ({ person_id: id(i), score: i < 95 ? 0 : 4, actionable: false })), config.tiers);
    expect(count(ranked.map((r) => r.tier), 'routine')).toBe(95);
  });

  test('an empty population ranks nobody', () => {
    expect(rankAndTier([], config.tiers)).toEqual([]);
  });
});

describe('score stage over DuckDB', () => {
  test('100 members: tiers, flags per partner, the acute member first, rising risk against the previous run', async () => {
    const p = await tempPipeline();
    try {
      const filler = Array.from({ length: 98 }, (_, i) => member(id(i), { has_diabetes: i % 2 === 0, dx_codes_12m: i % 2 === 0 ? 'E119' : '', age: 70 + (i % 20) }));
      const acuteNow = {
        has_hypertension: true,
        sbp_max_7d: 186,
        dbp_max_7d: 100,
        sbp_mean_30d: 152,
        dbp_mean_30d: 86,
        bp_days_30d: 25,
        sbp_slope_30d: 1.3,
      };
      const chronic = member('chronic', {
        has_diabetes: true,
        has_heart_failure: true,
        dx_codes_12m: 'E1122,I5030,N184',
        ip_admissions_12m: 3,
        readmissions_30d_12m: 1,
        total_paid_12m: 140_000,
      });
      // a week earlier the acute member had nothing but the demographic factor: 2.93
      await writeFeatures(p, [...filler, chronic, member('acute', { has_hypertension: true })], '2024-06-23');
      await scoreMembers(p.ctx, '2024-06-23', config);
      await writeFeatures(p, [...filler, chronic, member('acute', acuteNow)]);
      await writeFeatures(p, [member('other-day', { sbp_max_7d: 200, has_hypertension: true })], '2024-06-29'); // another as-of date: ignored

      const result = await scoreMembers(p.ctx, AS_OF, config);
      expect(result.members).toBe(100);
      expect(result.byTier).toEqual({ critical: 2, high: 8, elevated: 20, routine: 70 });

      const scores = await p.engine.query<{ person_id: string; rank: number; tier: string; program: string | null; score: number; score_change: number | null; previous_as_of: string | null; reasons: string }>(
        'select person_id, rank, tier, program, score, score_change, previous_as_of, reasons from scores where as_of_date = ? order by rank',
        [{ date: AS_OF }],
      );
      // acute: 2.93 demographic + 40 crisis + 8 uncontrolled = 50.93 without trend, up 48 on the week → 10, + 12 slope
      expect(scores[0]).toEqual({
        person_id: 'acute',
        rank: 1,
        tier: 'critical',
        program: 'hypertension',
        score: 72.93,
        score_change: 48,
        previous_as_of: '2024-06-23',
        reasons: JSON.stringify([
          'Blood pressure crisis: highest 186/100 mmHg in the last 7 days (>= 180/110) [urgent]',
          'Systolic rising 1.3 mmHg a day over 30 days (>= 1)',
          'Risk score up 48 points since the run of 2024-06-23 (>= 25)',
          'Blood pressure uncontrolled: average 152/86 mmHg over the last 30 days (>= 140/90) [moderate]',
          'CMS-HCC V28 risk score 0.37: no payment HCC; female, age 70-74 (community, non-dual, aged)',
        ]),
      });
      // every row holds to the scores table's definition (e.g. no empty strings in required columns)
      const stored = await p.engine.query('select * from scores where as_of_date = ?', [{ date: AS_OF }]);
      // the view adds the partition column as_of, as Athena's table does
      expect(stored.every((r) => r.as_of === AS_OF)).toBe(true);
      expect(zodSchema(scoresTable).array().safeParse(stored.map(({ as_of: _, ...r }) => r)).error).toBeUndefined();
      // the chronic member has the highest fixed risk: second, and matched to the more acute of their programs
      expect(scores[1]).toMatchObject({ person_id: 'chronic', rank: 2, tier: 'critical', program: 'heart_failure', score_change: 0 });

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
        excluded: {},
        setAside: [],
        transitionsOnly: 0,
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
