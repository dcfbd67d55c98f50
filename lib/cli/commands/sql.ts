/** `stratify sql "<query>"`: analysts query the curated, output and reference tables by the names Athena uses. */
import type { CommandRun } from '../registry.js';
import { CliError, usageError } from '../errors.js';
import { outputFormat, render } from '../format.js';
import { existingHome, openLocal } from '../local.js';

export const run: CommandRun = async (flags, positionals) => {
  const format = outputFormat(flags.format);
  if (positionals.length !== 1) throw usageError('expected one query in quotes');
  const ctx = await openLocal(existingHome(flags.home as string | undefined), () => {});
  try {
    const { columns, rows } = await ctx.engine.queryForDisplay(positionals[0]!);
    process.stdout.write(render(rows, format, { columns, wide: Boolean(flags.wide) }));
    return 0;
  } catch (e) {
    throw new CliError((e as Error).message, 1, { cause: e });
  } finally {
    await ctx.engine.close();
  }
};
