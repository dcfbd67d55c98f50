/**
 * Every SQL example of README.md and queries/README.md (the ```sql blocks, and the queries given to `stratify sql`
 * or `aws athena … --query-string` in the shell blocks) parses with the Trino grammar and runs on DuckDB over a
 * generated population; the analysts' examples of queries/README.md each return rows on it (the diabetes cohort
 * among them: the demo writes HbA1c results).
 */
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TrinoSQL } from 'dt-sql-parser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openLocal, type LocalContext } from '../../lib/cli/local.js';
import { loadConfig } from '../../lib/config/index.js';
import { generateDemo } from '../../lib/demo/index.js';
import { runPipeline } from '../../lib/pipeline/run.js';

const AS_OF = '2026-06-30';

/** the SQL examples of a markdown file, each with the line it starts on */
function sqlExamples(markdown: string): { line: number; sql: string }[] {
  const out: { line: number; sql: string }[] = [];
  const fence = /^```(\w*)\n([\s\S]*?)^```/gm;
  for (const m of markdown.matchAll(fence)) {
    const line = markdown.slice(0, m.index).split('\n').length;
    if (m[1] === 'sql') out.push({ line, sql: m[2]!.trim().replace(/;$/, '') });
    if (m[1] === 'sh') {
      for (const q of m[2]!.matchAll(/(?:stratify sql|--query-string) "((?:[^"\\]|\\.)*)"/g)) {
        if (!q[1]!.includes('<')) out.push({ line, sql: q[1]!.replaceAll('\\"', '"') });
      }
    }
  }
  return out;
}

const read = (path: string) => readFileSync(new URL(`../../${path}`, import.meta.url), 'utf8');
const EXAMPLES = [
  ...sqlExamples(read('README.md')).map((e) => ({ ...e, file: 'README.md', mustReturnRows: false })),
  ...sqlExamples(read('queries/README.md')).map((e) => ({ ...e, file: 'queries/README.md', mustReturnRows: true })),
];

describe('the SQL examples of the READMEs', () => {
  let home: string;
  let ctx: LocalContext;
  beforeAll(async () => {
    home = await mkdtemp(join(tmpdir(), 'stratify-readme-sql-'));
    ctx = await openLocal(home, () => {});
    await generateDemo(ctx.store, { members: 800, seed: 3, asOf: AS_OF });
    await runPipeline(ctx, AS_OF, loadConfig());
  });
  afterAll(async () => {
    await ctx.engine.close();
    await rm(home, { recursive: true, force: true });
  });

  it('finds the examples (both files have some)', () => {
    expect(EXAMPLES.filter((e) => e.file === 'README.md').length).toBeGreaterThanOrEqual(4);
    expect(EXAMPLES.filter((e) => e.file === 'queries/README.md').length).toBeGreaterThanOrEqual(5);
  });

  it.each(EXAMPLES)('$file:$line parses as Trino and runs on DuckDB', async ({ sql, mustReturnRows }) => {
    expect(new TrinoSQL().validate(sql)).toEqual([]);
    const rows = await ctx.engine.query(sql);
    if (mustReturnRows) expect(rows.length).toBeGreaterThan(0);
  });
});
