/**
 * How well a ranking foresaw what happened next (pure): members scored at a date T, each with an observed outcome
 * over T..T+180 days (an admission or ED visit).
 *
 * - AUC: the probability that a member with the outcome is ranked above one without, ties counting one half. It is
 *   the Mann-Whitney U statistic divided by n₁·n₀: U = R₁ − n₁(n₁+1)/2 with R₁ the sum of the ranks (ascending
 *   risk, tied members sharing their mean rank) of the n₁ members with the outcome.
 * - Lift by tier: the outcome rate of the tier divided by the population's.
 * - Calibration by decile of the ranking: decile 1 is the top 10% of ranks; predicted = the mean score of the
 *   decile, observed = its outcome rate. A useful ranking shows observed rates falling from decile 1 to 10.
 */
import { byRisk, type Rankable } from './tiers.js';
import { TIERS } from './vocabulary.js';

export interface Scored extends Rankable {
  readonly rank: number;
  readonly tier: string;
  /** the outcome happened in the window */
  readonly outcome: boolean;
}

/** Mann-Whitney AUC over the ranking order (actionable, then score); null when a class is empty. */
export function auc<T extends Rankable>(members: readonly T[], outcome: (m: T) => boolean): number | null {
  const sorted = [...members].sort((a, b) => byRisk(b, a)); // ascending risk
  let positives = 0;
  let rankSum = 0;
  for (let i = 0; i < sorted.length; ) {
    let j = i;
    while (j + 1 < sorted.length && byRisk(sorted[i]!, sorted[j + 1]!) === 0) j++;
    const meanRank = (i + 1 + (j + 1)) / 2;
    for (let k = i; k <= j; k++) {
      if (outcome(sorted[k]!)) {
        positives++;
        rankSum += meanRank;
      }
    }
    i = j + 1;
  }
  const negatives = sorted.length - positives;
  if (positives === 0 || negatives === 0) return null;
  return (rankSum - (positives * (positives + 1)) / 2) / (positives * negatives);
}

export interface TierLift {
  readonly tier: string;
  readonly members: number;
  readonly events: number;
  readonly rate: number;
  /** rate / population rate; null when the population has no event */
  readonly lift: number | null;
}

const rate = (events: number, n: number): number => (n === 0 ? 0 : events / n);

export function liftByTier(members: readonly Scored[]): TierLift[] {
  const overall = rate(members.filter((m) => m.outcome).length, members.length);
  return TIERS.map((tier) => {
    const mine = members.filter((m) => m.tier === tier);
    const events = mine.filter((m) => m.outcome).length;
    const r = rate(events, mine.length);
    return { tier, members: mine.length, events, rate: r, lift: overall === 0 ? null : r / overall };
  });
}

export interface Decile {
  readonly decile: number;
  /** ranks covered, 1 = top */
  readonly ranks: readonly [number, number];
  readonly members: number;
  readonly meanScore: number;
  readonly observedRate: number;
}

/** Ten bands of (nearly) equal size by rank: band d holds ranks ⌊(d−1)n/10⌋+1 .. ⌊dn/10⌋. */
export function calibration(members: readonly Scored[]): Decile[] {
  const sorted = [...members].sort((a, b) => a.rank - b.rank);
  const n = sorted.length;
  const out: Decile[] = [];
  for (let d = 1; d <= 10; d++) {
    const band = sorted.slice(Math.floor(((d - 1) * n) / 10), Math.floor((d * n) / 10));
    if (band.length === 0) continue;
    out.push({
      decile: d,
      ranks: [band[0]!.rank, band.at(-1)!.rank],
      members: band.length,
      meanScore: band.reduce((s, m) => s + m.score, 0) / band.length,
      observedRate: rate(band.filter((m) => m.outcome).length, band.length),
    });
  }
  return out;
}
