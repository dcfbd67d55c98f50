/**
 * The `stratify` command. main() reads the registry (lib/cli/registry.ts), checks the flags, and only then imports
 * the one command that runs, so help and mistakes answer at once. Errors print one line naming what is wrong; exit
 * codes: 0 success, 1 some input was rejected or a stage failed, 2 the command line was wrong.
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { assetPath } from '../assets.js';
import { CliError } from './errors.js';
import { outputFormat } from './format.js';
import { commandHelp, nearest, overview } from './help.js';
import { COMMANDS, COMMON_FLAGS, parseOptions, type Flags } from './registry.js';

export function version(): string {
  return (JSON.parse(readFileSync(assetPath('package.json'), 'utf8')) as { version: string }).version;
}

function unknownCommand(name: string): CliError {
  const guess = nearest(name, Object.keys(COMMANDS));
  return new CliError(`unknown command '${name}'${guess ? ` (did you mean \`${guess}\`?)` : ''}\n\n${overview(version())}`);
}

export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h') {
    console.log(overview(version()));
    return name === undefined ? 2 : 0;
  }
  if (name === '--version' || name === '-V') {
    console.log(version());
    return 0;
  }
  if (name === 'help') {
    const topic = rest[0];
    if (topic === undefined) console.log(overview(version()));
    else if (COMMANDS[topic]) console.log(commandHelp(COMMANDS[topic]));
    else throw unknownCommand(topic);
    return 0;
  }
  const spec = Object.hasOwn(COMMANDS, name) ? COMMANDS[name] : undefined;
  if (!spec) throw unknownCommand(name);
  let parsed;
  try {
    parsed = parseArgs({ args: rest, options: parseOptions(spec), allowPositionals: true, strict: true });
  } catch (e) {
    const unknown = /Unknown option '(-{1,2})([^']+)'/.exec((e as Error).message);
    const guess = unknown ? nearest(unknown[2]!, Object.keys({ ...spec.flags, ...COMMON_FLAGS })) : undefined;
    const message = unknown ? `unknown option '${unknown[1]}${unknown[2]}'${guess ? ` (did you mean --${guess}?)` : ''}` : (e as Error).message;
    throw new CliError(`${message}\n\nusage: ${spec.usage}   (\`stratify help ${name}\` for the options)`);
  }
  const flags = parsed.values as Flags;
  if (flags.help) {
    console.log(commandHelp(spec));
    return 0;
  }
  if ('format' in spec.flags) outputFormat(flags.format);
  const run = await spec.load();
  try {
    return await run(flags, parsed.positionals);
  } catch (e) {
    if (e instanceof CliError && e.showUsage) throw new CliError(`${e.message}\n\nusage: ${spec.usage}`, e.exitCode, { cause: e });
    throw e;
  }
}
