/**
 * Runs the Tuva medical_claim rules of queries/ingest/ on DuckDB over a `raw_records` made of the records given, as
 * the runner of lib/ingest/sql binds a file (every column VARCHAR under its canonical name, trimmed, NULL when empty
 * or absent), with
 * `members` and `ingest_params` as it sets them: for testing a rule case by case without a file.
 */
import { loadIngestQuery } from '../../lib/ingest/sql/queries.js';
import { IngestDb, sqlString } from '../../lib/ingest/sql/db.js';
import { ingestParamsSql } from '../../lib/ingest/sql/params.js';
import { boundColumnsSql } from '../../lib/ingest/sql/raw-records.js';
import { tuvaMedicalClaimSql } from '../../lib/ingest/sql/tuva-medical-claim.js';
import type { SqlRow } from '../../lib/sql/port.js';

export type ClaimRecord = Readonly<Record<string, string | null>>;

export interface MedicalClaimSqlResult {
  /** one row per record: the medical_claims columns, reject_* and dx_1..25 */
  readonly records: SqlRow[];
  /** the diagnoses rows, by claim and position */
  readonly diagnoses: SqlRow[];
  /** the file's conventions row */
  readonly conventions: SqlRow;
}

/** the records numbered from 1 in order; `members` empty: no person is checked */
export async function medicalClaimSql(records: readonly ClaimRecord[], members: readonly string[] = [], now = Date.parse('2025-07-01T12:00:00Z')): Promise<MedicalClaimSqlResult> {
  const db = await IngestDb.open();
  try {
    // the file's fields as c1…cN, bound as the runner binds a header (trimmed, NULL when empty)
    const columns = tuvaMedicalClaimSql.columns.map((c, i) => ({ name: c.name, field: c.name, position: i + 1 }));
    const value = (v: string | null | undefined) => (v === null || v === undefined ? 'CAST(NULL AS VARCHAR)' : sqlString(v));
    const row = (r: ClaimRecord, i: number) =>
      `SELECT ${i + 1} AS source_record, 'record ${i + 1}' AS raw_record, ${columns.map((c) => `${value(r[c.name])} AS c${c.position}`).join(', ')}`;
    // no record: the columns all the same
    const rows = records.length > 0 ? records.map(row).join(' UNION ALL ') : `${row({}, 0)} WHERE false`;
    await db.run(`CREATE TEMP TABLE raw_records AS SELECT source_record, raw_record, ${boundColumnsSql({ columns }).join(', ')} FROM (${rows})`);
    await db.run('CREATE TEMP TABLE members (person_id VARCHAR)');
    if (members.length > 0) await db.run(`INSERT INTO members VALUES ${members.map((m) => `(${sqlString(m)})`).join(', ')}`);
    await db.run(ingestParamsSql('claims.csv', '0'.repeat(64), { now }));
    const query = tuvaMedicalClaimSql.query;
    if (typeof query !== 'string') throw new Error('the medical claims query is a file of queries/ingest/');
    await db.run(`CREATE TEMP TABLE ingest_result AS ${loadIngestQuery(query)}`);
    await db.run('CREATE TEMP VIEW ingest_accepted AS SELECT * FROM ingest_result WHERE reject_reason IS NULL');
    // DATE columns as the curated tables give them: `YYYY-MM-DD`
    const days = (rows: SqlRow[]) => rows.map((r) => Object.fromEntries(Object.entries(r).map(([k, v]) => [k, v instanceof Date ? v.toISOString().slice(0, 10) : v])));
    return {
      records: days(await db.query('SELECT * FROM ingest_result ORDER BY source_record')),
      diagnoses: days(await db.query(`SELECT * FROM (${loadIngestQuery(tuvaMedicalClaimSql.tableQueries!.diagnoses!)}) ORDER BY claim_id, position`)),
      conventions: (await db.query(tuvaMedicalClaimSql.finding!.sql()))[0]!,
    };
  } finally {
    db.close();
  }
}
