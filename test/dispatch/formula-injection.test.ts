/**
 * Formula injection (OWASP "CSV Injection"): a person id such as `=HYPERLINK(...)` arrives from a sender as data and
 * would reach a care manager's spreadsheet as a live formula. Every CSV cell Stratify writes that starts with `=`,
 * `+`, `-`, `@`, a tab or a carriage return gets a leading `'`; plain numbers are left alone.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toCsv } from '../../lib/cli/format.js';
import { csvField, neutralised } from '../../lib/csv.js';
import { dispatch } from '../../lib/pipeline/dispatch.js';
import { scoreMembers } from '../../lib/pipeline/score.js';
import { AS_OF, config, member, tempPipeline, writeFeatures, type TempPipeline } from '../scoring/fixtures.js';

describe('neutralised', () => {
  it.each([
    ['=HYPERLINK("http://evil.example","click")', `'=HYPERLINK("http://evil.example","click")`],
    ['@SUM(1+1)', `'@SUM(1+1)`],
    ['+1+1', `'+1+1`],
    ['-2+3', `'-2+3`],
    ['\t=1', `'\t=1`],
    ['\r=1', `'\r=1`],
    ['=', `'=`],
  ])('prefixes %j', (value, expected) => {
    expect(neutralised(value)).toBe(expected);
  });
  it.each(['-12.50', '+3', '1e3', '-0.5', '.5', '42', 'P0000123', 'a=b', 'Weight up 2 lb'])('leaves %j alone', (value) => {
    expect(neutralised(value)).toBe(value);
  });
  it('quotes after neutralising, so a quote in the formula stays inside the cell', () => {
    expect(csvField('=HYPERLINK("x")')).toBe(`"'=HYPERLINK(""x"")"`);
  });
});

describe('the CSVs Stratify writes carry no live formula', () => {
  let p: TempPipeline;
  const EVIL = '=HYPERLINK("http://evil.example","Ann")';

  beforeAll(async () => {
    p = await tempPipeline();
    // 20 members so the heart-failure member's rank 1 is within the high tier (10 % of 20 = 2), which is dispatched
    const quiet = Array.from({ length: 19 }, (_, i) => member(`m${String(i).padStart(2, '0')}`));
    await writeFeatures(p, [...quiet, member(EVIL, { has_heart_failure: true, weight_change_7d: 2.8, days_since_last_reading: 0, reading_days_30d: 20, reading_days_90d: 60 })]);
    await scoreMembers(p.ctx, AS_OF, config);
    await dispatch(p.ctx, AS_OF, config);
  });
  afterAll(() => p.close());

  it('neutralises the person id in the worklist and keeps the score a number', async () => {
    const csv = new TextDecoder().decode(await p.store.get(`worklists/as_of=${AS_OF}/heartline.csv`));
    const [, first] = csv.split('\n');
    expect(first).toMatch(/^1,"'=HYPERLINK\(""http:\/\/evil\.example"",""Ann""\)",heart_failure,high,\d+(\.\d+)?,sent 2024-06-30,/);
  });

  it('neutralises cells and column names of --format csv', () => {
    expect(toCsv([{ '@x': '+1+1', n: -3.5, id: '@SUM(1+1)' }])).toBe(`'@x,n,id\n'+1+1,-3.5,'@SUM(1+1)\n`);
  });
});
