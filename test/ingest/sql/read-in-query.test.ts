/**
 * A small CSV file is read by its format's query itself, its fields not stored first (run-file.ts,
 * `readInQueryBytes`); a larger one is stored in `ingest_csv` and the query reads that. Both reads must give the same
 * outcome, record numbers and the CSV parser's rejects included: here the same eligibility and medical claims files
 * are ingested both ways.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fingerprint } from '../../../lib/ingest/fingerprint.js';
import { KnownPersons } from '../../../lib/ingest/known-persons.js';
import { tuvaEligibilitySql } from '../../../lib/ingest/sql/formats.js';
import { ingestSqlFile } from '../../../lib/ingest/sql/run-file.js';
import { tuvaMedicalClaimSql } from '../../../lib/ingest/sql/tuva-medical-claim.js';
import { sourcesFromPaths } from '../../../lib/ingest/sources.js';
import { LocalFolderStore } from '../../../lib/store/local.js';
import { toPlain } from '../../../lib/sql/duckdb.js';

const NOW = Date.parse('2025-07-01T12:00:00Z');

const ELIGIBILITY = [
  'person_id,birth_date,gender,enrollment_start_date,enrollment_end_date,payer',
  'P1,1950-01-01,F,2020-01-01,2020-12-31,Acme',
  ' P2 ,1950-02-01,m,2020-01-01,2020-12-31,"Acme, Inc."',
  'P3,1950-03-01,f,2020-01-01,2019-12-31,Acme',
  '',
  'P4,"bad"x,f,2020-01-01,2020-12-31,Acme',
  'P5,1950-05-01,f',
  'P6,1950-06-01,f,2020-01-01,2020-12-31,"two',
  'lines"',
  'P7,1950-07-01,f,2020-01-01,2020-12-31,Acme',
].join('\n');

const MEDICAL = [
  'claim_id,claim_line_number,claim_type,person_id,claim_start_date,claim_end_date,diagnosis_code_1,diagnosis_code_2',
  'C1,1,professional,P1,2024-01-01,2024-01-01,E11.9,I10',
  'C1,2,professional,P1,2024-01-01,2024-01-01,E11.9,',
  'C2,1,institutional,NOBODY,2024-02-01,2024-02-03,I50.9,',
  'C3,1,professional,P2,2024-03-01,2024-03-01,"E11.9",extra,field',
  '',
  'C4,1,professional,P7,2024-04-01,2024-04-01,12345,',
  'C5,1,professional,P7,2024-05-01,2024-05-01,J44.9,',
].join('\r\n');

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'stratify-read-in-query-'));
  await writeFile(join(dir, 'eligibility.csv'), ELIGIBILITY);
  await writeFile(join(dir, 'medical_claim.csv'), MEDICAL);
});
afterAll(() => rm(dir, { recursive: true, force: true }));

async function rowsOf(store: LocalFolderStore, prefix: string): Promise<unknown[]> {
  const parts = (await store.list(prefix)).map((o) => `'${store.pathOf(o.key)}'`);
  const db = await DuckDBInstance.create(':memory:');
  const conn = await db.connect();
  try {
    const reader = await conn.runAndReadAll(`SELECT * FROM read_parquet([${parts.join(', ')}]) ORDER BY ALL`);
    const names = reader.columnNames();
    return reader.getRows().map((r) => Object.fromEntries(r.map((v, i) => [names[i], toPlain(v)])));
  } finally {
    conn.closeSync();
    db.closeSync();
  }
}

/** both files into a fresh store, read in the query when `readInQueryBytes` lets them */
async function outcome(readInQueryBytes: number) {
  const root = await mkdtemp(join(tmpdir(), 'stratify-read-in-query-store-'));
  try {
    const store = new LocalFolderStore(root);
    const persons = await KnownPersons.load(store);
    const [eligibility, medical] = await sourcesFromPaths([join(dir, 'eligibility.csv'), join(dir, 'medical_claim.csv')]);
    await ingestSqlFile(store, () => {}, eligibility!, await fingerprint(eligibility!), tuvaEligibilitySql, persons, { now: NOW, readInQueryBytes });
    await ingestSqlFile(store, () => {}, medical!, await fingerprint(medical!), tuvaMedicalClaimSql, persons, { now: NOW, readInQueryBytes });
    // every object but the Parquet parts (the manifests and the quarantine logs), the instant of ingest left out
    const texts = new Map<string, string>();
    for (const { key } of await store.list('')) {
      if (!key.endsWith('.parquet')) texts.set(key, Buffer.from(await store.get(key)).toString().replace(/"ingested_at":"[^"]*"/, '"ingested_at":""'));
    }
    return {
      texts,
      manifests: [...texts].filter(([key]) => key.startsWith('manifests/')).map(([, text]) => JSON.parse(text) as Record<string, unknown>),
      members: await rowsOf(store, 'curated/members/'),
      medical_claims: await rowsOf(store, 'curated/medical_claims/'),
      diagnoses: await rowsOf(store, 'curated/diagnoses/'),
    };
  } finally {
    await rm(root, { recursive: true, force: true });
  }
}

describe('a CSV file read by its query', () => {
  it('gives the outcome of the same file stored first: counts, record numbers, quarantine lines, rows', async () => {
    const inQuery = await outcome(2 ** 20);
    const stored = await outcome(0);
    expect(inQuery).toEqual(stored);
    // eligibility: P1…P7 are 7 records (the blank line none, P6 over two lines one); P3 ends before it starts, P4's
    // quote and P5's 3 fields of 6 are the parser's: 7 - 3 = 4 accepted (P1, P2 trimmed, P6, P7)
    // medical: 6 lines; C2's person is unknown, C3 has 9 fields of 8, C4's 12345 is no ICD-10 code: C1's two lines and C5
    const counts = inQuery.manifests.map((m) => [m['format'], m['read'], m['accepted'], m['quarantined']]);
    expect(counts).toEqual(
      expect.arrayContaining([
        ['tuva-eligibility', 7, 4, 3],
        ['tuva-medical-claim', 6, 3, 3],
      ]),
    );
    expect(inQuery.members.map((r) => (r as { person_id: string; source_record: number }).source_record)).toEqual([1, 2, 6, 7]);
    // C1's positions 1 and 2 (E119 from line 1, I10), C5's J449
    expect(inQuery.diagnoses.map((r) => (r as { icd10_code: string }).icd10_code)).toEqual(['E119', 'I10', 'J449']);
  });
});
