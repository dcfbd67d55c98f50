/** `stratify scorecard`: per partner, what was sent and what the partner reported back (lib/scoring/scorecard.ts). */
import type { CommandRun } from '../registry.js';
import { loadConfig } from '../../config/index.js';
import { readFeedback } from '../../queue/feedback.js';
import { readLedger } from '../../queue/ledger.js';
import { scorecard } from '../../scoring/scorecard.js';
import { LocalFolderStore } from '../../store/local.js';
import { CliError } from '../errors.js';
import { outputFormat, render } from '../format.js';
import { existingHome } from '../local.js';

export const run: CommandRun = async (flags) => {
  const format = outputFormat(flags.format);
  let partners: string[];
  try {
    partners = loadConfig(flags.config as string | undefined).partners.map((p) => p.name);
  } catch (e) {
    throw new CliError((e as Error).message, 2, { cause: e });
  }
  const only = flags.partner as string | undefined;
  if (only !== undefined && !partners.includes(only)) throw new CliError(`--partner ${only}: not in the configuration (partners: ${partners.join(', ')})`);
  const store = new LocalFolderStore(existingHome(flags.home as string | undefined));
  const rows = [];
  for (const name of only ? [only] : partners) {
    rows.push(scorecard(name, (await readLedger(store, name)).records, (await readFeedback(store, name)).records));
  }
  process.stdout.write(render(rows, format));
  return 0;
};
