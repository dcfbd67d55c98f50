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
  for (const { key } of await store.list(prefix)) await store.delete(key);
  let pages = 0;
  const put = async (key: string, html: string) => {
    await store.put(prefix + key, html);
    pages++;
  };
  for (const [key, html] of memberPages(data)) await put(key, html);
  for (const { name } of config.partners) await put(`partners/${name}.html`, partnerPage(data, name));
  await put('index.html', overviewPage(data));
  return { index: `${prefix}index.html`, pages };
}
