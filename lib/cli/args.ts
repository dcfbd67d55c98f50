/** Flag values checked before a command runs: an as-of date, a positive whole number, the configuration, an encoding. */
import { loadConfig, type StratifyConfig } from '../config/index.js';
import { todayUtc } from '../dates.js';
import { ENCODINGS, type Encoding } from '../ingest/encoding.js';
import { isCalendarDate } from '../tables/define.js';
import { CliError } from './errors.js';

export function parseAsOf(value: string | undefined): string {
  const asOf = value ?? todayUtc();
  if (!isCalendarDate(asOf)) {
    throw new CliError(`--as-of ${asOf}: not a calendar date (expected YYYY-MM-DD)`);
  }
  return asOf;
}

export function parsePositiveInt(name: string, value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new CliError(`--${name} ${value}: expected a whole number of at least 1`);
  return n;
}

/** the configuration file (`--config`, else the project's), its errors as command-line errors naming each field */
export function configFrom(path: string | undefined): StratifyConfig {
  try {
    return loadConfig(path);
  } catch (e) {
    throw new CliError((e as Error).message, 2, { cause: e });
  }
}

/** `--encoding` of ingest and run: the input files' text encoding, UTF-8 when absent */
export function parseEncoding(value: unknown): Encoding {
  const encoding = (value ?? 'utf8') as Encoding;
  if (!ENCODINGS.includes(encoding)) throw new CliError(`--encoding ${String(value)}: expected one of ${ENCODINGS.join(', ')}`);
  return encoding;
}
