/**
 * `npm run bench:report [-- --members N] [-- --home DIR]`: how long `stratify report` takes for the demo population
 * (10,000 members by default, the demo's size; issue 12's target: under 5 s), after generating it and running the
 * pipeline once. The report is written RUNS times; each time and the pages written are printed, with the CPU time the
 * process used (on a shared machine the wall time grows with the other work; the CPU time much less).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { toTable } from '../lib/cli/format.js';
import { openLocal } from '../lib/cli/local.js';
import { loadConfig } from '../lib/config/index.js';
import { generateDemo } from '../lib/demo/index.js';
import { runPipeline } from '../lib/pipeline/run.js';
import { loadReportData } from '../lib/report/data.js';
import { writeReport } from '../lib/report/index.js';

const RUNS = 3;
const { values } = parseArgs({ options: { members: { type: 'string', default: '10000' }, home: { type: 'string' } } });
const asOf = '2026-06-30';
const home = values.home ?? (await mkdtemp(join(tmpdir(), 'stratify-report-bench-')));
const ctx = await openLocal(home, () => {});
const config = loadConfig();
if (!(await ctx.store.exists(`scores/as_of=${asOf}/scores.parquet`))) {
  await generateDemo(ctx.store, { members: Number(values.members), seed: 42, asOf });
  await runPipeline(ctx, asOf, config);
}
const rows = [];
for (let i = 1; i <= RUNS; i++) {
  let t0 = performance.now();
  await loadReportData(ctx.store, asOf, config);
  const read = (performance.now() - t0) / 1000;
  t0 = performance.now();
  const cpu0 = process.cpuUsage();
  const r = await writeReport(ctx.store, asOf, config);
  const cpu = process.cpuUsage(cpu0);
  rows.push({
    run: i,
    pages: r.pages,
    'report s (read + render + write)': ((performance.now() - t0) / 1000).toFixed(2),
    'CPU s (user + system)': ((cpu.user + cpu.system) / 1e6).toFixed(2),
    'of which reading the store s': read.toFixed(2),
  });
}
console.log(`Report of ${asOf} in ${home} (load average ${loadavg()[0]!.toFixed(1)}); target: under 5 s`);
process.stdout.write(toTable(rows));
await ctx.engine.close();
if (!values.home) await rm(home, { recursive: true, force: true });
