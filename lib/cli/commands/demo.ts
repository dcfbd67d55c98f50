/**
 * `stratify demo`: generate a synthetic population into <home>/landing, run the whole pipeline on it, and show what
 * a daily run produces, plus how many of the members the generator made deteriorate were flagged.
 * Running it again with the same flags changes nothing and sends nothing twice; other flags start the demo afresh.
 */
import type { CommandRun } from '../registry.js';
import { addDays } from '../../dates.js';
import { writeDemoFeedback } from '../../demo/feedback.js';
import { generateDemo, TRUTH_KEY, type DemoTruth } from '../../demo/index.js';
import { evaluateFlags } from '../../pipeline/evaluate.js';
import { quarantineTotals, runPipeline } from '../../pipeline/run.js';
import type { ObjectStore } from '../../store/port.js';
import { parsePositiveInt } from '../args.js';
import { CliError } from '../errors.js';
import { reportLine, renderRunSummary } from '../summary.js';
import { openRun } from './run.js';

/** the demo runs the pipeline a week before its as-of date too, as the daily job would have */
const PREVIOUS_RUN_DAYS = 7;

/** the folders a demo run writes; cleared when the demo starts afresh */
const DEMO_PREFIXES = ['landing/', 'curated/', 'quarantine/', 'manifests/', 'ingesting/', 'known/', 'features/', 'scores/', 'flags/', 'worklists/', 'outbox/', 'dispatch/', 'feedback/', 'demo/', 'reports/'];

async function previousTruth(store: ObjectStore): Promise<DemoTruth | undefined> {
  if (!(await store.exists(TRUTH_KEY))) return undefined;
  return JSON.parse(new TextDecoder().decode(await store.get(TRUTH_KEY))) as DemoTruth;
}

async function clear(store: ObjectStore): Promise<void> {
  for (const prefix of DEMO_PREFIXES) for (const { key } of await store.list(prefix)) await store.delete(key);
}

export const run: CommandRun = async (flags) => {
  const members = parsePositiveInt('members', flags.members as string | undefined, 10_000);
  const seed = parsePositiveInt('seed', flags.seed as string | undefined, 42);
  const { asOf, config, home, progress, ctx, close } = await openRun(flags, 'demo');
  try {
    const before = await previousTruth(ctx.store);
    const same = before && before.members === members && before.seed === seed && before.asOf === asOf;
    if (!before && (await ctx.store.list('curated/')).length > 0) {
      throw new CliError(`${home} holds data the demo did not write; give the demo its own folder with --home`);
    }
    let truth = before;
    if (!same || !truth) {
      await clear(ctx.store);
      truth = await generateDemo(ctx.store, { members, seed, asOf, progress });
    }
    // last week's run first, and what the partners reported about the members it sent, so today's run shows
    // rising risk, suppression by feedback and a scorecard with outcomes
    const lastWeek = addDays(asOf, -PREVIOUS_RUN_DAYS);
    await runPipeline(ctx, lastWeek, config);
    await writeDemoFeedback(ctx.store, config, seed, lastWeek, addDays(asOf, -1));
    const result = await runPipeline(ctx, asOf, config);
    progress.end();
    const out = process.stdout;
    out.write(renderRunSummary(result, await quarantineTotals(ctx), home));
    const ev = await evaluateFlags(ctx.engine, asOf, truth.deteriorating.map((d) => d.person_id));
    // last week's run sent some of them already, and their partner has enrolled them since: off today's lists, yet found
    const enrolled = await ctx.engine.query<{ person_id: string }>("select person_id from scores where as_of_date = ? and exclusion = 'enrolled'", [{ date: asOf }]);
    const deteriorating = new Set(truth.deteriorating.map((d) => d.person_id));
    const alreadyEnrolled = enrolled.filter((e) => deteriorating.has(e.person_id)).length;
    const found = ev.found + alreadyEnrolled;
    out.write(
      `\nKnown deteriorating members (made so by the generator): ${found} of ${ev.expected} found ` +
        `(recall ${ev.expected === 0 ? 0 : ((100 * found) / ev.expected).toFixed(1)}%): ${ev.found} flagged today, ${alreadyEnrolled} enrolled by their partner ` +
        `since last week's run; the ${ev.found} are ${(100 * ev.precision).toFixed(1)}% of the ${ev.flagged} members flagged (precision).\n`,
    );
    if (same) out.write('Same demo as last time: nothing new was ingested, and nothing was sent twice.\n');
    out.write(await reportLine(ctx.store, asOf, config));
    return 0;
  } finally {
    await close();
  }
};
