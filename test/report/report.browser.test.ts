/**
 * The report as a person sees it: a real headless Chromium (Debian's `chromium`, or CHROMIUM_PATH; .ci/run installs
 * it) driven by playwright-core opens the pages from disk, and what it shows is checked against the tables DuckDB
 * answers from the same store: the pyramid's counts, each partner page's members, a member's reading days. Every page
 * loads with no console error and no request beyond its own file. Screenshots of the overview, one partner page and
 * one member page are written to test/report/screenshots/ (not committed).
 */
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openLocal, type LocalContext } from '../../lib/cli/local.js';
import { loadConfig } from '../../lib/config/index.js';
import { writeDemoFeedback } from '../../lib/demo/feedback.js';
import { generateDemo } from '../../lib/demo/index.js';
import { runPipeline } from '../../lib/pipeline/run.js';
import { writeReport } from '../../lib/report/index.js';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const SCREENSHOTS = fileURLToPath(new URL('./screenshots/', import.meta.url));
/** three runs, a week apart: the pages draw the score over the runs from three on */
const RUNS = ['2026-06-16', '2026-06-23'];
const AS_OF = '2026-06-30';
const config = loadConfig();

describe('the HTML report in a browser', () => {
  let home: string;
  let ctx: LocalContext;
  let browser: Browser;
  let folder: string;
  /** requests for anything but the page's own file, and console errors, of every page opened */
  const outside: string[] = [];
  const errors: string[] = [];

  async function open(path: string): Promise<Page> {
    const page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
    const url = pathToFileURL(join(folder, path)).href;
    page.on('request', (r) => {
      if (r.url() !== url) outside.push(`${path}: ${r.url()}`);
    });
    page.on('console', (m) => {
      if (m.type() === 'error') errors.push(`${path}: ${m.text()}`);
    });
    page.on('pageerror', (e) => errors.push(`${path}: ${e.message}`));
    await page.goto(url);
    return page;
  }

  beforeAll(async () => {
    if (!existsSync(CHROMIUM)) throw new Error(`no Chromium at ${CHROMIUM}: apt-get install chromium (or set CHROMIUM_PATH)`);
    home = await mkdtemp(join(tmpdir(), 'stratify-report-'));
    ctx = await openLocal(home, () => {});
    await generateDemo(ctx.store, { members: 1000, seed: 5, asOf: AS_OF });
    for (const date of RUNS) await runPipeline(ctx, date, config);
    // what the partners reported about last week's members, as the demo does: the scorecard is not all zeros
    await writeDemoFeedback(ctx.store, config, 5, RUNS.at(-1)!, '2026-06-29');
    await runPipeline(ctx, AS_OF, config);
    const report = await writeReport(ctx.store, AS_OF, config);
    folder = join(home, report.index, '..');
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
    await mkdir(SCREENSHOTS, { recursive: true });
  });
  afterAll(async () => {
    await browser?.close();
    await ctx?.engine.close();
    if (home) await rm(home, { recursive: true, force: true });
  });

  it('overview: the risk pyramid shows the members per tier of the scores table', async () => {
    const rows = await ctx.engine.query<{ tier: string; n: number }>(`select tier, count(*) as n from scores where as_of_date = date '${AS_OF}' group by tier`);
    const expected = Object.fromEntries(rows.map((r) => [r.tier, r.n.toLocaleString('en-US')]));
    const page = await open('index.html');
    const pyramid = page.locator('figure', { hasText: 'Risk pyramid' });
    const ticks = await pyramid.locator('g[aria-label="y-axis tick label"] text').allTextContents();
    const counts = await pyramid.locator('g[aria-description="tier count"] text').allTextContents();
    expect(ticks).toEqual(['critical', 'high', 'elevated', 'routine']);
    expect(Object.fromEntries(ticks.map((t, i) => [t, counts[i]]))).toEqual(expected);
    expect(await pyramid.locator('svg').getAttribute('aria-label')).toMatch(/^Risk pyramid\. Members per tier: critical \d/);
    // the partners enrolled some of last week's members: the scorecard shows them (its arithmetic is tested in
    // test/scoring/scorecard.test.ts)
    const enrolled = await page.locator('table', { hasText: 'median days to contact' }).locator('tbody tr td:nth-child(4)').allTextContents();
    expect(enrolled.map(Number).reduce((a, b) => a + b, 0)).toBeGreaterThan(0);
    // three runs: the chart over the as-of dates has a dot per run for each line
    const runs = page.locator('figure', { hasText: 'Tiers and flags over the as-of dates' });
    expect(await runs.locator('g[aria-description="flagged"] circle').count()).toBe(3);
    await page.screenshot({ path: join(SCREENSHOTS, 'overview.png'), fullPage: true });
    await page.close();
  });

  it("each partner page lists exactly that partner's flagged members, in rank order", async () => {
    for (const { name } of config.partners) {
      const flagged = await ctx.engine.query<{ person_id: string }>(`select person_id from flags where as_of_date = date '${AS_OF}' and partner = '${name}' order by rank`);
      const page = await open(`partners/${name}.html`);
      const members = await page.locator('#worklist tbody tr td:nth-child(2)').allTextContents();
      expect(members, name).toEqual(flagged.map((f) => f.person_id));
      expect(members.length, name).toBeGreaterThan(0);
      await page.close();
    }
  });

  it('a partner page sorts by a column from the keyboard and filters by what is typed', async () => {
    const name = config.partners[0]!.name;
    const page = await open(`partners/${name}.html`);
    const ranks = () => page.locator('#worklist tbody tr:not([hidden]) td:first-child').allTextContents();
    const before = (await ranks()).map(Number);
    expect(before).toEqual([...before].sort((a, b) => a - b));
    const rankHeader = page.locator('#worklist th', { hasText: 'rank' }).locator('button');
    await rankHeader.focus();
    await page.keyboard.press('Enter'); // ascending
    await page.keyboard.press('Enter'); // descending
    expect((await ranks()).map(Number)).toEqual([...before].sort((a, b) => b - a));
    const someone = (await page.locator('#worklist tbody tr td:nth-child(2)').allTextContents())[3]!;
    await page.locator('input[data-filter="worklist"]').fill(someone);
    expect(await page.locator('#worklist tbody tr:not([hidden]) td:nth-child(2)').allTextContents()).toEqual([someone]);
    await page.locator('input[data-filter="worklist"]').fill('');
    await page.screenshot({ path: join(SCREENSHOTS, 'partner.png') });
    await page.close();
  });

  it('a member page draws a point per day with readings, with the thresholds, and the score over the three runs', async () => {
    // the flagged member with the most blood-pressure days in the 90 days ending on the as-of date
    const [member] = await ctx.engine.query<{ person_id: string; partner: string; days: number }>(
      `select f.person_id, f.partner, count(distinct cast(o.observed_at as date)) as days
         from flags f join observations o on o.person_id = f.person_id
        where f.as_of_date = date '${AS_OF}' and o.loinc_code = '8480-6'
          and o.observed_at >= timestamp '${AS_OF} 00:00:00' - interval '89' day and o.observed_at < timestamp '${AS_OF} 00:00:00' + interval '1' day
        group by 1, 2 order by days desc, 1 limit 1`,
    );
    expect(member!.days).toBeGreaterThan(20);
    const page = await open(`members/${member!.person_id}.html`);
    const bp = page.locator('figure', { hasText: 'Blood pressure' });
    // the systolic line is one path with a dot marker on each vertex: "M x,y" then "L x,y" per further day
    const d = (await bp.locator('g[aria-description="systolic"] path').getAttribute('d'))!;
    expect(d.match(/[ML]/g)!.length).toBe(member!.days);
    expect(await bp.locator('figcaption').textContent()).toContain(`${member!.days} days with readings`);
    // thresholds of config/stratify.json: crisis 180, uncontrolled 140 systolic and 90 diastolic, low systolic 90 (one
    // rule for the two at 90)
    expect(await bp.locator('g[aria-description="threshold label"] text').allTextContents()).toEqual([
      'crisis 180/110',
      'uncontrolled systolic 140',
      'uncontrolled diastolic 90 · low systolic 90',
    ]);
    const scores = await ctx.engine.query<{ score: number }>(`select score from scores where person_id = '${member!.person_id}' order by as_of_date`);
    expect(scores).toHaveLength(3);
    const score = page.locator('figure', { hasText: 'Score over the runs' });
    expect(await score.locator('g[aria-description="score"] circle').count()).toBe(3);
    expect(await score.locator('svg').getAttribute('aria-label')).toContain(`2026-06-16 ${scores[0]!.score.toFixed(1)}`);
    for (const svg of await page.locator('figure svg').all()) expect(await svg.getAttribute('aria-label')).toMatch(/\. .+/);
    // each reason with its points: they add up to the member's score (each shown to one decimal)
    const [flag] = await ctx.engine.query<{ score: number }>(`select score from flags where person_id = '${member!.person_id}' and as_of_date = date '${AS_OF}'`);
    const points = await page.locator('table', { hasText: 'Reasons of the score' }).locator('tbody tr td:nth-child(3)').allTextContents();
    expect(points.length).toBeGreaterThan(0);
    expect(Math.abs(points.map(Number).reduce((a, b) => a + b, 0) - flag!.score)).toBeLessThanOrEqual(0.05 * points.length);
    expect(await page.locator('body').textContent()).not.toMatch(/birth|address|\b(name|phone)\b/i);
    await page.screenshot({ path: join(SCREENSHOTS, 'member.png'), fullPage: true });
    await page.close();
  });

  it('no page logged an error or asked for anything beyond its own file', () => {
    expect(errors).toEqual([]);
    expect(outside).toEqual([]);
  });
});
