/**
 * The SQL path of Tuva medical claims against the TypeScript reader it replaced (lib/ingest/tuva-medical-claim.ts),
 * on the same bytes: manifests (counts, reasons, notes, conventions), quarantine lines (raw included) and curated
 * rows (medical_claims, diagnoses) must be equal, but for the three changes the last test names. On the Tuva sample,
 * the demo generator's files (500 members) and hand-made bad records. The reader's outcomes were recorded in
 * fixtures/medical-typescript-outcomes.json by this test run against it (the commit before it was deleted ran both
 * paths); curated rows, and the quarantine lines of the demo, are kept as a count and a sha256 of their JSON.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateDemo, LANDING_KEYS } from '../../../lib/demo/index.js';
import { fingerprint } from '../../../lib/ingest/fingerprint.js';
import { KnownPersons } from '../../../lib/ingest/known-persons.js';
import { tuvaEligibilitySql } from '../../../lib/ingest/sql/formats.js';
import { ingestSqlFile } from '../../../lib/ingest/sql/run-file.js';
import { tuvaMedicalClaimSql } from '../../../lib/ingest/sql/tuva-medical-claim.js';
import type { IngestSource } from '../../../lib/ingest/types.js';
import { sourcesFromPaths } from '../../../lib/ingest/sources.js';
import { LocalFolderStore } from '../../../lib/store/local.js';
import { toPlain } from '../../../lib/sql/duckdb.js';
import { csvText } from '../helpers.js';
import { TUVA_SAMPLES } from '../../samples.js';

const NOW = Date.parse('2025-07-01T12:00:00Z');
const silent = () => {};
const FIXTURE = fileURLToPath(new URL('fixtures/medical-typescript-outcomes.json', import.meta.url));
const recorded = JSON.parse(readFileSync(FIXTURE, 'utf8')) as Record<string, unknown>;

interface Outcome {
  manifests: Record<string, unknown>[];
  quarantine: string[];
  rows: Record<string, unknown[]>;
}

async function curatedRows(store: LocalFolderStore, prefix: string): Promise<unknown[]> {
  const parts = (await store.list(prefix)).map((o) => `'${store.pathOf(o.key)}'`);
  if (parts.length === 0) return [];
  const db = await DuckDBInstance.create(':memory:');
  const conn = await db.connect();
  const reader = await conn.runAndReadAll(`SELECT * FROM read_parquet([${parts.join(', ')}]) ORDER BY source_sha256, source_record, ${prefix.includes('diagnoses') ? 'position' : 'claim_id'}`);
  const names = reader.columnNames();
  const rows = reader.getRows().map((r) => Object.fromEntries(r.map((v, i) => [names[i], toPlain(v)])));
  conn.closeSync();
  db.closeSync();
  return rows;
}

/** eligibility, then the claims files, into a fresh store */
async function run(eligibility: IngestSource, claims: IngestSource[]): Promise<Outcome> {
  const root = await mkdtemp(join(tmpdir(), 'stratify-medical-'));
  const store = new LocalFolderStore(root);
  const persons = await KnownPersons.load(store);
  await ingestSqlFile(store, silent, eligibility, await fingerprint(eligibility), tuvaEligibilitySql, persons, { now: NOW });
  for (const source of claims) {
    const fp = await fingerprint(source);
    await ingestSqlFile(store, silent, source, fp, tuvaMedicalClaimSql, persons, { now: NOW, flushEvery: 1000 });
  }
  const manifests = [];
  for (const { key } of await store.list('manifests/')) {
    const { ingested_at: _, ...m } = JSON.parse((await store.get(key)).toString()) as Record<string, unknown>;
    manifests.push(m);
  }
  const quarantine = [];
  for (const { key } of await store.list('quarantine/')) quarantine.push(...Buffer.from(await store.get(key)).toString().split('\n').filter(Boolean));
  const rows = {
    medical_claims: await curatedRows(store, 'curated/medical_claims/'),
    diagnoses: await curatedRows(store, 'curated/diagnoses/'),
    parts: (await store.list('curated/')).map((o) => o.key),
  };
  await rm(root, { recursive: true, force: true });
  return { manifests, quarantine, rows };
}

/** paths made relative to the folders they are in, which differ per run and clone; large parts as count and hash */
function digest(o: Outcome): unknown {
  const text = (v: unknown) => JSON.stringify(v).replaceAll(dir, '<dir>').replaceAll(TUVA_SAMPLES, '<samples>').replaceAll(/\/tmp\/stratify-medical-demo-[^/]+/g, '<demo>');
  const hashed = (v: unknown[]) => ({ count: v.length, sha256: createHash('sha256').update(text(v)).digest('hex') });
  return JSON.parse(text({
    manifests: o.manifests,
    quarantine: o.quarantine.length > 100 ? hashed(o.quarantine) : o.quarantine,
    rows: Object.fromEntries(Object.entries(o.rows).map(([table, rows]) => [table, table === 'parts' ? rows : hashed(rows)])),
  }));
}

/** the SQL path's outcome equals the reader's, recorded under `name` */
async function same(name: string, eligibility: IngestSource, claims: IngestSource[]): Promise<Outcome> {
  const outcome = await run(eligibility, claims);
  expect(digest(outcome)).toEqual(recorded[name]);
  return outcome;
}

let dir: string;
const file = async (name: string, content: string): Promise<IngestSource> => {
  await writeFile(join(dir, name), content);
  return (await sourcesFromPaths([join(dir, name)]))[0]!;
};
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'stratify-medical-files-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

describe('SQL ingest of Tuva medical claims equals the TypeScript reader it replaced', () => {
  it('on the Tuva sample', async () => {
    const [eligibility, claims] = await sourcesFromPaths([join(TUVA_SAMPLES, 'eligibility_seed.csv'), join(TUVA_SAMPLES, 'medical_claim_seed.csv')]);
    const outcome = await same('tuva', eligibility!, [claims!]);
    // the sample: 2,075 lines read, all accepted (lib/ingest/README.md)
    expect(outcome.manifests.find((m) => m.format === 'tuva-medical-claim')).toMatchObject({ read: 2075, accepted: 2075, quarantined: 0 });
  });

  it('on the demo generator’s claims (header amounts, reversals, resends, bad codes)', async () => {
    const root = await mkdtemp(join(tmpdir(), 'stratify-medical-demo-'));
    const store = new LocalFolderStore(root);
    await generateDemo(store, { members: 500, seed: 7, asOf: '2025-06-30' });
    const [eligibility, claims, resent] = await sourcesFromPaths([LANDING_KEYS.eligibility, LANDING_KEYS.medicalClaims, LANDING_KEYS.medicalClaimsResent].map((k) => store.pathOf(k)));
    // same() compares with the outcomes the TypeScript reader recorded for these files
    await same('demo', eligibility!, [claims!, resent!]);
    await rm(root, { recursive: true, force: true });
  });

  const HEADER = ['claim_id', 'claim_line_number', 'claim_type', 'Person_ID', 'claim_start_date', 'claim_end_date', 'admission_date', 'discharge_date', 'bill_type_code',
    'place_of_service_code', 'revenue_center_code', 'hcpcs_code', 'paid_amount', 'allowed_amount', 'diagnosis_code_type', 'diagnosis_code_1', 'diagnosis_code_2', 'diagnosis_code_3'];
  const BASE: Record<string, string> = { claim_line_number: '1', claim_type: 'professional', Person_ID: 'P1', claim_start_date: '2025-03-01', claim_end_date: '2025-03-01',
    place_of_service_code: '11', paid_amount: '10.00', diagnosis_code_type: 'icd-10-cm', diagnosis_code_1: 'e11.9' };
  const lines = (cases: Record<string, string>[]) => [HEADER, ...cases.map((over, i) => HEADER.map((h) => (h === 'claim_id' ? (over.claim_id ?? `C${i + 1}`) : (over[h] ?? BASE[h] ?? ''))))];
  const eligibility = () => file('eligibility.csv', 'person_id,birth_date,enrollment_start_date,enrollment_end_date\nP1,1950-01-01,2020-01-01,2026-12-31\n');

  it('on hand-made bad records: every rule of the reader and of the plausibility ranges, and values they let through', async () => {
    const claims = lines([
      {}, { claim_id: '  ' }, { Person_ID: '' }, { Person_ID: ' P1\t' }, { Person_ID: 'NOBODY' },
      { claim_type: 'Institutional', bill_type_code: '0111' }, { claim_type: 'INSTITUTIONAL', bill_type_code: '111', admission_date: '2025-03-01' },
      { claim_type: 'dental' }, { claim_type: '' }, { claim_start_date: '2025-02-30' }, { claim_start_date: '' }, { claim_start_date: '2025-3-01' },
      { claim_end_date: '03/01/2025' }, { claim_end_date: '' }, { claim_end_date: '2025-02-28' }, { admission_date: '2025-13-01' }, { discharge_date: 'x' },
      { claim_type: 'institutional', bill_type_code: '111', admission_date: '2025-03-01', discharge_date: '2025-02-27' },
      { paid_amount: '5,00' }, { paid_amount: '1e309' }, { paid_amount: 'NaN' }, { paid_amount: '-Infinity' }, { paid_amount: '-12.5' }, { paid_amount: ' .5 ' },
      { paid_amount: '1e3' }, { claim_line_number: '2.0' }, { claim_line_number: '2.5' }, { claim_line_number: '-1' }, { claim_line_number: 'one' },
      { claim_line_number: '' }, { claim_line_number: '3000000000' }, { allowed_amount: 'n/a' }, { diagnosis_code_type: 'ICD-9-CM', diagnosis_code_1: 'V5861' },
      { diagnosis_code_1: 'ZZZ99' }, { diagnosis_code_2: 'E11.', diagnosis_code_1: 'I10' }, { diagnosis_code_3: 'E1.19' }, { diagnosis_code_2: 's72.001a' },
      { diagnosis_code_1: '' }, { diagnosis_code_1: 'I10000000' }, { diagnosis_code_1: 'É119' }, { claim_start_date: '1899-12-31' },
      { claim_start_date: '2025-07-03', claim_end_date: '2025-07-03' }, { claim_end_date: '2025-07-02' },
      { claim_type: 'institutional', bill_type_code: '111', admission_date: '1850-01-01', discharge_date: '2025-03-02' },
      { claim_type: 'institutional', bill_type_code: '111', admission_date: '2025-03-01', discharge_date: '2026-01-01' },
      { paid_amount: '10000000.01' }, { allowed_amount: '-10000001' }, { paid_amount: '1e308' }, { hcpcs_code: 'j1234' }, { hcpcs_code: '99213' },
      { claim_type: 'institutional', bill_type_code: '131', revenue_center_code: '0450' }, { claim_type: 'institutional', bill_type_code: '211' },
      { claim_type: 'institutional', bill_type_code: '999' }, { place_of_service_code: '23' }, { place_of_service_code: '00' },
      { claim_id: 'H', claim_type: 'institutional', bill_type_code: '131', paid_amount: '500' },
      { claim_id: 'H', claim_line_number: '2', claim_type: 'institutional', bill_type_code: '131', paid_amount: '500', diagnosis_code_2: 'I10' },
      { claim_id: 'H', claim_line_number: '3', claim_type: 'institutional', bill_type_code: '131', paid_amount: '-500' },
      { claim_id: 'A"B', diagnosis_code_1: 'bad,code' },
    ]);
    const outcome = await same('bad', await eligibility(), [await file('bad_claims.csv', csvText(claims))]);
    // 59 records: 21 let through, 38 rejected, each by one rule
    expect(outcome.manifests.find((m) => m.format === 'tuva-medical-claim')).toMatchObject({ read: 59, accepted: 21, quarantined: 38 });
  });

  it('changes three things on purpose: hexadecimal amounts, the positions of a claim whose first line a range rejected, and the note’s count', async () => {
    const claims = csvText(lines([
      { paid_amount: '0x1F' }, // JavaScript's Number read 31; neither engine's cast agrees with it
      { claim_id: 'M', paid_amount: '1e9', diagnosis_code_1: 'R69' }, // rejected by the ceiling, after its positions were marked stored
      { claim_id: 'M', claim_line_number: '2', diagnosis_code_1: 'I10' }, // the reader stored no position 1 for M
      { claim_type: 'institutional', bill_type_code: '111', claim_start_date: '1899-01-01', claim_end_date: '1899-01-02' }, // noted, then rejected
    ]));
    const { quarantine, rows, manifests } = await run(await eligibility(), [await file('changed.csv', claims)]);
    // the reader: C1 accepted with paid 31; M line 1 quarantined and no diagnosis for M; C4 quarantined, and noted
    expect(quarantine.map((l) => [JSON.parse(l).record, JSON.parse(l).reason])).toEqual([
      [1, 'not a number'],
      [2, 'beyond the ceiling of 10000000 (ingest.max_amount_usd)'],
      [4, 'before 1900-01-01'],
    ]);
    expect(rows.diagnoses!.filter((d) => (d as { claim_id: string }).claim_id === 'M').map((d) => (d as { icd10_code: string }).icd10_code)).toEqual(['I10']);
    expect(manifests.at(-1)!.notes).toEqual([]);
  });
});
