/** `stratify run --as-of DATE`: the daily job on the local default (ingest new landing files, features, score, dispatch). */
import type { Command, Flags } from '../main.js';
import { loadConfig, type StratifyConfig } from '../../config/index.js';
import { quarantineTotals, runPipeline } from '../../pipeline/run.js';
import { CliError, parseAsOf } from '../errors.js';
import { mappingFrom } from './ingest.js';
import { lockHome } from '../home-lock.js';
import { openLocal, resolveHome } from '../local.js';
import { LocalFolderStore } from '../../store/local.js';
import { progressReporter } from '../progress.js';
import { renderRunSummary } from '../summary.js';

export const runCommand: Command = {
  summary: 'daily run: ingest new files in <home>/landing, build features, score, dispatch to partners',
  usage: 'stratify run [--as-of YYYY-MM-DD] [--config FILE] [--map mapping.json] [--home DIR]',
  options: { 'as-of': { type: 'string' }, config: { type: 'string', short: 'c' }, map: { type: 'string' } },
  async run(flags) {
    const mapping = flags.map === undefined ? undefined : await mappingFrom(String(flags.map));
    const { asOf, config, home, progress, ctx, close } = await openRun(flags, 'run');
    try {
      const result = await runPipeline(ctx, asOf, config, mapping === undefined ? {} : { mapping });
      progress.end();
      process.stdout.write(renderRunSummary(result, await quarantineTotals(ctx), home));
      return result.ingest.some((r) => r.error) || result.dispatch.partners.some((p) => p.failed > 0) ? 1 : 0;
    } finally {
      await close();
    }
  },
};

/**
 * What `run` and `demo` share: the as-of date and configuration checked, then the home locked (one run at a time,
 * lib/cli/home-lock.ts) and the local default opened with progress; `close` closes the engine and releases the lock.
 */
export async function openRun(flags: Flags, command: string) {
  const asOf = parseAsOf(flags['as-of'] as string | undefined);
  let config: StratifyConfig;
  try {
    config = loadConfig(flags.config as string | undefined);
  } catch (e) {
    throw new CliError((e as Error).message, 2, { cause: e });
  }
  const home = resolveHome(flags.home as string | undefined);
  const progress = progressReporter();
  const lock = await lockHome(new LocalFolderStore(home), command);
  try {
    const ctx = await openLocal(home, progress);
    const close = async () => {
      await ctx.engine.close();
      await lock.release();
    };
    return { asOf, config, home, progress, ctx, close };
  } catch (e) {
    await lock.release();
    throw e;
  }
}
