/**
 * What the SQL runner itself guarantees, whatever the format: record numbers in file order on a file of thousands of
 * records with records the CSV parser rejects and blank lines between them, the one record a quote closed too early
 * spoils, and outputs private to the user on a local store.
 */
import { stat } from 'node:fs/promises';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ingest } from '../../../lib/pipeline/ingest.js';
import { quarantineLines, testContext, textSource, type TestContext } from '../helpers.js';

const HEADER = 'person_id,birth_date,enrollment_start_date,enrollment_end_date';

describe('the SQL ingest runner', () => {
  let ctx: TestContext;
  beforeEach(async () => {
    ctx = await testContext();
  });
  afterEach(() => ctx.dispose());

  it('numbers 6,000 records in file order past the ones the parser rejects and the blank lines', async () => {
    // record n is person P<n>; every 1,000th record has a field too many, and a blank line follows every 700th
    const lines = [HEADER];
    for (let n = 1; n <= 6000; n++) {
      lines.push(n % 1000 === 0 ? `P${n},1950-01-01,2020-01-01,2020-12-31,extra` : `P${n},1950-01-01,2020-01-01,2020-12-31`);
      if (n % 700 === 0) lines.push('');
    }
    const [report] = await ingest(ctx, [textSource('landing/eligibility.csv', lines.join('\n') + '\n')], { countReplaced: false });
    // 6,000 records, 6 of them (1,000 … 6,000) with 5 fields of 4
    expect(report).toMatchObject({ read: 6000, accepted: 5994, quarantined: 6, reasons: { 'wrong number of fields': 6 } });
    expect((await quarantineLines(ctx)).map((l) => [l.record, l.value])).toEqual([1, 2, 3, 4, 5, 6].map((k) => [k * 1000, '5 of 4']));
    const rows = await ctx.engine.query<{ person_id: string; source_record: number }>('SELECT person_id, source_record FROM members');
    expect(rows).toHaveLength(5994);
    expect(rows.filter((r) => r.person_id !== `P${r.source_record}`)).toEqual([]);
  });

  it('quarantines alone a record whose quote closes before the end of its field, with no later quote on its line', async () => {
    const csv = `${HEADER}\nP1,1950-01-01,2020-01-01,2020-12-31\nP2,"1950"-01-01,2020-01-01,2020-12-31\nP3,1950-01-01,2020-01-01,2020-12-31\n"P4",1950-01-01,2020-01-01,2020-12-31\n`;
    const [report] = await ingest(ctx, [textSource('landing/eligibility.csv', csv)], { countReplaced: false });
    // papaparse, the TypeScript path's parser, read from that quote to P4's first quote as one field
    expect(report).toMatchObject({ read: 4, accepted: 3, quarantined: 1 });
    expect(await quarantineLines(ctx)).toEqual([
      { file: 'landing/eligibility.csv', record: 2, field: '', reason: 'malformed quotes: trailing quote on quoted field is malformed', value: null, raw: 'P2,"1950"-01-01,2020-01-01,2020-12-31' },
    ]);
  });

  it('writes its parts and quarantine log 0600 on a local store', async () => {
    const csv = `${HEADER}\nP1,1950-01-01,2020-01-01,2020-12-31\nP2,1950-02-30,2020-01-01,2020-12-31\n`;
    await ingest(ctx, [textSource('landing/eligibility.csv', csv)], { countReplaced: false });
    const keys = [...(await ctx.store.list('curated/members/')), ...(await ctx.store.list('quarantine/'))].map((o) => o.key);
    expect(keys).toHaveLength(2);
    for (const key of keys) expect((await stat(ctx.store.pathOf(key))).mode & 0o777).toBe(0o600);
  });
});
