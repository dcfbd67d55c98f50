/**
 * The SQL path against the TypeScript readers it replaces, on the same bytes: manifests (counts, reasons, notes),
 * quarantine lines and curated rows must be equal. Run on the Tuva samples, the demo generator's files and
 * hand-made bad records, before the TypeScript readers of eligibility and pharmacy claims were deleted.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { DuckDBInstance } from '@duckdb/node-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateDemo, LANDING_KEYS } from '../../../lib/demo/index.js';
import { fingerprint } from '../../../lib/ingest/fingerprint.js';
import { ingestFile } from '../../../lib/ingest/ingest-file.js';
import { KnownPersons } from '../../../lib/ingest/known-persons.js';
import type { FormatReader } from '../../../lib/ingest/mapper.js';
import { tuvaEligibilitySql, tuvaPharmacyClaimSql } from '../../../lib/ingest/sql/formats.js';
import type { SqlFormat } from '../../../lib/ingest/sql/format.js';
import { ingestSqlFile } from '../../../lib/ingest/sql/run-file.js';
import { tuvaEligibility } from '../../../lib/ingest/tuva-eligibility.js';
import { tuvaPharmacyClaim } from '../../../lib/ingest/tuva-pharmacy-claim.js';
import type { Encoding } from '../../../lib/ingest/encoding.js';
import type { IngestSource } from '../../../lib/ingest/types.js';
import { sourcesFromPaths } from '../../../lib/ingest/sources.js';
import { LocalFolderStore } from '../../../lib/store/local.js';
import { toPlain } from '../../../lib/sql/duckdb.js';
import { TUVA_SAMPLES } from '../../samples.js';

const NOW = Date.parse('2025-07-01T12:00:00Z');
const silent = () => {};

interface Outcome {
  manifests: unknown[];
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

/** eligibility then pharmacy (either may be absent) through one path, into a fresh store */
async function run(path: 'old' | 'new', files: { eligibility?: IngestSource; pharmacy?: IngestSource }, encoding?: Encoding): Promise<Outcome> {
  const root = await mkdtemp(join(tmpdir(), `stratify-compare-${path}-`));
  const store = new LocalFolderStore(root);
  const persons = await KnownPersons.load(store);
  const errors: string[] = [];
  const pairs: [IngestSource | undefined, FormatReader, SqlFormat][] = [
    [files.eligibility, tuvaEligibility, tuvaEligibilitySql],
    [files.pharmacy, tuvaPharmacyClaim, tuvaPharmacyClaimSql],
  ];
  for (const [source, reader, format] of pairs) {
    if (source === undefined) continue;
    const fp = await fingerprint(source);
    try {
      if (path === 'old') await ingestFile(store, silent, source, fp, reader, persons, { now: NOW, flushEvery: 1000, encoding });
      else await ingestSqlFile(store, silent, source, fp, format, persons, { now: NOW, flushEvery: 1000, encoding });
    } catch (e) {
      errors.push((e as Error).message);
    }
  }
  const manifests = [];
  for (const { key } of await store.list('manifests/')) {
    const { ingested_at: _, ...m } = JSON.parse((await store.get(key)).toString()) as Record<string, unknown>;
    manifests.push(m);
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

async function same(files: { eligibility?: IngestSource; pharmacy?: IngestSource }, encoding?: Encoding): Promise<Outcome> {
  const [old, neu] = [await run('old', files, encoding), await run('new', files, encoding)];
  expect(neu.errors).toEqual(old.errors);
  expect(neu.manifests).toEqual(old.manifests);
  expect(neu.quarantine).toEqual(old.quarantine);
  expect(neu.rows).toEqual(old.rows);
  return old;
}

describe('SQL ingest of eligibility and pharmacy claims equals the TypeScript readers', () => {
  it('on the Tuva samples', async () => {
    const [eligibility, pharmacy] = await sourcesFromPaths([join(TUVA_SAMPLES, 'eligibility_seed.csv'), join(TUVA_SAMPLES, 'pharmacy_claim_seed.csv')]);
    const old = await same({ eligibility, pharmacy });
    console.log('samples', JSON.stringify(old.manifests.map((m) => [(m as { read: number }).read, (m as { quarantined: number }).quarantined])));
  });

  it('on the demo generator output', async () => {
    const root = await mkdtemp(join(tmpdir(), 'stratify-compare-demo-'));
    const store = new LocalFolderStore(root);
    await generateDemo(store, { members: 2000, seed: 11, asOf: '2025-06-30' });
    const [eligibility, pharmacy] = await sourcesFromPaths([store.pathOf(LANDING_KEYS.eligibility), store.pathOf(LANDING_KEYS.pharmacyClaims)]);
    const old = await same({ eligibility, pharmacy });
    console.log('demo', JSON.stringify(old.manifests), old.quarantine.length);
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
    const old = await same({
      eligibility: await file('eligibility.csv', BAD_ELIGIBILITY.join('\n') + '\n'),
      pharmacy: await file('pharmacy.csv', BAD_PHARMACY.join('\r\n')),
    });
    console.log(old.quarantine.join('\n'));
  });

  it('the older patient_id layout, columns in another order, a column named twice, no paid_amount column', async () => {
    await same({
      eligibility: await file('older.csv', '\uFEFFPATIENT_ID,Enrollment_End_Date,birth_date,enrollment_start_date,Birth_Date\nP1,2020-12-31,1950-01-01,2020-01-01,1950-01-01\n,2020-12-31,1950-01-01,2020-01-01, 1950-01-01 \nP2,2020-12-31,1950-01-01,2020-01-01,1951-01-01\nP3,2020-12-31,,2020-01-01,1951-01-01\n'),
      pharmacy: await file('pharmacy-older.csv', 'patient_id,claim_id,claim_line_number,dispensing_date,ndc_code\nP1,C1,1,2024-01-01,49999057690\n,C2,1,2024-01-01,49999057690\nP9,C3,1,2024-01-01,49999057690\n'),
    });
  });

  it('gzip, Latin-1, a file that is not UTF-8, a file without a required column, a file of no record', async () => {
    await same({ pharmacy: await file('gz.bin', gzipSync(Buffer.from(BAD_PHARMACY.join('\n')))) });
    const latin1 = await file('latin1.csv', Buffer.from(`${ELIGIBILITY_HEADER}\nM\xfcller,,,1950-01-01,,2020-01-01,2020-12-31,,,,,,\nM\xe4ller,,,1950-01-01,,2020-01-01,2020-12-31,,,,,,\n`, 'latin1'));
    // the header is 189 bytes and its line break 1: `M` is byte 190, ü (0xfc in Latin-1) byte 191
    expect((await same({ eligibility: latin1 })).errors).toEqual(['not valid UTF-8: byte 0xfc on line 2 (byte offset 191); a Latin-1 file is read with --encoding latin1']);
    expect((await same({ eligibility: latin1 }, 'latin1')).rows['members']!.map((r) => (r as { person_id: string }).person_id)).toEqual(['Müller', 'Mäller']);
    await same({ eligibility: await file('header-only.csv', `${ELIGIBILITY_HEADER}\n`) });
    await same({ eligibility: await file('twice-and-bad.csv', `person_id,birth_date,enrollment_start_date,enrollment_end_date,person_id\n\nP1,1950-01-01,2020-01-01,2020-12-31,P1\nP2,1950-01-01\n\nP3,1950-01-01,2020-01-01,2020-12-31,P4\nP5,1950-01-01,2020-01-01,2020-12-31,P5\n`) });
    await same({ pharmacy: await file('blank-lines.csv', `${PHARMACY_HEADER}\n\nC1,1,P1,2024-01-01,49999057690\n\n\nC2,1,P1\nC3,x,P1,2024-01-01,49999057690,1,1,1\n`) });
    await same({ pharmacy: await file('no-ndc.csv', 'claim_id,claim_line_number,person_id,dispensing_date\nC1,1,P1,2024-01-01\n') });
  });
});
