/**
 * `stratify tables` and `stratify describe <table>`: the tables an analyst can query, and their columns, with the
 * descriptions written once in lib/tables (the text Glue shows on AWS) and, for the reference tables of
 * queries/seeds/, the notes of its PROVENANCE.md.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { assetPath } from '../../assets.js';
import { ALL_TABLES, AS_OF_PARTITION, OUTPUT_TABLES } from '../../tables/index.js';
import { CliError } from '../errors.js';
import { nearest } from '../help.js';
import { outputFormat, render } from '../format.js';
import type { CommandRun } from '../registry.js';

type Column = { readonly column: string; readonly type: string; readonly description: string };
interface TableInfo {
  readonly table: string;
  readonly kind: 'curated' | 'output' | 'reference';
  readonly description: string;
  readonly columns: readonly Column[];
}

const SEEDS = 'queries/seeds/';

/** the notes column of PROVENANCE.md's table, by seed name */
function seedNotes(): Map<string, string> {
  const notes = new Map<string, string>();
  for (const line of readFileSync(assetPath(`${SEEDS}PROVENANCE.md`), 'utf8').split('\n')) {
    const m = /^\| `([a-z0-9_]+)\.csv` \|.*\| ([^|]+) \|$/.exec(line);
    if (m) notes.set(m[1]!, m[2]!.trim());
  }
  return notes;
}

function catalog(): TableInfo[] {
  const partitioned = new Set<string>(OUTPUT_TABLES.map((t) => t.name));
  const defined: TableInfo[] = ALL_TABLES.map((t) => ({
    table: t.name,
    kind: partitioned.has(t.name) ? 'output' : 'curated',
    description: t.doc,
    columns: [
      ...t.columns.map((c) => ({ column: c.name, type: c.type, description: c.doc })),
      ...(partitioned.has(t.name) ? [{ column: AS_OF_PARTITION.name, type: AS_OF_PARTITION.type, description: AS_OF_PARTITION.doc }] : []),
    ],
  }));
  const notes = seedNotes();
  const seeds: TableInfo[] = readdirSync(assetPath(SEEDS))
    .filter((f) => f.endsWith('.csv'))
    .sort()
    .map((f) => {
      const name = f.slice(0, -4);
      const header = readFileSync(assetPath(SEEDS + f), 'utf8').replace(/^\uFEFF/, '').split(/\r?\n/, 1)[0]!;
      return {
        table: name,
        kind: 'reference',
        description: `reference table from queries/seeds/${f}${notes.has(name) ? `: ${notes.get(name)}` : ''}`,
        columns: header.split(',').map((c) => ({ column: c, type: 'string', description: '' })),
      };
    });
  return [...defined, ...seeds];
}

export const tables: CommandRun = async (flags) => {
  const format = outputFormat(flags.format);
  const rows = catalog().map((t) => ({ table: t.table, kind: t.kind, columns: t.columns.length, description: t.description }));
  process.stdout.write(render(rows, format));
  if (format === 'table') console.log('`stratify describe <table>` for its columns');
  return 0;
};

export const describe: CommandRun = async (flags, positionals) => {
  const format = outputFormat(flags.format);
  const all = catalog();
  if (positionals.length !== 1) throw new CliError(`name one table (tables: ${all.map((t) => t.table).join(', ')})`, 2, { showUsage: true });
  const name = positionals[0]!;
  const table = all.find((t) => t.table === name);
  if (!table) {
    const guess = nearest(name, all.map((t) => t.table));
    throw new CliError(`no table '${name}'${guess ? ` (did you mean \`${guess}\`?)` : ''}; \`stratify tables\` lists them`);
  }
  if (format === 'table') console.log(`${table.table} (${table.kind}): ${table.description}\n`);
  process.stdout.write(render(table.columns, format, { wide: Boolean(flags.wide) }));
  return 0;
};
