/**
 * `stratify demo`: generate a synthetic population into <home>/landing, run the whole pipeline on it, and show what
 * a daily run produces, plus how many of the members the generator made deteriorate were flagged.
 * Running it again with the same flags changes nothing and sends nothing twice; other flags start the demo afresh.
 */
import type { Command } from '../main.js';
import { generateDemo, TRUTH_KEY, type DemoTruth } from '../../demo/index.js';
import { evaluateFlags } from '../../pipeline/evaluate.js';
import { quarantineTotals, runPipeline } from '../../pipeline/run.js';
import type { ObjectStore } from '../../store/port.js';
import { CliError, parsePositiveInt } from '../errors.js';
import { renderRunSummary } from '../summary.js';
import { openRun } from './run.js';

/** the folders a demo run writes; cleared when the demo starts afresh */
const DEMO_PREFIXES = ['landing/', 'curated/', 'quarantine/', 'manifests/', 'ingesting/', 'features/', 'scores/', 'flags/', 'worklists/', 'outbox/', 'dispatch/', 'feedback/', 'demo/'];

async function previousTruth(store: ObjectStore): Promise<DemoTruth | undefined> {
  if (!(await store.exists(TRUTH_KEY))) return undefined;
  return JSON.parse(new TextDecoder().decode(await store.get(TRUTH_KEY))) as DemoTruth;
}

async function clear(store: ObjectStore): Promise<void> {
  for (const prefix of DEMO_PREFIXES) for (const { key } of await store.list(prefix)) await store.delete(key);
}

export const demoCommand: Command = {
  summary: 'generate a synthetic population and run the whole pipeline on it (what `npm start` runs)',
  usage: 'stratify demo [--members N] [--seed N] [--as-of YYYY-MM-DD] [--config FILE] [--home DIR]',
  options: {
    members: { type: 'string', short: 'n' },
    seed: { type: 'string' },
    'as-of': { type: 'string' },
    config: { type: 'string', short: 'c' },
  },
  async run(flags) {
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
      const result = await runPipeline(ctx, asOf, config);
      progress.end();
      const out = process.stdout;
      out.write(renderRunSummary(result, await quarantineTotals(ctx), home));
      const ev = await evaluateFlags(ctx.engine, asOf, truth.deteriorating.map((d) => d.person_id));
      out.write(
        `\nKnown deteriorating members (made so by the generator): ${ev.found} of ${ev.expected} flagged ` +
          `(recall ${(100 * ev.recall).toFixed(1)}%); they are ${ev.found} of the ${ev.flagged} members flagged ` +
          `(precision ${(100 * ev.precision).toFixed(1)}%).\n`,
      );
      if (same) out.write('Same demo as last time: nothing new was ingested, and nothing was sent twice.\n');
      return 0;
    } finally {
      await close();
    }
  },
};
