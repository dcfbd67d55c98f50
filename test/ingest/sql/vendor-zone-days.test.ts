/**
 * The vendor select's zone offsets (lib/ingest/sql/vendor/zones.ts) come from two lookups: a zone's one offset of a
 * day, and on the days around a change (whose offsets from two days before to three after differ) the offset of each
 * quarter hour. 3,000 readings 7 minutes apart from 3 March 2026 00:00 in three US zones cross the 8 March change, so
 * one file holds days of each kind, and a record of each must come out at its instant, or in the gap.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { IngestDb } from '../../../lib/ingest/sql/db.js';
import { ingestParamsSql } from '../../../lib/ingest/sql/params.js';
import { vendorCsvQuery } from '../../../lib/ingest/sql/vendor-csv.js';
import { parseMapping } from '../../../lib/ingest/vendor-mapping.js';

const ZONES = ['America/New_York', 'America/Chicago', 'America/Denver'];
const MAPPING = parseMapping('zone-days.mapping.json', {
  person: 'patient',
  device: 'serial',
  time: { column: 'taken', format: 'MM/dd/yyyy hh:mm:ss a', zone_column: 'tz' },
  long: { measure: 'type', value: 'reading', unit_column: 'unit', measures: { PUL: 'heart_rate' } },
  units: { bpm: '/min' },
});

describe('vendor CSV: zone offsets of a file across a daylight-saving change', () => {
  let db: IngestDb;
  beforeAll(async () => {
    db = await IngestDb.open();
    await db.run(ingestParamsSql('zone-days.csv', '0'.repeat(64), { now: Date.UTC(2026, 5, 30) }));
    await db.run(`CREATE TABLE members AS SELECT 'P' || i AS person_id FROM range(0, 5) t(i)`);
    // record i: person P(i mod 5), zone ZONES[i mod 3], heart rate 60 + i mod 30, taken at 3 March 00:00 + 7i minutes
    await db.run(`CREATE TABLE raw_records AS
      SELECT i AS source_record, CAST(NULL AS VARCHAR) AS raw_record, 'P' || (i % 5) AS person, 'D1' AS device,
        [${ZONES.map((z) => `'${z}'`).join(', ')}][i % 3 + 1] AS zone, 'PUL' AS measure, CAST(60 + i % 30 AS VARCHAR) AS value_0, 'bpm' AS unit_0,
        strftime(TIMESTAMP '2026-03-03 00:00:00' + INTERVAL (i * 7) MINUTE, '%m/%d/%Y %I:%M:%S %p') AS time
      FROM range(1, 3001) t(i)`);
    await db.run(`CREATE TABLE ingest_result AS ${vendorCsvQuery(MAPPING, ZONES)}`);
  });
  afterAll(() => db.close());

  it('resolves days of one offset and the days around the change alike', async () => {
    const rows = await db.query<{ source_record: number; observed_at: string | null; reject_reason: string | null }>(
      `SELECT source_record, strftime(observed_at, '%Y-%m-%dT%H:%M') AS observed_at, reject_reason FROM ingest_result WHERE source_record IN (1, 1040, 1046, 1115, 2000) ORDER BY source_record`,
    );
    // 3,000 records less the 9 in the gap below, one heart rate each
    const [accepted] = await db.query<{ n: number }>(`SELECT count(*) AS n FROM ingest_result WHERE reject_reason IS NULL`);
    expect(accepted!.n).toBe(2991);
    expect(rows).toEqual([
      // 1: 7 min, 03/03 00:07 in Chicago (1 mod 3 = 1), CST UTC−6
      { source_record: 1, observed_at: '2026-03-03T06:07', reject_reason: null },
      // 1040: 7,280 min = 5 d 1 h 20 min, 03/08 01:20 in Denver (1040 mod 3 = 2), still MST UTC−7
      { source_record: 1040, observed_at: '2026-03-08T08:20', reject_reason: null },
      // 1046: 7,322 min = 03/08 02:02, which the clocks skip (02:00 → 03:00) in every zone here
      { source_record: 1046, observed_at: null, reject_reason: 'local time does not exist in America/Denver (daylight-saving gap)' },
      // 1115: 7,805 min = 03/08 10:05 in Denver, MDT UTC−6
      { source_record: 1115, observed_at: '2026-03-08T16:05', reject_reason: null },
      // 2000: 14,000 min = 9 d 17 h 20 min, 03/12 17:20 in Denver, MDT UTC−6
      { source_record: 2000, observed_at: '2026-03-12T23:20', reject_reason: null },
    ]);
    // 03/08 02:00-02:59 are 7,320-7,379 min: records 1046 (7,322) to 1054 (7,378)
    const [gap] = await db.query<{ n: number }>(`SELECT count(*) AS n FROM ingest_result WHERE reject_reason LIKE 'local time does not exist%'`);
    expect(gap!.n).toBe(9);
  });
});
