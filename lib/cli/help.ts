/** The help texts of `stratify`: the list of commands, and each command's flags with their descriptions and examples. */
import { closest, distance } from 'fastest-levenshtein';
import { COMMANDS, COMMON_FLAGS, type CommandSpec, type FlagSpec } from './registry.js';

export function overview(version: string): string {
  const width = Math.max(...Object.keys(COMMANDS).map((n) => n.length));
  return [
    `stratify ${version}: find the chronically ill members sliding toward the hospital and hand them to the partner who can help`,
    '',
    'usage: stratify <command> [options]',
    '',
    ...Object.entries(COMMANDS).map(([name, c]) => `  ${name.padEnd(width)}  ${c.summary}`),
    '',
    'Every command takes --home DIR (default: $STRATIFY_HOME, else .stratify).',
    '`stratify help <command>` or `stratify <command> --help` for its options and examples; `stratify --version`.',
  ].join('\n');
}

function flagLabel(name: string, f: FlagSpec): string {
  return `${f.short ? `-${f.short}, ` : '    '}--${name}${f.value ? ` ${f.value}` : ''}`;
}

export function commandHelp(spec: CommandSpec): string {
  const flags = Object.entries({ ...spec.flags, ...COMMON_FLAGS });
  const labels = flags.map(([n, f]) => flagLabel(n, f));
  const width = Math.max(...labels.map((l) => l.length));
  return [
    `usage: ${spec.usage}`,
    '',
    spec.summary,
    '',
    'options:',
    ...flags.map(([, f], i) => `  ${labels[i]!.padEnd(width)}  ${f.description}`),
    '',
    'examples:',
    ...spec.examples.map((e) => `  ${e}`),
  ].join('\n');
}

/** the known name nearest to a mistyped one, if it is near enough to be what was meant */
export function nearest(typed: string, known: readonly string[]): string | undefined {
  if (known.length === 0) return undefined;
  const best = closest(typed, known as string[]);
  const prefix = known.find((k) => k.startsWith(typed) || typed.startsWith(k));
  if (distance(typed, best) <= Math.max(1, Math.floor(best.length / 3))) return best;
  return typed.length >= 2 ? prefix : undefined;
}
