/**
 * The SQL path against the TypeScript readers it replaced, on the same bytes: manifests (counts, reasons, notes),
 * quarantine lines and curated rows must be equal. On the Tuva samples, the demo generator's files (500 members) and
 * hand-made bad records. The TypeScript readers' outcomes (lib/ingest/tuva-eligibility.ts, tuva-pharmacy-claim.ts, in
 * the commit before they were deleted) were recorded in fixtures/typescript-outcomes.json by this test run against
 * them; curated rows of the larger inputs are kept as a count and a sha256 of their JSON.
 */
import { createHash } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { DuckDBInstance } from '@duckdb/node-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateDemo, LANDING_KEYS } from '../../../lib/demo/index.js';
import { fingerprint } from '../../../lib/ingest/fingerprint.js';
import { KnownPersons } from '../../../lib/ingest/known-persons.js';
import { tuvaEligibilitySql, tuvaPharmacyClaimSql } from '../../../lib/ingest/sql/formats.js';
import type { SqlFormat } from '../../../lib/ingest/sql/format.js';
import { ingestSqlFile } from '../../../lib/ingest/sql/run-file.js';
import type { Encoding } from '../../../lib/ingest/encoding.js';
import type { IngestSource } from '../../../lib/ingest/types.js';
import { sourcesFromPaths } from '../../../lib/ingest/sources.js';
import { LocalFolderStore } from '../../../lib/store/local.js';
import { toPlain } from '../../../lib/sql/duckdb.js';
import { TUVA_SAMPLES } from '../../samples.js';

const NOW = Date.parse('2025-07-01T12:00:00Z');
const silent = () => {};

interface Outcome {
  manifests: { format: string; read: number; accepted: number; quarantined: number; reasons: Record<string, number> }[];
  quarantine: string[];
  rows: Record<string, unknown[]>;
  errors: string[];
}

async function curatedRows(store: LocalFolderStore, prefix: string): Promise<unknown[]> {
  const parts = (await store.list(prefix)).map((o) => `'${store.pathOf(o.key)}'`);
  if (parts.length === 0) return [];
  const db = await DuckDBInstance.create(':memory:');
  const conn = await db.connect();
  const reader = await conn.runAndReadAll(`SELECT * FROM read_parquet([${parts.join(', ')}]) ORDER BY source_sha256, source_record`);
  const names = reader.columnNames();
  const rows = reader.getRows().map((r) => Object.fromEntries(r.map((v, i) => [names[i], toPlain(v)])));
  conn.closeSync();
  db.closeSync();
  return rows;
}

/** eligibility then pharmacy (either may be absent) through the SQL runner, into a fresh store */
async function run(files: { eligibility?: IngestSource; pharmacy?: IngestSource }, encoding?: Encoding): Promise<Outcome> {
  const root = await mkdtemp(join(tmpdir(), 'stratify-compare-'));
  const store = new LocalFolderStore(root);
  const persons = await KnownPersons.load(store);
  const errors: string[] = [];
  const pairs: [IngestSource | undefined, SqlFormat][] = [
    [files.eligibility, tuvaEligibilitySql],
    [files.pharmacy, tuvaPharmacyClaimSql],
  ];
  for (const [source, format] of pairs) {
    if (source === undefined) continue;
    try {
      await ingestSqlFile(store, silent, source, await fingerprint(source), format, persons, { now: NOW, flushEvery: 1000, encoding });
    } catch (e) {
      errors.push((e as Error).message);
    }
  }
  const manifests = [];
  for (const { key } of await store.list('manifests/')) {
    const { ingested_at: _, ...m } = JSON.parse((await store.get(key)).toString()) as Record<string, unknown>;
    manifests.push(m as Outcome['manifests'][number]);
  }
  const quarantine = [];
  for (const { key } of await store.list('quarantine/')) quarantine.push(...Buffer.from(await store.get(key)).toString().split('\n').filter(Boolean));
  const rows = { members: await curatedRows(store, 'curated/members/'), pharmacy_claims: await curatedRows(store, 'curated/pharmacy_claims/') };
  const parts = (await store.list('curated/')).map((o) => o.key);
  await rm(root, { recursive: true, force: true });
  return { manifests, quarantine, rows: { ...rows, parts: parts as unknown[] }, errors };
}

let dir: string;
const file = async (name: string, content: string | Buffer): Promise<IngestSource> => {
  await writeFile(join(dir, name), content);
  return (await sourcesFromPaths([join(dir, name)]))[0]!;
};

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'stratify-compare-files-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

const FIXTURE = fileURLToPath(new URL('./fixtures/typescript-outcomes.json', import.meta.url));
const recorded = JSON.parse(readFileSync(FIXTURE, 'utf8')) as Record<string, Outcome>;

/** paths without the temporary folder; large row sets as a count and a digest */
function portable(o: Outcome): Outcome {
  const text = JSON.stringify(o).replaceAll(`${dir}/`, '').replaceAll(/\/tmp\/stratify-compare-demo-\w+\//g, '').replaceAll(`${TUVA_SAMPLES}/`, '');
  const out = JSON.parse(text) as Outcome;
  for (const [table, rows] of Object.entries(out.rows)) {
    if (rows.length > 100) out.rows[table] = [{ count: rows.length, sha256: createHash('sha256').update(JSON.stringify(rows)).digest('hex') }];
  }
  return out;
}

/** the SQL path's outcome equals the TypeScript readers' (recorded under `name`) */
async function same(name: string, files: { eligibility?: IngestSource; pharmacy?: IngestSource }, encoding?: Encoding): Promise<Outcome> {
  const outcome = portable(await run(files, encoding));
  const typescript = recorded[name]!;
  expect(outcome.errors).toEqual(typescript.errors);
  expect(outcome.manifests).toEqual(typescript.manifests);
  expect(outcome.quarantine).toEqual(typescript.quarantine);
  expect(outcome.rows).toEqual(typescript.rows);
  return outcome;
}

describe('SQL ingest of eligibility and pharmacy claims equals the TypeScript readers', () => {
  it('on the Tuva samples', async () => {
    const [eligibility, pharmacy] = await sourcesFromPaths([join(TUVA_SAMPLES, 'eligibility_seed.csv'), join(TUVA_SAMPLES, 'pharmacy_claim_seed.csv')]);
    const outcome = await same('samples', { eligibility, pharmacy });
    expect(outcome.manifests.map((m) => [m.format, m.read, m.accepted, m.quarantined])).toEqual([
      ['tuva-pharmacy-claim', 291, 291, 0],
      ['tuva-eligibility', 31, 31, 0],
    ]);
  });

  it('on the demo generator output', async () => {
    const root = await mkdtemp(join(tmpdir(), 'stratify-compare-demo-'));
    const store = new LocalFolderStore(root);
    await generateDemo(store, { members: 500, seed: 11, asOf: '2025-06-30' });
    const [eligibility, pharmacy] = await sourcesFromPaths([store.pathOf(LANDING_KEYS.eligibility), store.pathOf(LANDING_KEYS.pharmacyClaims)]);
    const outcome = await same('demo', { eligibility, pharmacy });
    // the demo's planted defects: a wrong date, an end before its start, a person not in eligibility, a negative amount
    expect(outcome.manifests.map((m) => [m.format, m.read, m.quarantined, m.reasons])).toEqual([
      ['tuva-pharmacy-claim', 9542, 19, { 'not a calendar date': 8, 'unknown person': 6, 'negative amount': 5 }],
      ['tuva-eligibility', 535, 2, { 'enrollment_end_date before enrollment_start_date': 1, 'not a calendar date': 1 }],
    ]);
    await rm(root, { recursive: true, force: true });
  });
});

const ELIGIBILITY_HEADER = 'person_id,member_id,gender,birth_date,death_date,enrollment_start_date,enrollment_end_date,payer,payer_type,dual_status_code,hospice_flag,long_term_institutional_flag,institutional_snp_flag';
/** one record per rule of the eligibility reader and of the plausibility ranges, plus values each rule lets through */
const BAD_ELIGIBILITY = [
  ELIGIBILITY_HEADER,
  'P1,M1,F,1950-01-01,,2020-01-01,2020-12-31,Acme,medicare,2.0,1,0,',
  ' P2 , , m ,1950-02-30,,2020-01-01,2020-12-31,,,,,,',
  'P3,,x,1950-01-01,,,2020-12-31,,,,,,',
  'P4,,,1950-01-01,,2020-01-01,2019-12-31,,,,,,',
  ',,,1950-01-01,,2020-01-01,2020-12-31,,,,,,',
  'P5,,,,,2020-01-01,2020-12-31,,,,,,',
  'P6,,,1950-01-01,1949-12-31,2020-01-01,2020-12-31,,,,,,',
  'P7,,,1950-01-01,,2020-01-01,2020-12-31,,,07,,,',
  'P8,,,1950-01-01,,2020-01-01,2020-12-31,,,na,yes,,',
  'P9,,,1950-01-01,,2020-01-01,2020-12-31,,,1,TRUE,2,',
  'P10,,,1850-01-01,,2020-01-01,2020-12-31,,,,,,',
  'P11,,,2030-01-01,,2020-01-01,2020-12-31,,,,,,',
  'P12,,,1950-01-01,,2025-07-02,9999-12-31,,,,,,1',
  'P13,,,1950-01-01,,2025-07-03,9999-12-31,,,,,,',
  'P14,,,1950-01-01,,1899-12-31,9999-12-31,,,,,,',
  'P15,,,1950-01-01,2026-01-01,2020-01-01,2020-12-31,,,,,,',
  'P16,,,1950-01-01,,2020-01-01,2020-1-31,,,,,,',
  '"P17","a ""quoted"", name",f,1950-01-01,,2020-01-01,2020-12-31,"Acme, Inc.",,99,false,,',
  'P18,"bad"x",f,1950-01-01,,2020-01-01,2020-12-31,,,,,,',
  'P19,,f,1950-01-01,,2020-01-01,2020-12-31,,,,,,,extra',
  'P20,,f,1950-01-01',
  '',
  'P21,,f,1950-01-01,,2020-01-01,2020-12-31,"multi',
  'line payer",,,,,',
  'P22,,,0000-01-01,,2020-01-01,2020-12-31,,,,,,',
  'P23,,,1950-01-01,,2020-01-01,2020-12-31,,,NA,,,',
];

const PHARMACY_HEADER = 'claim_id,claim_line_number,person_id,dispensing_date,ndc_code,quantity,days_supply,paid_amount';
/** one record per rule of the pharmacy reader and of the plausibility ranges, plus values each rule lets through */
const BAD_PHARMACY = [
  PHARMACY_HEADER,
  'C1,1,P1,2024-01-01,0002-3227-30,30,30,12.50',
  'C2,1,,2024-01-01,49999057690,30,30,1',
  'C3,1,NOBODY,2024-01-01,49999057690,30,30,1',
  ',1,P1,2024-01-01,49999057690,30,30,1',
  'C5,,P1,2024-01-01,49999057690,30,30,1',
  'C6,one,P1,2024-01-01,49999057690,30,30,1',
  'C7,1.5,P1,2024-01-01,49999057690,30,30,1',
  'C8,3.0,P1,2024-01-01,50090-539-02,1e3,30,1',
  'C9,-1,P1,2024-01-01,49999057690,30,30,1',
  'C10,99999999999,P1,2024-01-01,49999057690,30,30,1',
  'C11,1,P1,,49999057690,30,30,1',
  'C12,1,P1,2024-13-01,49999057690,30,30,1',
  'C13,1,P1,2024-01-01,,30,30,1',
  'C14,1,P1,2024-01-01,5009-53-02,30,30,1',
  'C15,1,P1,2024-01-01,50090-5396-2,abc,30,1',
  'C16,1,P1,2024-01-01,50090-5396-2,-2.50,30,1',
  'C17,1,P1,2024-01-01,49999057690,30,7.5,1',
  'C18,1,P1,2024-01-01,49999057690,30,x,1',
  'C19,1,P1,2024-01-01,49999057690,30,30,-0.5',
  'C20,1,P1,2024-01-01,49999057690,30,30,1e400',
  'C21,1,P1,1899-12-31,49999057690,30,30,1',
  'C22,1,P1,2025-07-03,49999057690,30,30,1',
  'C23,1,P1,2024-01-01,49999057690,100001,30,1',
  'C24,1,P1,2024-01-01,49999057690,30,30,10000000.01',
  'C25,1,P1,2024-01-01,49999057690,-0,30,.5',
  'C26, 2 ,P1 , 2024-01-01 , 49999-0576-90 ,,,',
  'C27,1,P1,2024-01-01,49999057690,30,30,1,2',
];

describe('SQL ingest equals the TypeScript readers on hand-made bad records', () => {
  it('every rule of eligibility and pharmacy claims, and the CSV parser’s', async () => {
    const outcome = await same('bad records', {
      eligibility: await file('eligibility.csv', BAD_ELIGIBILITY.join('\n') + '\n'),
      pharmacy: await file('pharmacy.csv', BAD_PHARMACY.join('\r\n')),
    });
    // eligibility: P1…P23 and one without a person are 24 records; P1, P12, P17, P21 (over two lines), P23 pass: 24 - 5 = 19
    // pharmacy: C1…C27 are 27 records; C1, C8 (3.0, 1e3), C25 (-0, .5), C26 (padded, 5-4-2 NDC) pass: 27 - 4 = 23
    expect(outcome.manifests.map((m) => [m.format, m.read, m.accepted, m.quarantined])).toEqual([
      ['tuva-eligibility', 24, 5, 19],
      ['tuva-pharmacy-claim', 27, 4, 23],
    ]);
  });

  it('the older patient_id layout, columns in another order, a column named twice, no paid_amount column', async () => {
    await same('older layout', {
      eligibility: await file('older.csv', '\uFEFFPATIENT_ID,Enrollment_End_Date,birth_date,enrollment_start_date,Birth_Date\nP1,2020-12-31,1950-01-01,2020-01-01,1950-01-01\n,2020-12-31,1950-01-01,2020-01-01, 1950-01-01 \nP2,2020-12-31,1950-01-01,2020-01-01,1951-01-01\nP3,2020-12-31,,2020-01-01,1951-01-01\n'),
      pharmacy: await file('pharmacy-older.csv', 'patient_id,claim_id,claim_line_number,dispensing_date,ndc_code\nP1,C1,1,2024-01-01,49999057690\n,C2,1,2024-01-01,49999057690\nP9,C3,1,2024-01-01,49999057690\n'),
    });
  });

  it('gzip, Latin-1, a file that is not UTF-8, a file without a required column, a file of no record', async () => {
    await same('gzip', { pharmacy: await file('gz.bin', gzipSync(Buffer.from(BAD_PHARMACY.join('\n')))) });
    const latin1 = await file('latin1.csv', Buffer.from(`${ELIGIBILITY_HEADER}\nM\xfcller,,,1950-01-01,,2020-01-01,2020-12-31,,,,,,\nM\xe4ller,,,1950-01-01,,2020-01-01,2020-12-31,,,,,,\n`, 'latin1'));
    // the header is 189 bytes and its line break 1: `M` is byte 190, ü (0xfc in Latin-1) byte 191
    expect((await same('not UTF-8', { eligibility: latin1 })).errors).toEqual(['not valid UTF-8: byte 0xfc on line 2 (byte offset 191); a Latin-1 file is read with --encoding latin1']);
    expect((await same('Latin-1', { eligibility: latin1 }, 'latin1')).rows['members']!.map((r) => (r as { person_id: string }).person_id)).toEqual(['Müller', 'Mäller']);
    await same('header only', { eligibility: await file('header-only.csv', `${ELIGIBILITY_HEADER}\n`) });
    await same('column twice, bad records', { eligibility: await file('twice-and-bad.csv', `person_id,birth_date,enrollment_start_date,enrollment_end_date,person_id\n\nP1,1950-01-01,2020-01-01,2020-12-31,P1\nP2,1950-01-01\n\nP3,1950-01-01,2020-01-01,2020-12-31,P4\nP5,1950-01-01,2020-01-01,2020-12-31,P5\n`) });
    await same('blank lines', { pharmacy: await file('blank-lines.csv', `${PHARMACY_HEADER}\n\nC1,1,P1,2024-01-01,49999057690\n\n\nC2,1,P1\nC3,x,P1,2024-01-01,49999057690,1,1,1\n`) });
    await same('no ndc_code column', { pharmacy: await file('no-ndc.csv', 'claim_id,claim_line_number,person_id,dispensing_date\nC1,1,P1,2024-01-01\n') });
  });
});
