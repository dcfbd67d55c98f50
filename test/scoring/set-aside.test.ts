/**
 * The score stage's second line of defence: a member the model cannot score (a feature out of its type or range, an
 * age CMS-HCC has no factor for) is set aside with a reason naming the member and the feature; everyone else is
 * scored, ranked and flagged as if that member were not there.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readTableRows } from '../../lib/parquet/reader.js';
import { scoreMembers, type ScoreResult } from '../../lib/pipeline/score.js';
import { flags, scores } from '../../lib/tables/index.js';
import { AS_OF, config, member, tempPipeline, writeFeatures, type TempPipeline } from './fixtures.js';

describe('score stage: one member the model cannot score is set aside', () => {
  let p: TempPipeline;
  let result: ScoreResult;
  // 24 rows: P01 the riskiest (a BP crisis), P02..P20 quiet, and four members the model cannot score
  const population = [
    member('P01', { has_hypertension: true, sbp_latest: 190, dbp_latest: 112, sbp_max_7d: 190, dbp_max_7d: 112, bp_days_30d: 20, reading_days_30d: 20 }),
    ...Array.from({ length: 19 }, (_, i) => member(`P${String(i + 2).padStart(2, '0')}`)),
    member('X1', { age: -4 }), // born after the as-of date (the reported birth date 2030-01-01)
    member('X2', { total_paid_12m: Infinity }), // a paid amount of 1e308 summed twice
    member('X3', { age: 126 }), // born in 1900: older than any CMS-HCC factor
    member('X4'),
    member('X4', { age: 71 }), // two feature rows for one member (it stopped the whole stage)
  ];

  beforeAll(async () => {
    p = await tempPipeline();
    await writeFeatures(p, population);
    result = await scoreMembers(p.ctx, AS_OF, config);
  });
  afterAll(() => p.close());

  it('scores everyone else and names each member set aside with the feature and the reason', () => {
    expect(result.members).toBe(20);
    expect(result.setAside).toEqual([
      { person_id: 'X1', reason: 'age -4: CMS-HCC cannot score it: expected whole years from 0 to 120' },
      { person_id: 'X2', reason: 'total_paid_12m Infinity: not a finite number' },
      { person_id: 'X3', reason: 'age 126: CMS-HCC cannot score it: expected whole years from 0 to 120' },
      { person_id: 'X4', reason: 'features hold 2 rows for this member: which one to score is unknown' },
    ]);
  });

  it('writes the members set aside into scores with their error and no score, and ranks the other 20 from 1', async () => {
    const rows = await readTableRows(p.store, scores, AS_OF);
    const aside = rows.filter((r) => r.error !== null).map((r) => [r.person_id, r.score, r.rank, r.tier, r.error]);
    expect(aside).toEqual([
      ['X1', null, null, null, 'age -4: CMS-HCC cannot score it: expected whole years from 0 to 120'],
      ['X2', null, null, null, 'total_paid_12m Infinity: not a finite number'],
      ['X3', null, null, null, 'age 126: CMS-HCC cannot score it: expected whole years from 0 to 120'],
      ['X4', null, null, null, 'features hold 2 rows for this member: which one to score is unknown'],
    ]);
    const ranked = rows.filter((r) => r.error === null).sort((a, b) => a.rank! - b.rank!);
    expect(ranked.map((r) => r.rank)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
    // P01 alone has an alert, so ranks first
    expect(ranked[0]!.person_id).toBe('P01');
  });

  it('still flags the members it scored', async () => {
    // P01: hypertension, rank 1 of 20: 1 > 2 % × 20 = 0.4 so not critical, 1 <= 10 % × 20 = 2 so high, which is dispatched
    const flagged = await readTableRows(p.store, flags, AS_OF);
    expect(flagged.map((f) => [f.person_id, f.program, f.tier])).toEqual([['P01', 'hypertension', 'high']]);
  });
});
