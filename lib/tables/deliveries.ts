/**
 * Deliveries: what makes a landing file's rows visible, and which delivery of a record wins.
 *
 * A file's rows are visible only once its manifest (`manifests/<sha16>.json`, one line of JSON) is committed: the
 * `deliveries` table is the manifests, and every reader of the curated tables goes through it. Parts written by an
 * ingest that died before its manifest are in the store but in no delivery, so nobody reads them, and the next
 * ingest removes them (lib/ingest/leftovers.ts).
 *
 * Records are keyed, and the latest delivery of a key wins (payers resend: monthly full refreshes that repeat earlier
 * months, corrected claims that replace earlier versions): medical and pharmacy claim lines by claim id and line
 * number, eligibility spans by person and span start, readings by person, device, code and instant. A claim's
 * diagnoses come whole from the latest delivery of that claim, so a corrected claim that drops a code drops it.
 * "Latest" is the order of the manifests' commits (`ingested_at`, then the content hash to break a tie); within one
 * delivery, the later record of the file (`source_record`).
 *
 * Three names per curated table, the same on both engines (DuckDB views locally, Glue tables and Athena views on AWS):
 * `<table>_parts` every row of every part as written, with the pseudo-column `"$path"` (Athena's own; DuckDB's
 * `filename` under that name); `<table>_versions` the committed rows with their delivery and `version_rank` (1 =
 * the winner); and `<table>`, the winners, which queries/ and analysts read. The view text below is Trino SQL that
 * DuckDB runs unchanged.
 */
import { defineTable, type TableDef } from './define.js';
import type { CuratedTableName } from './curated.js';

export const deliveries = defineTable('deliveries', 'manifests/', 'One row per committed landing file (its manifest).', [
  ['file', 'string', 'required', 'the landing file the content first arrived as'],
  ['sha256', 'string', 'required', 'sha256 of the decompressed content: the identity of the delivery'],
  ['format', 'string', 'required', 'the input format it was read as'],
  ['ingested_at', 'string', 'required', 'ISO 8601 instant its manifest was committed: the order of deliveries'],
]);

/** the columns that key a record; `whole`: the record is the whole group (a claim's diagnoses) */
export const RECORD_KEYS: Readonly<Record<CuratedTableName, { readonly columns: readonly string[]; readonly whole?: true }>> = {
  members: { columns: ['person_id', 'enrollment_start_date'] },
  medical_claims: { columns: ['claim_id', 'claim_line_number'] },
  diagnoses: { columns: ['claim_id'], whole: true },
  pharmacy_claims: { columns: ['claim_id', 'claim_line_number'] },
  observations: { columns: ['person_id', 'device_id', 'loinc_code', 'observed_at'] },
};

/**
 * a curated part's key as ingest writes it, `curated/<table>/<sha16>-NNNN.parquet`: the sha16 of the delivery that
 * wrote it. A compacted part (`c-<digest>-NNNN.parquet`, lib/pipeline/compact.ts) holds rows of several committed
 * deliveries, each row naming its own in `source_sha256`.
 */
export const PART_NAME = /(?:^|\/)([0-9a-f]{16})-[0-9]+\.parquet$/;
/** a compacted part: only committed deliveries are compacted */
export const COMPACTED_PART_NAME = /(?:^|\/)c-[0-9a-f]{16}-[0-9]+\.parquet$/;

export const partsName = (t: TableDef<string, unknown>): string => `${t.name}_parts`;
export const versionsName = (t: TableDef<string, unknown>): string => `${t.name}_versions`;

/** `<table>_versions`: the committed rows, each with its delivery and its rank among the versions of its key */
export function versionsSql(t: TableDef<CuratedTableName, unknown>): string {
  const key = RECORD_KEYS[t.name];
  const by = key.columns.map((c) => `p.${c}`).join(', ');
  const rank = key.whole
    ? `dense_rank() over (partition by ${by} order by d.ingested_at desc, d.sha256 desc)`
    : `row_number() over (partition by ${by} order by d.ingested_at desc, d.sha256 desc, p.source_record desc nulls last, p."$path" desc)`;
  return [
    `select ${t.columns.map((c) => `p.${c.name}`).join(', ')}`,
    `, d.sha256 as delivery_sha256, d.ingested_at as delivered_at`,
    `, ${rank} as version_rank`,
    ...partsWithDelivery(t),
  ].join('\n');
}

/** the table's committed rows (`p`, or `rows`), each with its delivery `d`; a part written before rows named it is named by its file */
function partsWithDelivery(t: TableDef<CuratedTableName, unknown>, rows = 'p'): string[] {
  return [
    `from ${partsName(t)} ${rows}`,
    `join deliveries d on substr(d.sha256, 1, 16) = substr(coalesce(${rows}.source_sha256, regexp_extract(${rows}."$path", '${PART_NAME.source}', 1)), 1, 16)`,
  ];
}

/** `<table>`: the latest delivery of each key */
export function latestSql(t: TableDef<CuratedTableName, unknown>): string {
  return `select ${t.columns.map((c) => c.name).join(', ')}\nfrom ${versionsName(t)}\nwhere version_rank = 1`;
}

/**
 * One row when a delivery committed before the one given (parameters: its ingested_at twice, its sha256) wrote rows
 * of the table, none otherwise: a join with the small `deliveries` that stops at the first row, in constant memory.
 * When it gives none, nothing can have been replaced, and replacedSql, which hashes every key of the delivery, need
 * not run.
 */
export function earlierRowsSql(t: TableDef<CuratedTableName, unknown>): string {
  return ['select 1 as found', ...partsWithDelivery(t), 'where d.ingested_at < ? or (d.ingested_at = ? and d.sha256 < ?)', 'limit 1'].join('\n');
}

/**
 * Bind the delivery's sha256, its `ingested_at` twice and its sha256 again: how many distinct keys of that delivery
 * an earlier committed delivery also has (the records it replaced). Not defined for a `whole` key (a claim's diagnoses).
 * It reads the keys of the parts alone, not `<table>_versions`, whose ranking window carries every column of every
 * delivery: on a 2 GB claims file delivered after a 0.5 GB one that reached 3,394 MiB of RSS, this 1,561 MiB.
 */
export function replacedSql(t: TableDef<CuratedTableName, unknown>): string {
  const cols = RECORD_KEYS[t.name].columns;
  const match = cols.map((c) => `o.${c} is not distinct from f.${c}`).join(' and ');
  return [
    `select count(*) as replaced`,
    `from (select distinct ${cols.map((c) => `p.${c}`).join(', ')} ${partsWithDelivery(t).join(' ')} where d.sha256 = ?) f`,
    `where exists (`,
    `  select 1 ${partsWithDelivery(t, 'o').join(' ')}`,
    `  where (d.ingested_at < ? or (d.ingested_at = ? and d.sha256 < ?)) and ${match}`,
    `)`,
  ].join('\n');
}
