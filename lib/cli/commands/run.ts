/** `stratify run --as-of DATE`: the daily job on the local default (ingest new landing files, features, score, dispatch). */
import type { Command } from '../main.js';
import { loadConfig } from '../../config/index.js';
import { quarantineTotals, runPipeline } from '../../pipeline/run.js';
import { CliError, parseAsOf } from '../errors.js';
import { openLocal, resolveHome } from '../local.js';
import { progressReporter } from '../progress.js';
import { renderRunSummary } from '../summary.js';

export const runCommand: Command = {
  summary: 'daily run: ingest new files in <home>/landing, build features, score, dispatch to partners',
  usage: 'stratify run [--as-of YYYY-MM-DD] [--config FILE] [--home DIR]',
  options: { 'as-of': { type: 'string' }, config: { type: 'string', short: 'c' } },
  async run(flags) {
    const asOf = parseAsOf(flags['as-of'] as string | undefined);
    const config = loadConfigOrExplain(flags.config as string | undefined);
    const home = resolveHome(flags.home as string | undefined);
    const progress = progressReporter();
    const ctx = await openLocal(home, progress);
    try {
      const result = await runPipeline(ctx, asOf, config);
      progress.end();
      process.stdout.write(renderRunSummary(result, await quarantineTotals(ctx), home));
      return result.ingest.some((r) => r.error) || result.dispatch.partners.some((p) => p.failed > 0) ? 1 : 0;
    } finally {
      await ctx.engine.close();
    }
  },
};

export function loadConfigOrExplain(path: string | undefined): ReturnType<typeof loadConfig> {
  try {
    return loadConfig(path);
  } catch (e) {
    throw new CliError((e as Error).message, 2, { cause: e });
  }
}
