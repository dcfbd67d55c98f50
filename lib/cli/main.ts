/**
 * The `stratify` command. Each subcommand parses its own flags, opens the local default (folder + DuckDB + outbox)
 * under --home, and calls the pipeline in lib/. Errors print one line naming what is wrong; exit codes:
 * 0 success, 1 some input was rejected or a stage failed, 2 the command line was wrong.
 */
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { CliError, describeError } from './errors.js';
import { backtestCommand } from './commands/backtest.js';
import { demoCommand } from './commands/demo.js';
import { historyCommand } from './commands/history.js';
import { hccCommand } from './commands/hcc.js';
import { ingestCommand } from './commands/ingest.js';
import { runCommand } from './commands/run.js';
import { scorecardCommand } from './commands/scorecard.js';
import { sqlCommand } from './commands/sql.js';
import { worklistCommand } from './commands/worklist.js';

export type Flags = Record<string, string | boolean | undefined>;
export interface Command {
  readonly summary: string;
  readonly usage: string;
  readonly options: NonNullable<ParseArgsConfig['options']>;
  run(flags: Flags, positionals: string[]): Promise<number>;
}

const COMMON = {
  home: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

const COMMANDS: Record<string, Command> = {
  backtest: backtestCommand,
  demo: demoCommand,
  history: historyCommand,
  hcc: hccCommand,
  ingest: ingestCommand,
  run: runCommand,
  scorecard: scorecardCommand,
  sql: sqlCommand,
  worklist: worklistCommand,
};

function usage(): string {
  const lines = Object.entries(COMMANDS).map(([name, c]) => `  ${name.padEnd(9)} ${c.summary}`);
  return [
    'usage: stratify <command> [options]',
    '',
    ...lines,
    '',
    'Every command takes --home DIR (default: $STRATIFY_HOME or .stratify). `stratify <command> --help` for its options.',
  ].join('\n');
}

export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    console.log(usage());
    return name === undefined ? 2 : 0;
  }
  const command = COMMANDS[name];
  if (!command) throw new CliError(`unknown command '${name}'\n\n${usage()}`);
  let parsed;
  try {
    parsed = parseArgs({ args: rest, options: { ...COMMON, ...command.options }, allowPositionals: true, strict: true });
  } catch (e) {
    throw new CliError(`${(e as Error).message}\n\nusage: ${command.usage}`);
  }
  if (parsed.values.help) {
    console.log(`usage: ${command.usage}\n\n${command.summary}`);
    return 0;
  }
  return command.run(parsed.values as Flags, parsed.positionals);
}

const invokedDirectly = process.argv[1] && /(?:lib[\\/]cli[\\/]main\.ts|bin[\\/]stratify(?:\.js)?)$/.test(process.argv[1]);
if (invokedDirectly) {
  // `stratify sql … | head` closes the pipe early: stop quietly instead of printing a stack trace
  process.stdout.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code === 'EPIPE') process.exit(0);
    throw e;
  });
  main(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (e: unknown) => {
      if (e instanceof CliError) {
        console.error(`stratify: ${e.message}`);
        process.exitCode = e.exitCode;
      } else {
        console.error(`stratify: ${describeError(e)}`);
        if (process.env.STRATIFY_DEBUG) console.error(e);
        process.exitCode = 1;
      }
    },
  );
}
