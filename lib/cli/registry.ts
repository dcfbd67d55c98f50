/**
 * What the `stratify` command offers, without loading any of it: each command's summary, usage, flags (with a line
 * of description each) and examples, and a `load` that imports the command's code only when it runs. `--help`,
 * `--version` and the suggestions for a mistyped name read this file alone, so they start in a fraction of the time
 * DuckDB, Arrow and the AWS SDK take to load.
 */
import type { ParseArgsConfig } from 'node:util';

export type Flags = Record<string, string | boolean | undefined>;
/** a command's code: returns the exit code; throws CliError for what the user can fix */
export type CommandRun = (flags: Flags, positionals: string[]) => Promise<number>;

export interface FlagSpec {
  readonly type: 'string' | 'boolean';
  readonly short?: string;
  /** the placeholder of the flag's value in help, e.g. `YYYY-MM-DD` */
  readonly value?: string;
  readonly description: string;
}

export interface CommandSpec {
  readonly summary: string;
  readonly usage: string;
  readonly flags: Readonly<Record<string, FlagSpec>>;
  readonly examples: readonly string[];
  load(): Promise<CommandRun>;
}

export const FORMATS = ['table', 'csv', 'json'] as const;

export const COMMON_FLAGS: Readonly<Record<string, FlagSpec>> = {
  home: { type: 'string', value: 'DIR', description: 'the store folder (default: $STRATIFY_HOME, else .stratify in the working folder)' },
  help: { type: 'boolean', short: 'h', description: 'show this help' },
};

const format: FlagSpec = { type: 'string', short: 'f', value: 'FORMAT', description: `output as ${FORMATS.join(', ')} (default table)` };
const asOf = (what: string): FlagSpec => ({ type: 'string', value: 'YYYY-MM-DD', description: what });
const config: FlagSpec = { type: 'string', short: 'c', value: 'FILE', description: 'the configuration (default config/stratify.json): partners, scoring, tiers' };
const map: FlagSpec = { type: 'string', value: 'FILE', description: "mapping.json naming a vendor device CSV's columns (person, time and zone, measure, value, unit)" };
const json: FlagSpec = { type: 'boolean', description: 'print the result as JSON instead of a table' };
const encoding: FlagSpec = { type: 'string', value: 'utf8|latin1', description: "the input files' text encoding (default utf8; latin1 converts)" };

export const COMMANDS: Readonly<Record<string, CommandSpec>> = {
  backtest: {
    summary: 'score the population at a past date and compare with admissions and ED visits of the next 180 days',
    usage: 'stratify backtest --as-of YYYY-MM-DD [options]',
    flags: { 'as-of': asOf('the past date to score (required)'), config, json },
    examples: ['stratify backtest --as-of 2026-05-29'],
    load: () => import('./commands/backtest.js').then((m) => m.run),
  },
  demo: {
    summary: 'generate a synthetic population and run the whole pipeline on it (what `npm start` runs)',
    usage: 'stratify demo [options]',
    flags: {
      members: { type: 'string', short: 'n', value: 'N', description: 'members to generate (default 10000)' },
      seed: { type: 'string', value: 'N', description: 'random seed: the same seed makes the same files (default 42)' },
      'as-of': asOf('the date the demo runs for (default today, UTC)'),
      config,
    },
    examples: ['stratify demo', 'stratify demo --members 2000 --seed 7 --as-of 2026-06-30 --home /tmp/demo'],
    load: () => import('./commands/demo.js').then((m) => m.run),
  },
  describe: {
    summary: 'the columns of one table, with their types and descriptions (the text Glue shows on AWS)',
    usage: 'stratify describe <table> [options]',
    flags: { format },
    examples: ['stratify describe scores', 'stratify describe ccw_program_conditions --format csv'],
    load: () => import('./commands/tables.js').then((m) => m.describe),
  },
  hcc: {
    summary: 'CMS-HCC risk score (V28 for payment year 2026, or V24) of one member from age, sex and diagnoses',
    usage: 'stratify hcc --age N --sex M|F [--dx CODE,CODE...] [options]',
    flags: {
      age: { type: 'string', value: 'N', description: 'age in years on February 1 of the payment year (required)' },
      sex: { type: 'string', value: 'M|F', description: 'sex (required)' },
      dx: { type: 'string', value: 'CODES', description: 'ICD-10-CM codes, comma-separated, with or without dots' },
      segment: { type: 'string', value: 'SEG', description: 'the model segment: CNA, CND, CFA, CFD, CPA, CPD, INS or NE' },
      model: { type: 'string', value: 'v28|v24', description: 'the CMS-HCC model version (default v28)' },
      year: { type: 'string', value: 'YYYY', description: 'payment year, for the normalization and coding-intensity factors (default 2026)' },
      'originally-disabled': { type: 'boolean', description: 'originally entitled by disability' },
      medicaid: { type: 'boolean', description: 'Medicaid eligible (the new-enrollee factors use it)' },
      normalization: { type: 'string', value: 'X', description: 'normalization factor instead of the payment year’s (with --coding-intensity)' },
      'coding-intensity': { type: 'string', value: 'Y', description: 'MA coding-intensity adjustment instead of the payment year’s' },
      json,
    },
    examples: ['stratify hcc --age 70 --sex M --dx E1169,I5030', 'stratify hcc --age 80 --sex F --dx I509 --model v24 --json'],
    load: () => import('./commands/hcc.js').then((m) => m.run),
  },
  history: {
    summary: "show a member's score, tier and top reason on every as-of date scored, so the trend is visible",
    usage: 'stratify history <person_id> [options]',
    flags: { format },
    examples: ['stratify history P0000089'],
    load: () => import('./commands/history.js').then((m) => m.run),
  },
  ingest: {
    summary: 'ingest files or folders (Tuva CSV, FHIR R4, device NDJSON, vendor CSV with --map; .gz too) into curated Parquet; bad records go to quarantine',
    usage: 'stratify ingest <files|dirs...> [options]',
    flags: { map, encoding, config: { ...config, description: 'the configuration whose ingest limits (plausibility ceilings) apply (default config/stratify.json)' }, json },
    examples: ['stratify ingest eligibility.csv medical_claim.csv', 'stratify ingest readings/ --map acme.json --json'],
    load: () => import('./commands/ingest.js').then((m) => m.run),
  },
  report: {
    summary: 'write the HTML report of a run (overview, one page per partner, one per flagged member) and print its path',
    usage: 'stratify report [options]',
    flags: { 'as-of': asOf('the scored date to report on (default the latest)'), config },
    examples: ['stratify report', 'stratify report --as-of 2026-06-30'],
    load: () => import('./commands/report.js').then((m) => m.run),
  },
  run: {
    summary: 'daily run: ingest new files in <home>/landing, build features, score, dispatch to partners, write the report',
    usage: 'stratify run [options]',
    flags: {
      'as-of': asOf('the date to run for (default today, UTC)'),
      config,
      map,
      encoding,
      json: { type: 'boolean', description: 'print the run\'s metrics (those the AWS functions publish) as JSON instead of the summary' },
    },
    examples: ['stratify run --as-of 2026-06-30', 'stratify run --config my-plan.json --home /data/stratify'],
    load: () => import('./commands/run.js').then((m) => m.run),
  },
  scorecard: {
    summary: 'per partner: members sent, contacted, enrolled, declined, unreachable, median days to contact',
    usage: 'stratify scorecard [options]',
    flags: { partner: { type: 'string', short: 'p', value: 'NAME', description: 'only this partner' }, config, format },
    examples: ['stratify scorecard', 'stratify scorecard --partner pressurepoint --format json'],
    load: () => import('./commands/scorecard.js').then((m) => m.run),
  },
  sql: {
    summary: 'run SQL (Trino dialect, as on Athena) over the curated, output and reference tables',
    usage: 'stratify sql "<query>" [options]',
    flags: {
      format,
      wide: { type: 'boolean', short: 'w', description: 'table: show every cell whole (by default long cells are cut with … to fit the terminal)' },
    },
    examples: ['stratify sql "select * from scores order by rank limit 10"', 'stratify sql "select * from flags where as_of = \'2026-06-30\'" --format csv > flags.csv'],
    load: () => import('./commands/sql.js').then((m) => m.run),
  },
  tables: {
    summary: 'list the tables `stratify sql` and Athena answer over, with what each holds',
    usage: 'stratify tables [options]',
    flags: { format },
    examples: ['stratify tables', 'stratify tables --format json'],
    load: () => import('./commands/tables.js').then((m) => m.tables),
  },
  worklist: {
    summary: "show a partner's ranked worklist with reasons (latest as-of date unless --as-of)",
    usage: 'stratify worklist --partner NAME [options]',
    flags: {
      partner: { type: 'string', short: 'p', value: 'NAME', description: 'the partner whose worklist to show (required)' },
      'as-of': asOf('the date of the worklist (default the latest)'),
      format,
      wide: { type: 'boolean', short: 'w', description: 'table: show every cell whole' },
      config: { ...config, description: 'the configuration whose thresholds the legend below the table gives (default config/stratify.json)' },
    },
    examples: ['stratify worklist --partner pressurepoint', 'stratify worklist -p breathewell --as-of 2026-06-30 --format csv'],
    load: () => import('./commands/worklist.js').then((m) => m.run),
  },
};

/** the flags of a command in node:util parseArgs' form, the common ones included */
export function parseOptions(spec: CommandSpec): NonNullable<ParseArgsConfig['options']> {
  const out: NonNullable<ParseArgsConfig['options']> = {};
  for (const [name, f] of Object.entries({ ...COMMON_FLAGS, ...spec.flags })) {
    out[name] = f.short === undefined ? { type: f.type } : { type: f.type, short: f.short };
  }
  return out;
}
