/**
 * The report of one run: `reports/as_of=<date>/index.html` (the overview), `partners/<partner>.html` and
 * `members/<person_id>.html` for each flagged member, plain HTML files that open from disk. Written through the
 * ObjectStore port, so the local folder and the S3 lake get the same files.
 */
import type { StratifyConfig } from '../config/index.js';
import type { ObjectStore } from '../store/port.js';
import { loadReportData } from './data.js';
import { overviewPage } from './overview.js';
import { memberPages } from './member.js';
import { partnerPage } from './partner.js';

/** store calls in flight at once: one after the other, the 10k demo's pages (about 730) waited about 1 s on the disk (or S3) */
const AT_ONCE = 16;

async function eachAtOnce<T>(items: readonly T[], call: (item: T) => Promise<void>): Promise<void> {
  const queue = [...items];
  const worker = async () => {
    for (let item = queue.shift(); item !== undefined; item = queue.shift()) await call(item);
  };
  await Promise.all(Array.from({ length: AT_ONCE }, worker));
}

export function reportPrefix(asOf: string): string {
  return `reports/as_of=${asOf}/`;
}

export interface ReportResult {
  /** the key of the overview page */
  readonly index: string;
  readonly pages: number;
}

export async function writeReport(store: ObjectStore, asOf: string, config: StratifyConfig): Promise<ReportResult> {
  const data = await loadReportData(store, asOf, config);
  const prefix = reportPrefix(asOf);
  await eachAtOnce(await store.list(prefix), ({ key }) => store.delete(key));
  const pages: [string, string][] = [
    ...memberPages(data),
    ...config.partners.map(({ name }): [string, string] => [`partners/${name}.html`, partnerPage(data, name)]),
    ['index.html', overviewPage(data)],
  ];
  await eachAtOnce(pages, ([key, html]) => store.put(prefix + key, html));
  return { index: `${prefix}index.html`, pages: pages.length };
}
