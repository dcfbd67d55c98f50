/**
 * The whole local pipeline on a small generated population: every input record is accounted for, every bad record
 * the generator planted is quarantined where it was planted, the deteriorating members are found and explained, a
 * backtest 181 days earlier is measured against what followed (AUC and lift printed), and a second run for the same
 * date sends nothing.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { linearRegression } from 'simple-statistics';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../lib/config/index.js';
import { generateDemo, type DemoTruth } from '../../lib/demo/index.js';
import { openLocal, type LocalContext } from '../../lib/cli/local.js';
import { backtest } from '../../lib/pipeline/backtest.js';
import { evaluateFlags } from '../../lib/pipeline/evaluate.js';
import { runPipeline, type RunResult } from '../../lib/pipeline/run.js';

const AS_OF = '2026-06-30';
const config = loadConfig();

describe('demo population end to end', () => {
  let home: string;
  let ctx: LocalContext;
  let truth: DemoTruth;
  let first: RunResult;

  beforeAll(async () => {
    home = await mkdtemp(join(tmpdir(), 'stratify-e2e-'));
    ctx = await openLocal(home, () => {});
    truth = await generateDemo(ctx.store, { members: 3000, seed: 11, asOf: AS_OF });
    first = await runPipeline(ctx, AS_OF, config);
  });
  afterAll(async () => {
    await ctx.engine.close();
    await rm(home, { recursive: true, force: true });
  });

  it('accounts for every record of every landing file', async () => {
    expect(first.ingest.length).toBe(truth.files.filter((f) => f.key.startsWith('landing/')).length);
    for (const r of first.ingest) {
      expect(r.error).toBeUndefined();
      expect(r.read).toBe(r.accepted + r.quarantined + r.skippedRecords);
      const planted = truth.files.find((f) => f.key.endsWith(r.file.split('/').at(-1)!));
      expect(r.read).toBe(planted!.records);
    }
  });

  it('counts the claims the payer resent once: every line of the resend replaced the earlier delivery', async () => {
    const resend = first.ingest.find((r) => r.file.endsWith('medical_claim_resent.csv'))!;
    expect(resend.accepted).toBeGreaterThan(0);
    expect(resend.replaced).toEqual({ medical_claims: resend.accepted });
    const main = first.ingest.find((r) => r.file.endsWith('medical_claim.csv'))!;
    // ingested in the same run before the resend, the main file replaced nothing
    expect(main.replaced).toEqual({ medical_claims: 0 });
    // the lines of the main file, not main + resend
    expect(await ctx.engine.query('select count(*) as n from medical_claims')).toEqual([{ n: main.accepted }]);
  });

  it('quarantines every planted bad record at its file, record number and field', async () => {
    const quarantined = new Set<string>();
    for (const { key } of await ctx.store.list('quarantine/')) {
      for (const line of (await readFile(ctx.store.pathOf(key), 'utf8')).split('\n').filter(Boolean)) {
        const q = JSON.parse(line) as { file: string; record: number; field: string };
        quarantined.add(`${q.file.split('/').at(-1)}#${q.record}`);
      }
    }
    expect(truth.badRecords.length).toBeGreaterThan(0);
    const missing = truth.badRecords.filter((b) => !quarantined.has(`${b.file.split('/').at(-1)}#${b.record}`));
    expect(missing).toEqual([]);
  });

  it('builds one feature row per enrolled member and scores them all', async () => {
    const [row] = await ctx.engine.query<{ n: number; scored: number }>(
      'select (select count(*) from features where as_of_date = ?) as n, (select count(*) from scores where as_of_date = ?) as scored',
      [{ date: AS_OF }, { date: AS_OF }],
    );
    expect(row!.n).toBe(first.features.members);
    expect(row!.scored).toBe(row!.n);
    expect(row!.n).toBeGreaterThan(2700);
    expect(row!.n).toBeLessThanOrEqual(3000);
  });

  it("computes the systolic slope as simple-statistics' least squares does, from the members' own readings", async () => {
    const risers = truth.deteriorating.filter((d) => d.signals.includes('rising_bp')).slice(0, 5);
    expect(risers.length).toBeGreaterThan(0);
    for (const { person_id } of risers) {
      const readings = await ctx.engine.query<{ x: number; y: number }>(
        `select date_diff('day', date_add('day', -29, ?), cast(observed_at as date)) as x, value as y from observations
          where person_id = ? and loinc_code = '8480-6' and source = 'device'
            and cast(observed_at as date) between date_add('day', -29, ?) and ?`,
        [{ date: AS_OF }, { string: person_id }, { date: AS_OF }, { date: AS_OF }],
      );
      const [f] = await ctx.engine.query<{ sbp_slope_30d: number }>('select sbp_slope_30d from features where person_id = ? and as_of_date = ?', [
        { string: person_id },
        { date: AS_OF },
      ]);
      const { m } = linearRegression(readings.map((r) => [r.x, r.y]));
      expect(f!.sbp_slope_30d).toBeCloseTo(m, 9);
      expect(m).toBeGreaterThan(0.5);
    }
  });

  it('finds at least 90% of the deteriorating members', async () => {
    const ev = await evaluateFlags(ctx.engine, AS_OF, truth.deteriorating.map((d) => d.person_id));
    console.log(`recall ${ev.found}/${ev.expected} = ${(100 * ev.recall).toFixed(1)}%, precision ${ev.found}/${ev.flagged} = ${(100 * ev.precision).toFixed(1)}%`);
    expect(ev.expected).toBeGreaterThan(40);
    expect(ev.recall).toBeGreaterThanOrEqual(0.9);
  });

  it('reads the claims as payers send them: header amounts once, reversals netted, lab-only codes set aside, routing by risk', async () => {
    const dq = (name: string) => first.dataQuality.filter((r) => r.check_name === name);
    // the generator repeats each institutional claim's amount on its lines: detected, counted once per claim
    // (and in the file that resends 2 % of the claims)
    expect(dq('amounts')).toMatchObject([
      { scope: 'landing/medical_claim.csv', value: 1 },
      { scope: 'landing/medical_claim_resent.csv', value: 1 },
    ]);
    // the resent lines are re-deliveries the data-quality view counts
    expect(dq('redelivered_lines')[0]!.value).toBeGreaterThan(0);
    expect(dq('amounts')[0]!.detail).toMatch(/^header amounts \(detected header/);
    // 2 % of claims are reversed (and replaced): they net to 0
    const [reversed] = dq('fully_reversed_claims');
    expect(reversed!.value! / Number(/of (\d+) claims/.exec(reversed!.detail!)![1])).toBeCloseTo(0.02, 2);
    // the total paid counts each institutional claim once: summing the lines would give at least twice as much
    const [paid] = await ctx.engine.query<{ once: number; summed: number }>(
      `select (select sum(total_paid_12m) from features where as_of_date = ?) as once,
              (select sum(paid_amount) from medical_claims where claim_start_date > date '2025-06-30') as summed`,
      [{ date: AS_OF }],
    );
    expect(paid!.summed / paid!.once).toBeGreaterThan(2);
    // a lab's rule-out codes are set aside with their reason; new enrollees are those with no diagnosis history
    const [codes] = await ctx.engine.query<{ set_aside: number; ne_with_dx: number }>(
      `select count(case when dx_set_aside_from like '%independent laboratory%' then 1 end) as set_aside,
              count(case when enrolled_months_12m < 12 and dx_codes_12m <> '' and s.hcc_segment = 'NE' then 1 end) as ne_with_dx
       from features f join scores s on f.person_id = s.person_id and s.as_of_date = f.as_of_date where f.as_of_date = ?`,
      [{ date: AS_OF }],
    );
    expect(codes!.set_aside).toBeGreaterThan(0);
    expect(codes!.ne_with_dx).toBe(0);
    // the metastatic-cancer members lead with a risk no program owns: listed for review, sent to no partner
    const review = await ctx.engine.query<{ person_id: string }>(
      `select s.person_id from scores s where s.as_of_date = ? and s.routing like 'review:%' and s.tier in ('critical', 'high')`,
      [{ date: AS_OF }],
    );
    expect(review.length).toBeGreaterThan(0);
    const flagged = await ctx.engine.query<{ n: number }>(
      `select count(*) as n from flags f join scores s on f.person_id = s.person_id and f.as_of_date = s.as_of_date where s.routing like 'review:%'`,
    );
    expect(Number(flagged[0]!.n)).toBe(0);
  });

  it('explains the worklists with CMS-HCC categories, comorbidity and monitoring alerts', async () => {
    const rows = await ctx.engine.query<{ person_id: string; reasons: string }>('select person_id, reasons from flags where as_of_date = ?', [{ date: AS_OF }]);
    const reasons = rows.flatMap((r) => JSON.parse(r.reasons) as string[]);
    const share = (re: RegExp) => rows.filter((r) => re.test(r.reasons)).length / rows.length;
    console.log(
      `flagged ${rows.length}: HCC reason ${(100 * share(/CMS-HCC V28 risk score/)).toFixed(0)}%, ` +
        `Charlson reason ${(100 * share(/Charlson index/)).toFixed(0)}%, alert ${(100 * share(/\[(urgent|high|moderate)\]/)).toFixed(0)}%`,
    );
    expect(reasons.some((r) => /^CMS-HCC V28 risk score \d+\.?\d*: .*\(HCC\d+\)/.test(r))).toBe(true);
    expect(reasons.some((r) => /^Charlson index \d+ \(Quan 2011 weights\): \w/.test(r))).toBe(true);
    expect(reasons.some((r) => r.endsWith('[urgent]') || r.endsWith('[high]'))).toBe(true);
    expect(share(/CMS-HCC V28 risk score/)).toBe(1); // every member carries their prospective risk
    // every deteriorating member on a worklist is there with a monitoring alert or a rising trend, not fixed risk alone
    const found = new Set(truth.deteriorating.map((d) => d.person_id));
    const monitored = rows.filter((r) => found.has(r.person_id));
    expect(monitored.length).toBeGreaterThan(0);
    expect(monitored.filter((r) => !/\[(urgent|high|moderate)\]|rising/.test(r.reasons))).toEqual([]);
  });

  it('backtests the ranking 181 days before the as-of date against the admissions and ED visits that followed', async () => {
    const T = '2025-12-31';
    const r = await backtest(ctx, T, config);
    const top = r.lift.find((t) => t.tier === 'critical')!;
    const high = r.lift.find((t) => t.tier === 'high')!;
    console.log(
      `backtest at ${T}: ${r.members} members, ${r.withAcuteEvent} with an admission or ED visit by ${r.windowEnd} (${r.withAdmission} admitted); ` +
        `AUC ${r.aucAcute?.toFixed(3)} (admission ${r.aucAdmission?.toFixed(3)}); lift critical ${top.lift?.toFixed(2)} (${top.events}/${top.members}), ` +
        `high ${high.lift?.toFixed(2)} (${high.events}/${high.members}); score alone AUC ${r.aucAcuteScoreOnly?.toFixed(3)}; ` +
        `decile rates ${r.calibration.map((d) => (100 * d.observedRate).toFixed(0)).join(' ')}`,
    );
    expect(r.dataThrough! >= r.windowEnd).toBe(true); // the demo's claims cover the whole window
    expect(r.members).toBeGreaterThan(2500);
    expect(r.withAcuteEvent).toBeGreaterThan(100);
    expect(r.aucAcute!).toBeGreaterThan(0.6);
    // the dispatched tiers (critical and high) see events at well above the population's rate
    const dispatched = (top.events + high.events) / (top.members + high.members);
    expect(dispatched / (r.withAcuteEvent / r.members)).toBeGreaterThan(1.3);
    // a useful ranking: the top decile sees more events than the bottom one
    expect(r.calibration[0]!.observedRate).toBeGreaterThan(r.calibration[9]!.observedRate);
  });

  it('routes a deteriorating member to the partner of their program', async () => {
    const rows = await ctx.engine.query<{ person_id: string; program: string }>('select person_id, program from flags where as_of_date = ?', [
      { date: AS_OF },
    ]);
    const programOf = new Map(rows.map((r) => [r.person_id, r.program]));
    const matched = truth.deteriorating.filter((d) => programOf.get(d.person_id) === d.program).length;
    expect(matched / truth.deteriorating.length).toBeGreaterThanOrEqual(0.8);
  });

  it('writes one worklist per partner and sends nothing twice on a rerun', async () => {
    for (const p of config.partners) {
      expect(await ctx.store.exists(`worklists/as_of=${AS_OF}/${p.name}.csv`)).toBe(true);
    }
    const sentFirst = first.dispatch.partners.reduce((s, p) => s + p.sent, 0);
    expect(sentFirst).toBeGreaterThan(0);
    const outboxLines = async () => {
      let n = 0;
      for (const { key } of await ctx.store.list('outbox/')) n += (await readFile(ctx.store.pathOf(key), 'utf8')).split('\n').filter(Boolean).length;
      return n;
    };
    expect(await outboxLines()).toBe(sentFirst);
    const second = await runPipeline(ctx, AS_OF, config);
    expect(second.ingest.every((r) => r.skipped === 'already-ingested')).toBe(true);
    expect(second.dispatch.partners.reduce((s, p) => s + p.sent, 0)).toBe(0);
    expect(await outboxLines()).toBe(sentFirst);
  });
});
