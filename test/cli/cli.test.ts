/** The `stratify` command as a user runs it: a real process, real files, exit codes and output checked. */
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stratify } from './run-stratify.js';
import { TUVA_SAMPLES as SAMPLES } from '../samples.js';
import Papa from 'papaparse';
import { scores } from '../../lib/tables/index.js';




describe('stratify CLI', () => {
  let home: string;
  beforeAll(async () => {
    home = await mkdtemp(join(tmpdir(), 'stratify-cli-'));
  });
  afterAll(() => rm(home, { recursive: true, force: true }));

  it('demo runs the whole pipeline and prints the summary', async () => {
    const r = await stratify(['demo', '--members', '800', '--as-of', '2026-06-30', '--home', home]);
    expect(r.stderr).not.toMatch(/stratify: /);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('members scored: ');
    expect(r.stdout).toMatch(/Flagged for partners/);
    expect(r.stdout).toMatch(/Known deteriorating members .*: \d+ of \d+ found \(recall [\d.]+%\): \d+ flagged today, \d+ enrolled/);
    // the summary ends with the path of the report's overview, a file that is there
    const last = r.stdout.trimEnd().split('\n').at(-1)!;
    expect(last).toBe(`Report (${last.match(/\((\d+) pages/)?.[1]} pages; open it in a browser): ${join(home, 'reports', 'as_of=2026-06-30', 'index.html')}`);
    expect((await readFile(join(home, 'reports', 'as_of=2026-06-30', 'index.html'), 'utf8')).startsWith('<!doctype html>')).toBe(true);
  });

  it('sql answers over the tables the demo wrote, in json and csv', async () => {
    const json = await stratify(['sql', 'select count(*) as n from features', '--format', 'json'], { STRATIFY_HOME: home });
    expect(json.code).toBe(0);
    const [row] = JSON.parse(json.stdout) as { n: number }[];
    expect(row!.n).toBeGreaterThan(700);
    const csv = await stratify(['sql', "select 'a,b' as x, 2 as y", '--format', 'csv', '--home', home]);
    expect(csv.stdout).toBe('x,y\n"a,b",2\n');
  });

  it('worklist shows a ranked list and names the partners it knows when asked for another', async () => {
    const csv = await stratify(['worklist', '--partner', 'pressurepoint', '--format', 'csv', '--home', home]);
    expect(csv.code).toBe(0);
    const [header, first] = csv.stdout.split('\n');
    expect(header).toBe('rank,person_id,program,tier,score,status,reasons');
    expect(first).toMatch(/^1,P\d{7},hypertension,(critical|high),\d+(\.\d+)?,/);
    // the demo ran a week earlier too, and the partner reported on some of those members: each status says when
    const statuses = Papa.parse<Record<string, string>>(csv.stdout, { header: true, skipEmptyLines: true }).data.map((r) => r.status!);
    for (const s of statuses) {
      expect(s).toMatch(/^(sent 2026-06-30|sent 2026-06-23, within 30 days|sent 2026-06-30: tier worsened \(sent 2026-06-23 as \w+\)|suppressed: (enrolled|declined|unreachable) 2026-06-2\d.*)$/);
    }
    expect(statuses).toContain('sent 2026-06-30');
    expect(statuses).toContain('sent 2026-06-23, within 30 days');
    const table = await stratify(['worklist', '--partner', 'pressurepoint', '--home', home]);
    expect(table.stdout).toMatch(/^Worklist for pressurepoint, as of 2026-06-30: \d+ members/);
    const none = await stratify(['worklist', '--partner', 'nobody', '--home', home]);
    expect(none.code).toBe(1);
    expect(none.stderr).toMatch(/no worklist for partner 'nobody'.*partners with worklists: /);
  });

  it("history shows a member's scores by as-of date; an unknown member is named", async () => {
    const top = await stratify(['sql', "select person_id, score, tier from scores where as_of = '2026-06-30' order by rank limit 1", '--format', 'json', '--home', home]);
    const { person_id, score, tier } = (JSON.parse(top.stdout) as { person_id: string; score: number; tier: string }[])[0]!;
    const table = await stratify(['history', person_id, '--home', home]);
    expect(table.code).toBe(0);
    // the demo runs a week before its as-of date too
    expect(table.stdout).toContain(`Score history of ${person_id}: 2 as-of dates`);
    const json = await stratify(['history', person_id, '--format', 'json', '--home', home]);
    const history = JSON.parse(json.stdout) as { as_of: string; score: number; change: number | null }[];
    expect(history).toEqual([expect.objectContaining({ as_of: '2026-06-23' }), expect.objectContaining({ as_of: '2026-06-30', score, tier, rank: 1 })]);
    const none = await stratify(['history', 'P9999999', '--home', home]);
    expect(none.code).toBe(1);
    expect(none.stderr).toContain('no scores for P9999999');
  });

  it('scorecard counts what each partner was sent and reported back', async () => {
    // two members first sent on 2026-06-30, and none of the demo's own feedback: the counts are these reports'
    const ledger = (await readFile(join(home, 'dispatch', 'ledger', 'pressurepoint.ndjson'), 'utf8')).trim().split('\n').map((l) => JSON.parse(l) as { person_id: string; as_of_date: string });
    const earlier = new Set(ledger.filter((e) => e.as_of_date < '2026-06-30').map((e) => e.person_id));
    const [a, b] = ledger.filter((e) => e.as_of_date === '2026-06-30' && !earlier.has(e.person_id)).map((e) => e.person_id);
    await rm(join(home, 'feedback', 'pressurepoint', 'demo.ndjson'));
    await mkdir(join(home, 'feedback', 'pressurepoint'), { recursive: true });
    await writeFile(
      join(home, 'feedback', 'pressurepoint', 'week1.ndjson'),
      [
        { person_id: a, status: 'contacted', reported_at: '2026-07-02T09:00:00Z' },
        { person_id: a, status: 'enrolled', reported_at: '2026-07-03' },
        { person_id: b, status: 'unreachable', reported_at: '2026-07-01' },
      ]
        .map((l) => JSON.stringify(l))
        .join('\n'),
    );
    const r = await stratify(['scorecard', '--partner', 'pressurepoint', '--format', 'json', '--home', home]);
    expect(r.code).toBe(0);
    const [card] = JSON.parse(r.stdout) as Record<string, number>[];
    expect(card).toMatchObject({ partner: 'pressurepoint', contacted: 1, enrolled: 1, declined: 0, unreachable: 1, median_days_to_contact: 2 });
    expect(card!.sent).toBe(card!.members);
    expect(card!.sent).toBeGreaterThan(1);
    const unknown = await stratify(['scorecard', '--partner', 'nobody', '--home', home]);
    expect(unknown.code).toBe(2);
  });

  it('backtest reports AUC, lift by tier and a calibration chart; --as-of is required', async () => {
    const r = await stratify(['backtest', '--as-of', '2025-12-31', '--home', home]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^Backtest as of 2025-12-31: \d+ members scored; outcomes after 2025-12-31 through 2026-06-29/);
    expect(r.stdout).toMatch(/AUC, admission or ED visit: 0\.\d{3}/);
    expect(r.stdout).toContain('Lift by tier');
    expect(r.stdout).toMatch(/ 1 {2}ranks 1-\d+, mean score/);
    const missing = await stratify(['backtest', '--home', home]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('--as-of is required');
  });

  it('ingest says what it took each file to be, as a table and as JSON', async () => {
    const ingestHome = join(home, 'ingest');
    const r = await stratify(['ingest', join(SAMPLES, 'eligibility_seed.csv'), join(SAMPLES, 'pharmacy_claim_seed.csv'), '--json', '--home', ingestHome]);
    expect(r.code).toBe(0);
    const reports = JSON.parse(r.stdout) as { file: string; format: string; read: number; accepted: number; quarantined: number; skipped: number }[];
    expect(reports.map((x) => [x.file.split('/').at(-1), x.format, x.read])).toEqual([
      ['eligibility_seed.csv', 'tuva-eligibility', 31],
      ['pharmacy_claim_seed.csv', 'tuva-pharmacy-claim', 291],
    ]);
    for (const x of reports) expect(x.read).toBe(x.accepted + x.quarantined + x.skipped);
    const demo = await stratify(['demo', '--members', '50', '--home', ingestHome]);
    expect(demo.code).toBe(2);
    expect(demo.stderr).toContain('holds data the demo did not write');
  });

  it('fails with a clear message and a non-zero code on bad input', async () => {
    const missing = await stratify(['ingest', join(home, 'nope.csv'), '--home', home]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('nope.csv');
    const junk = join(home, 'junk.txt');
    await writeFile(junk, 'hello\n');
    const unknown = await stratify(['ingest', junk, '--home', join(home, 'junk-home')]);
    expect(unknown.code).toBe(1);
    expect(unknown.stdout + unknown.stderr).toContain('junk.txt');
    const date = await stratify(['run', '--as-of', '2026-02-30', '--home', home]);
    expect(date.code).toBe(2);
    expect(date.stderr).toContain('--as-of 2026-02-30: not a calendar date');
    const sql = await stratify(['sql', 'select * from no_such_table', '--home', home]);
    expect(sql.code).toBe(1);
    expect(sql.stderr).toMatch(/stratify: DuckDB: .*no_such_table/);
    const cmd = await stratify(['frobnicate']);
    expect(cmd.code).toBe(2);
    expect(cmd.stderr).toContain("unknown command 'frobnicate'");
  });

  it('sql prints timestamps as ISO 8601 in UTC in every format, and keeps a CSV header when no row comes back', async () => {
    const q = "select timestamp '2026-06-01 12:31:00' as t, 7 as n";
    const csv = await stratify(['sql', q, '--format', 'csv', '--home', home]);
    expect(csv.stdout).toBe('t,n\n2026-06-01T12:31:00.000Z,7\n');
    const json = await stratify(['sql', q, '--format', 'json', '--home', home]);
    expect(JSON.parse(json.stdout)).toEqual([{ t: '2026-06-01T12:31:00.000Z', n: 7 }]);
    const table = await stratify(['sql', q, '--home', home]);
    expect(table.stdout).toContain('2026-06-01T12:31:00.000Z');
    const empty = await stratify(['sql', 'select person_id, score from scores where false', '--format', 'csv', '--home', home]);
    expect(empty.stdout).toBe('person_id,score\n');
    const emptyTable = await stratify(['sql', 'select person_id, score from scores where false', '--home', home]);
    expect(emptyTable.stdout).toMatch(/^person_id +score\n-+ +-+\n\(0 rows\)\n$/);
  });

  it('sql refuses a --home that does not exist instead of answering from an empty store', async () => {
    const r = await stratify(['sql', 'select count(*) as n from scores', '--home', join(home, 'no-such-folder')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`no store at ${join(home, 'no-such-folder')}`);
    expect(r.stdout).toBe('');
  });

  it('sql tables fit the terminal, long cells cut with an ellipsis, unless --wide', async () => {
    const q = "select repeat('x', 200) as notes, 12345 as n";
    const cut = await stratify(['sql', q, '--home', home], { COLUMNS: '60' });
    const lines = cut.stdout.trimEnd().split('\n');
    for (const l of lines) expect(l.length).toBeLessThanOrEqual(60);
    // 60 = notes column + 2 spaces + the 5 characters of n: the notes column is 53 wide, its cell 52 x's and "…"
    expect(lines[2]).toBe(`${'x'.repeat(52)}…  12345`);
    const wide = await stratify(['sql', q, '--wide', '--home', home], { COLUMNS: '60' });
    expect(wide.stdout.split('\n')[2]).toBe(`${'x'.repeat(200)}  12345`);
  });

  it('as_of filters the output tables locally as on Athena (a YYYY-MM-DD string)', async () => {
    const r = await stratify(['sql', "select as_of, typeof(as_of) as type, count(*) as n from flags where as_of = '2026-06-30' group by 1, 2", '--format', 'json', '--home', home]);
    expect(r.code).toBe(0);
    const all = await stratify(['sql', "select count(*) as n from flags where as_of_date = date '2026-06-30'", '--format', 'json', '--home', home]);
    const { n } = (JSON.parse(all.stdout) as { n: number }[])[0]!;
    expect(JSON.parse(r.stdout)).toEqual([{ as_of: '2026-06-30', type: 'VARCHAR', n }]);
  });

  it('tables lists every table, describe shows its columns with the descriptions of lib/tables', async () => {
    const list = await stratify(['tables', '--format', 'json']);
    const tables = JSON.parse(list.stdout) as { table: string; kind: string; description: string }[];
    expect(tables.map((t) => t.table)).toEqual(
      expect.arrayContaining(['members', 'medical_claims', 'diagnoses', 'pharmacy_claims', 'observations', 'features', 'scores', 'flags', 'ccw_program_conditions', 'monitoring_loinc_codes']),
    );
    expect(tables.find((t) => t.table === 'scores')).toMatchObject({ kind: 'output', description: scores.doc });
    const described = await stratify(['describe', 'scores', '--format', 'json']);
    const columns = JSON.parse(described.stdout) as { column: string; type: string; description: string }[];
    expect(columns.map((c) => c.column)).toEqual([...scores.columns.map((c) => c.name), 'as_of']);
    expect(columns.find((c) => c.column === 'tier')).toEqual({ column: 'tier', type: 'string', description: scores.columns.find((c) => c.name === 'tier')!.doc });
    const seed = await stratify(['describe', 'ccw_program_conditions', '--format', 'csv']);
    expect(seed.stdout).toBe('column,type,description\ncondition_column_name,string,\nfeature_column,string,\n');
    const typo = await stratify(['describe', 'scroes']);
    expect(typo.code).toBe(2);
    expect(typo.stderr).toContain("no table 'scroes' (did you mean `scores`?)");
  });

  // last: it runs the demo's date again, which changes the worklists' statuses the tests above read
  it('run --json prints the metrics the AWS functions publish: members with features, scored per tier, flagged and sent per partner', async () => {
    const r = await stratify(['run', '--as-of', '2026-06-30', '--json', '--home', home]);
    expect(r.code).toBe(0);
    const { asOf, metrics } = JSON.parse(r.stdout) as { asOf: string; metrics: { name: string; value: number; dimensions: Record<string, string> }[] };
    expect(asOf).toBe('2026-06-30');
    const one = (name: string, dimensions: Record<string, string> = {}) =>
      metrics.filter((m) => m.name === name && JSON.stringify(m.dimensions) === JSON.stringify(dimensions)).map((m) => m.value);
    const [scored] = one('MembersScored');
    const features = await stratify(['sql', "select count(*) as n from scores where as_of_date = date '2026-06-30'", '--format', 'json', '--home', home]);
    expect(one('MembersScored')).toEqual([(JSON.parse(features.stdout) as { n: number }[])[0]!.n]);
    expect(one('MembersWithFeatures')).toEqual([scored]);
    // the tiers add up to the members scored
    const tiers = metrics.filter((m) => m.name === 'MembersScored' && m.dimensions['tier'] !== undefined);
    expect(tiers.reduce((n, m) => n + m.value, 0)).toBe(scored);
    // the demo's run sent every flagged member already: this rerun flags them again and sends none of them
    const partners = metrics.filter((m) => m.name === 'MessagesSent' && m.dimensions['partner'] !== undefined);
    expect(partners.length).toBe(4);
    expect(one('MessagesSent')).toEqual([0]);
    expect(one('MembersFlagged')[0]).toBeGreaterThan(0);
    // nothing new in landing/: no ingest metrics; each stage timed
    expect(one('RecordsRead')).toEqual([]);
    expect(metrics.filter((m) => m.name === 'StageDuration').map((m) => m.dimensions['stage'])).toEqual(['ingest', 'features', 'score', 'dispatch']);
  });
});
