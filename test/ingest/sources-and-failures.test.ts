/** Where sources come from, and what a file that cannot be ingested leaves behind: nothing, and an error. */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ingest, sourcesFromPaths, sourcesFromStore } from '../../lib/pipeline/ingest.js';
import { testContext, textSource, type TestContext } from './helpers.js';

describe('ingest: sources', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'stratify-sources-'));
    await mkdir(join(dir, 'b', 'c'), { recursive: true });
    await writeFile(join(dir, 'a.csv'), 'x\n');
    await writeFile(join(dir, 'b', 'c', 'd.ndjson'), '{}\n');
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('walks folders recursively and takes files as given', async () => {
    const sources = await sourcesFromPaths([dir, join(dir, 'a.csv')]);
    expect(sources.map((s) => [s.name, s.size])).toEqual([
      [join(dir, 'a.csv'), 2],
      [join(dir, 'b', 'c', 'd.ndjson'), 3],
      [join(dir, 'a.csv'), 2],
    ]);
  });

  it('names a missing path', async () => {
    await expect(sourcesFromPaths([dir, join(dir, 'nope.csv')])).rejects.toThrow(`no such file or folder: ${join(dir, 'nope.csv')}`);
  });

  it('lists the landing/ prefix of a store', async () => {
    const ctx = await testContext();
    try {
      await ctx.store.put('landing/2025/elig.csv', 'a\n');
      await ctx.store.put('other/x.csv', 'b\n');
      expect((await sourcesFromStore(ctx.store)).map((s) => [s.name, s.size])).toEqual([['landing/2025/elig.csv', 2]]);
    } finally {
      await ctx.dispose();
    }
  });
});

describe('ingest: a file that fails part-way', () => {
  let ctx: TestContext;
  beforeAll(async () => (ctx = await testContext()));
  afterAll(() => ctx.dispose());

  it('reports the error, writes nothing for it, and still ingests the other files', async () => {
    const header = 'person_id,gender,birth_date,enrollment_start_date,enrollment_end_date';
    const good = Array.from({ length: 5 }, (_, i) => `P${i},female,1950-01-01,2024-01-01,2024-12-31`);
    const broken = [header, ...good, 'P9,"female,1950-01-01,2024-01-01,2024-12-31'].join('\n') + '\n'; // unclosed quote
    const reports = await ingest(
      ctx,
      [textSource('landing/broken_eligibility.csv', broken), textSource('landing/eligibility.csv', [header, ...good].join('\n'))],
      { flushEvery: 2 }, // so parts were written before the failure
    );
    expect(reports[0]).toMatchObject({ format: 'tuva-eligibility', error: expect.stringMatching(/quote/i) });
    expect(reports[1]).toMatchObject({ accepted: 5, rows: { members: 5 } });
    expect(reports[1]!.error).toBeUndefined();
    // only the good file's 3 parts (2 + 2 + 1 rows) and manifest remain
    expect((await ctx.store.list('curated/')).length).toBe(3);
    expect((await ctx.store.list('manifests/')).length).toBe(1);
    expect(await ctx.store.list('quarantine/')).toEqual([]);
    const [n] = await ctx.engine.query('SELECT count(*) AS n FROM members');
    expect(n!.n).toBe(5);
  });
});
