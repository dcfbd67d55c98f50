/** `stratify sql "<query>"`: analysts query the curated and output tables by the names Athena uses. */
import type { Command } from '../main.js';
import { CliError } from '../errors.js';
import { outputFormat, render } from '../format.js';
import { openLocal, resolveHome } from '../local.js';

export const sqlCommand: Command = {
  summary: 'run SQL over members, medical_claims, diagnoses, pharmacy_claims, observations, features, scores, flags',
  usage: 'stratify sql "<query>" [--format table|csv|json] [--home DIR]',
  options: { format: { type: 'string', short: 'f' } },
  async run(flags, positionals) {
    const format = outputFormat(flags.format);
    if (positionals.length !== 1) throw new CliError(`expected one query in quotes\n\nusage: ${this.usage}`);
    const ctx = await openLocal(resolveHome(flags.home as string | undefined), () => {});
    try {
      const rows = await ctx.engine.query(positionals[0]!);
      process.stdout.write(render(rows, format));
      return 0;
    } catch (e) {
      throw new CliError((e as Error).message, 1, { cause: e });
    } finally {
      await ctx.engine.close();
    }
  },
};
