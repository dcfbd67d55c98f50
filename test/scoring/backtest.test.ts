/** Backtest statistics on populations small enough to work out by hand. */
import { describe, expect, test } from 'vitest';
import { auc, calibration, liftByTier, type Scored } from '../../lib/scoring/backtest.js';

const scored = (scores: number[], outcomes: boolean[], tiers: string[] = [], actionable: boolean[] = []): Scored[] =>
  scores.map((score, i) => ({ person_id: `p${i}`, score, rank: i + 1, tier: tiers[i] ?? 'routine', outcome: outcomes[i]!, actionable: actionable[i] ?? false }));
const byOutcome = (m: Scored) => m.outcome;

describe('AUC (Mann-Whitney)', () => {
  test('3 positives and 3 negatives, one pair out of order: 8/9', () => {
    // ranked 6 5 4 3 2 1: positives at 6, 5, 3; negatives at 4, 2, 1 → pairs won 3 + 3 + 2 = 8 of 9
    expect(auc(scored([6, 5, 4, 3, 2, 1], [true, true, false, true, false, false]), byOutcome)).toBeCloseTo(8 / 9, 12);
  });

  test('perfect, reversed, and ties counting one half', () => {
    expect(auc(scored([3, 2, 1], [true, false, false]), byOutcome)).toBe(1);
    expect(auc(scored([3, 2, 1], [false, false, true]), byOutcome)).toBe(0);
    // the positive ties with one of two negatives and beats the other: (1 + 0.5) / 2
    expect(auc(scored([2, 2, 1], [true, false, false]), byOutcome)).toBe(0.75);
  });

  test('the order is the ranking: an actionable member ranks above a higher fixed score', () => {
    // p0 fixed 50 (no event), p1 actionable 10 (event): the ranking puts p1 first, so the AUC is 1
    expect(auc(scored([50, 10], [false, true], [], [false, true]), byOutcome)).toBe(1);
  });

  test('undefined when a class is empty', () => {
    expect(auc(scored([2, 1], [false, false]), byOutcome)).toBeNull();
    expect(auc(scored([2, 1], [true, true]), byOutcome)).toBeNull();
  });
});

describe('lift by tier', () => {
  test('rate of the tier over the population rate', () => {
    // 10 members, 3 events (rate 0.3): critical 1 of 1, high 1 of 2, elevated 0 of 2, routine 1 of 5
    const tiers = ['critical', 'high', 'high', 'elevated', 'elevated', 'routine', 'routine', 'routine', 'routine', 'routine'];
    const events = [true, true, false, false, false, true, false, false, false, false];
    const lift = liftByTier(scored([10, 9, 8, 7, 6, 5, 4, 3, 2, 1], events, tiers));
    expect(lift.map((t) => [t.tier, t.members, t.events])).toEqual([
      ['critical', 1, 1],
      ['high', 2, 1],
      ['elevated', 2, 0],
      ['routine', 5, 1],
    ]);
    expect(lift.map((t) => t.lift)).toEqual([1 / 0.3, 0.5 / 0.3, 0, 0.2 / 0.3].map((x) => expect.closeTo(x, 12)));
  });
});

describe('calibration by decile of the ranking', () => {
  test('20 members: ten bands of two, mean score and observed rate each', () => {
    const scores = Array.from({ length: 20 }, (_, i) => 20 - i); // 20 … 1
    const events = scores.map((_, i) => i < 3 || i === 10); // ranks 1, 2, 3 and 11
    const deciles = calibration(scored(scores, events));
    expect(deciles).toHaveLength(10);
    expect(deciles[0]).toEqual({ decile: 1, ranks: [1, 2], members: 2, meanScore: 19.5, observedRate: 1 });
    expect(deciles[1]).toEqual({ decile: 2, ranks: [3, 4], members: 2, meanScore: 17.5, observedRate: 0.5 });
    expect(deciles[5]).toEqual({ decile: 6, ranks: [11, 12], members: 2, meanScore: 9.5, observedRate: 0.5 });
    expect(deciles[9]).toEqual({ decile: 10, ranks: [19, 20], members: 2, meanScore: 1.5, observedRate: 0 });
  });
});
