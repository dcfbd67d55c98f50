/** `stratify run --as-of DATE`: the daily job on the local default (ingest new landing files, features, score, dispatch). */
import type { CommandRun, Flags } from '../registry.js';
import { landingLinks } from '../../ingest/sources.js';
import { failed } from '../../pipeline/ingest.js';
import { runMetrics } from '../../pipeline/metrics.js';
import { quarantineTotals, runPipeline, type RunResult } from '../../pipeline/run.js';
import { configFrom, parseAsOf, parseEncoding } from '../args.js';
import { mappingFrom } from './ingest.js';
import { lockHome } from '../home-lock.js';
import { openLocal, resolveHome } from '../local.js';
import { LocalFolderStore } from '../../store/local.js';
import { progressReporter } from '../progress.js';
import { reportLine, renderRunSummary } from '../summary.js';

export const run: CommandRun = async (flags) => {
  const mapping = flags.map === undefined ? undefined : await mappingFrom(String(flags.map));
  const encoding = parseEncoding(flags.encoding);
  const { asOf, config, home, progress, ctx, close } = await openRun(flags, 'run');
  try {
    // the local store lists regular files only: a link in landing/ is reported, not silently left out
    const links = (await landingLinks(home)).map(([file, why]) => failed(file, 'unknown', '', why));
    const run = await runPipeline(ctx, asOf, config, { encoding, ...(mapping === undefined ? {} : { mapping }) });
    const result = { ...run, ingest: [...run.ingest, ...links] };
    progress.end();
    // --json: the metrics the AWS functions publish to CloudWatch for the same run (lib/pipeline/metrics.ts)
    if (flags.json) process.stdout.write(`${JSON.stringify({ asOf: result.asOf, metrics: runMetrics(result) }, null, 2)}\n`);
    else {
      process.stdout.write(renderRunSummary(result, await quarantineTotals(ctx), home));
      process.stdout.write(await reportLine(ctx.store, asOf, config));
    }
    return runExitCode(result);
  } finally {
    await close();
  }
};

/** 1 when some input was rejected (a file not ingested, a member set aside) or a message failed to send */
export function runExitCode(result: RunResult): 0 | 1 {
  return result.ingest.some((r) => r.error) || result.score.setAside.length > 0 || result.dispatch.partners.some((p) => p.failed > 0) ? 1 : 0;
}

/**
 * What `run` and `demo` share: the as-of date and configuration checked, then the home locked (one run at a time,
 * lib/cli/home-lock.ts) and the local default opened with progress; `close` closes the engine and releases the lock.
 */
export async function openRun(flags: Flags, command: string) {
  const asOf = parseAsOf(flags['as-of'] as string | undefined);
  const config = configFrom(flags.config as string | undefined);
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
