/** `stratify report [--as-of D]`: write the HTML report of a scored date (the latest by default) and print its path. */
import { loadConfig } from '../../config/index.js';
import { asOfDates } from '../../report/data.js';
import { writeReport } from '../../report/index.js';
import { LocalFolderStore } from '../../store/local.js';
import { parseAsOf } from '../args.js';
import { CliError } from '../errors.js';
import { existingHome } from '../local.js';
import type { CommandRun } from '../registry.js';

export const run: CommandRun = async (flags) => {
  let config;
  try {
    config = loadConfig(flags.config as string | undefined);
  } catch (e) {
    throw new CliError((e as Error).message, 2, { cause: e });
  }
  const store = new LocalFolderStore(existingHome(flags.home as string | undefined));
  const dates = await asOfDates(store, 'scores/');
  const asOf = flags['as-of'] === undefined ? dates.at(-1) : parseAsOf(flags['as-of'] as string);
  if (asOf === undefined || !dates.includes(asOf)) {
    throw new CliError(`no scores${asOf ? ` for ${asOf}` : ''} in ${store.location} (scored dates: ${dates.join(', ') || 'none: run `stratify run` first'})`, 1);
  }
  const t0 = performance.now();
  const report = await writeReport(store, asOf, config);
  console.log(`Report of ${asOf}: ${report.pages} pages in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  console.log(`  open ${store.pathOf(report.index)}`);
  return 0;
};
