/**
 * Today's TypeScript path and the SQL path of a device file, side by side, for the comparison tests: the same file
 * ingested by lib/pipeline/ingest (observations and quarantine lines as stored), and run through the composed device
 * SQL over a `raw_records` built in the test's own DuckDB (known persons: the members the store has committed).
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { sqlText } from '../../../lib/ingest/sql/devices.js';
import { knownZones, vendorColumns, vendorCsvQuery, zonesQuery } from '../../../lib/ingest/sql/vendor-csv.js';
import { ingest, type IngestReport } from '../../../lib/pipeline/ingest.js';
import type { LoadedMapping, VendorMapping } from '../../../lib/ingest/vendor-mapping.js';
import { quarantineLines, textSource, type TestContext } from '../helpers.js';

export interface PathResult {
  readonly counts: { read: number; accepted: number; quarantined: number; skipped: number };
  /** person, instant (ms), code, value rounded to 1e-9, unit, device, record */
  readonly rows: string[];
  /** {record, field, reason, value, raw} as JSON */
  readonly quarantine: string[];
  readonly skipReasons: Record<string, number>;
}

const rowKey = (r: Record<string, unknown>) =>
  JSON.stringify([r.person_id, r.observed_at, r.loinc_code, Math.round((r.value as number) * 1e9) / 1e9, r.unit, r.device_id ?? null, r.source_record]);

export async function typescriptPath(ctx: TestContext, name: string, text: string, mapping?: LoadedMapping): Promise<PathResult> {
  const [report] = (await ingest(ctx, [textSource(name, text)], mapping ? { mapping } : {})) as [IngestReport];
  if (report.error) throw new Error(report.error);
  // the Parquet parts as written (the observations view keeps the latest record of a key)
  const parts = `${ctx.store.pathOf('curated/observations/')}/*.parquet`;
  const rows = report.rows.observations ? await ctx.engine.query(`SELECT * FROM read_parquet('${parts}') WHERE source_file = ?`, [{ string: name }]) : [];
  const quarantine = (await quarantineLines(ctx)).filter((l) => l.file === name).map((l) => JSON.stringify([l.record, l.field, l.reason, l.value, l.raw]));
  return {
    counts: { read: report.read, accepted: report.accepted, quarantined: report.quarantined, skipped: report.skippedRecords },
    rows: rows.map(rowKey).sort(),
    quarantine: quarantine.sort(),
    skipReasons: report.skipReasons,
  };
}

/** runs `query` (composed, with three placeholders) over raw_records built by `rawRecordsSql(path)` */
export async function sqlPath(
  ctx: TestContext,
  dir: string,
  name: string,
  text: string,
  rawRecordsSql: (path: string) => string,
  query: string | (() => Promise<string>),
  now = Date.now(),
): Promise<PathResult> {
  const path = join(dir, name.replaceAll('/', '_'));
  await writeFile(path, text);
  const c = ctx.engine.connection;
  await c.run(`CREATE OR REPLACE TEMP TABLE raw_records AS ${rawRecordsSql(path)}`);
  // as the runner binds them: the known persons as `members`, the file's facts as `ingest_params`
  await c.run(`CREATE OR REPLACE TEMP TABLE members AS SELECT DISTINCT person_id FROM main.members`);
  const iso = new Date(now).toISOString();
  await c.run(
    `CREATE OR REPLACE TEMP TABLE ingest_params AS SELECT ${sqlText(name)} AS source_file, TIMESTAMP '${iso.slice(0, 10)} ${iso.slice(11, 23)}' AS ingested_at, DATE '${iso.slice(0, 10)}' AS delivery_day`,
  );
  const sql = typeof query === 'string' ? query : await query();
  const out = await ctx.engine.query(sql);
  // the temporary members would hide the store's members view from the next ingest
  await c.run('DROP TABLE temp.members');
  const records = Number((await ctx.engine.query(`SELECT count(*) AS n FROM raw_records`))[0]!.n);
  const accepted = out.filter((r) => r.reject_reason === null && r.skip_reason === null);
  const rejected = out.filter((r) => r.reject_reason !== null);
  const skipped = out.filter((r) => r.skip_reason !== null);
  const skipReasons: Record<string, number> = {};
  for (const s of skipped) skipReasons[s.skip_reason as string] = (skipReasons[s.skip_reason as string] ?? 0) + 1;
  const value = (r: Record<string, unknown>) => (r.reject_value === null ? null : r.reject_value_type === null ? r.reject_value : JSON.parse(r.reject_value as string));
  return {
    counts: { read: records, accepted: new Set(accepted.map((r) => r.source_record)).size, quarantined: rejected.length, skipped: skipped.length },
    rows: accepted.map(rowKey).sort(),
    quarantine: rejected.map((r) => JSON.stringify([r.source_record, r.reject_field, r.reject_reason, value(r), r.raw_record])).sort(),
    skipReasons,
  };
}

/**
 * raw_records over a vendor CSV in the test's DuckDB, the mapping's columns bound by header name (any case): each
 * record re-quoted as quarantine keeps it, numbered from 1 after the header.
 */
export function vendorRawRecords(mapping: VendorMapping, header: readonly string[]): (path: string) => string {
  const columns = header.map((_, i) => `c${i}`);
  const quoted = columns.map((c) => `case when regexp_like(coalesce(${c}, ''), '[",\\r\\n]') then '"' || replace(${c}, '"', '""') || '"' else coalesce(${c}, '') end`);
  const bound = vendorColumns(mapping).map(({ name, column }) => {
    const at = header.findIndex((h) => h.trim().toLowerCase() === column.trim().toLowerCase());
    return `c${at} as ${name}`;
  });
  return (path) =>
    `select row_number() over () as source_record, ${quoted.join(" || ',' || ")} as raw_record, ${bound.join(', ')} ` +
    `from read_csv(${sqlText(path)}, header = false, skip = 1, all_varchar = true, auto_detect = false, delim = ',', quote = '"', escape = '"', ` +
    `columns = {${columns.map((c) => `'${c}': 'VARCHAR'`).join(', ')}})`;
}

/** the vendor CSV query for the file at `text`, its zone column's zones checked first */
export async function vendorQuery(ctx: TestContext, loaded: LoadedMapping): Promise<string> {
  const zq = zonesQuery(loaded.mapping);
  const zones = zq === null ? [] : knownZones((await ctx.engine.query(zq)).map((r) => r.zone as string));
  return vendorCsvQuery(loaded, zones);
}
