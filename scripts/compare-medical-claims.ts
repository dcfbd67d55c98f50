/**
 * One-off comparison of the Tuva medical_claim ingest: today's TypeScript reader (lib/ingest/tuva-medical-claim.ts
 * through ingest()) against queries/ingest/tuva_medical_claim*.sql run by DuckDB over a hand-built raw_records, on
 * the same files. Prints, per file, what differs (counts, quarantine lines, claim rows, diagnosis rows, conventions
 * and the stay note). `npx tsx scripts/compare-medical-claims.ts [tuva|demo|bad|all] [--members N]`.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { csvQuoted } from '../lib/csv.js';
import { generateDemo } from '../lib/demo/index.js';
import { ingest, sourcesFromPaths, type IngestReport, type QuarantineLine } from '../lib/pipeline/ingest.js';
import { OutboxQueue } from '../lib/queue/outbox.js';
import { DuckDbEngine } from '../lib/sql/duckdb.js';
import { bindParams } from '../lib/sql/params.js';
import { loadQuery } from '../lib/sql/queries.js';
import { LocalFolderStore } from '../lib/store/local.js';
import { TUVA_SAMPLES } from '../test/samples.js';

const { values, positionals } = parseArgs({ allowPositionals: true, options: { members: { type: 'string', default: '2000' } } });
const which = positionals[0] ?? 'all';
const NOW = Date.parse('2026-07-01T12:00:00Z');
const DAY = '2026-07-01';

const COLUMNS = ['claim_id', 'claim_line_number', 'claim_type', 'person_id', 'claim_start_date', 'claim_end_date', 'admission_date', 'discharge_date',
  'bill_type_code', 'place_of_service_code', 'revenue_center_code', 'hcpcs_code', 'drg_code', 'discharge_disposition_code', 'admit_type_code',
  'diagnosis_code_type', 'paid_amount', 'allowed_amount', ...Array.from({ length: 25 }, (_, i) => `diagnosis_code_${i + 1}`)];

const q = (s: string) => `'${s.replaceAll("'", "''")}'`;
const canon = (v: unknown): string => JSON.stringify(v, (_, x) => (typeof x === 'bigint' ? Number(x) : x));

async function compareFile(engine: DuckDbEngine, path: string, report: IngestReport, old: QuarantineLine[]): Promise<Record<string, unknown>> {
  const conn = engine.connection;
  const header = (await engine.query(`describe select * from read_csv(${q(path)}, header = true, all_varchar = true, auto_detect = true)`)).map((r) => String(r.column_name));
  const bound = COLUMNS.map((c) => {
    const found = header.find((h) => h.trim().toLowerCase() === c) ?? (c === 'person_id' ? header.find((h) => h.trim().toLowerCase() === 'patient_id') : undefined);
    return found === undefined ? `cast(null as varchar) as ${c}` : `"${found.replaceAll('"', '""')}" as ${c}`;
  });
  await conn.run(`create or replace temp table raw_records as select cast(row_number() over () as bigint) as source_record, '' as raw_record, ${bound.join(', ')}
    from read_csv(${q(path)}, header = true, all_varchar = true)`);
  // as the runner of lib/ingest/sql binds them: the known persons as `members`, the parameters as `ingest_params`
  await conn.run('create or replace temp table members as select distinct person_id from main.members_parts');
  await conn.run(bindParams('create or replace temp view ingest_params as select cast(? as varchar) as source_file, ? as delivery_day, cast(? as double) as max_amount_usd, cast(? as varchar) as max_amount_usd_text',
    [{ string: report.file }, { date: DAY }, { number: 10_000_000 }, { string: '10000000' }]));
  const t0 = performance.now();
  await conn.run(`create or replace temp table checked_records as ${loadQuery('ingest/tuva_medical_claim')}`);
  await conn.run('create or replace temp view ingest_accepted as select * from checked_records where reject_reason is null');
  const seconds = (performance.now() - t0) / 1000;
  const rejects = await engine.query('select source_record, reject_field, reject_reason, reject_value, reject_value_type from checked_records where reject_reason is not null order by source_record');
  const newLines = rejects.map((r) => canon([r.source_record, r.reject_field, r.reject_reason, r.reject_value_type === 'number' ? Number(r.reject_value) : r.reject_value]));
  const oldLines = old.filter((l) => l.file === report.file).map((l) => canon([l.record, l.field, l.reason, l.value]));
  const sha = report.sha256;
  const claimCols = 'claim_id, claim_line_number, person_id, claim_type, setting, claim_start_date, claim_end_date, admission_date, discharge_date, bill_type_code, place_of_service_code, revenue_center_code, hcpcs_code, drg_code, discharge_disposition_code, admit_type_code, paid_amount, allowed_amount, source_file, source_record';
  const oldClaims = (await engine.query(`select ${claimCols} from medical_claims_parts where source_sha256 = ${q(sha)} order by source_record`)).map(canon);
  const newClaims = (await engine.query(`select ${claimCols.replace('claim_start_date, claim_end_date, admission_date, discharge_date', 'cast(claim_start_date as varchar) as claim_start_date, cast(claim_end_date as varchar) as claim_end_date, cast(admission_date as varchar) as admission_date, cast(discharge_date as varchar) as discharge_date')} from checked_records where reject_reason is null order by source_record`)).map(canon);
  const dxCols = 'claim_id, person_id, service_date, claim_type, setting, position, icd10_code, source_file, source_record';
  const oldDx = (await engine.query(`select ${dxCols} from diagnoses_parts where source_sha256 = ${q(sha)} order by claim_id, position`)).map(canon);
  const newDx = (await engine.query(`select ${dxCols.replace('service_date', 'cast(service_date as varchar) as service_date')} from (${loadQuery('ingest/tuva_medical_claim_diagnoses')}) order by claim_id, position`)).map(canon);
  const [conv] = await engine.query(loadQuery('ingest/tuva_medical_claim_conventions'));
  const { stays_from_claim_dates: stays, ...conventions } = conv!;
  const diff = (a: string[], b: string[]) => ({ onlyOld: a.filter((x) => !b.includes(x)).slice(0, 5), onlyNew: b.filter((x) => !a.includes(x)).slice(0, 5), old: a.length, new: b.length });
  const stayNote = report.notes.find((n) => n.includes('claim start and end dates used')) ?? null;
  return {
    file: report.file,
    read: report.read,
    sqlSeconds: Math.round(seconds * 1000) / 1000,
    accepted: [report.accepted, newClaims.length],
    quarantined: [report.quarantined, rejects.length],
    quarantineLines: canon(oldLines) === canon(newLines) ? `same (${oldLines.length})` : diff(oldLines, newLines),
    claims: canon(oldClaims) === canon(newClaims) ? `same (${oldClaims.length})` : diff(oldClaims, newClaims),
    diagnoses: canon(oldDx) === canon(newDx) ? `same (${oldDx.length})` : diff(oldDx, newDx),
    conventions: canon(report.conventions) === canon(conventions) ? 'same' : { old: report.conventions, new: conventions },
    stayNote: [stayNote, stays],
  };
}

async function run(name: string, prepare: (dir: string, store: LocalFolderStore) => Promise<string[]>): Promise<void> {
  const root = await mkdtemp(join(tmpdir(), 'compare-medical-'));
  const store = new LocalFolderStore(join(root, 'home'));
  const engine = await DuckDbEngine.open(store);
  try {
    const paths = await prepare(root, store);
    const ctx = { store, engine, queue: new OutboxQueue(store), progress: () => {} };
    const reports = await ingest(ctx, await sourcesFromPaths(paths), { now: NOW });
    const lines: QuarantineLine[] = [];
    for (const { key } of await store.list('quarantine/')) lines.push(...(await readFile(store.pathOf(key), 'utf8')).split('\n').filter(Boolean).map((l) => JSON.parse(l)));
    for (const r of reports.filter((x) => x.format === 'tuva-medical-claim')) {
      console.log(name, JSON.stringify(await compareFile(engine, r.file, r, lines), null, 1));
    }
  } finally {
    await engine.close();
    await rm(root, { recursive: true, force: true });
  }
}

/** every rule of the reader, one bad record each, plus clean lines around them */
function badRecords(): string {
  const header = ['claim_id', 'claim_line_number', 'claim_type', 'Person_ID', 'claim_start_date', 'claim_end_date', 'admission_date', 'discharge_date',
    'bill_type_code', 'place_of_service_code', 'revenue_center_code', 'hcpcs_code', 'paid_amount', 'allowed_amount', 'diagnosis_code_type',
    'diagnosis_code_1', 'diagnosis_code_2', 'diagnosis_code_3'];
  const base: Record<string, string> = { claim_id: 'C', claim_line_number: '1', claim_type: 'professional', Person_ID: '10001', claim_start_date: '2025-03-01',
    claim_end_date: '2025-03-01', admission_date: '', discharge_date: '', bill_type_code: '', place_of_service_code: '11', revenue_center_code: '',
    hcpcs_code: '', paid_amount: '10.00', allowed_amount: '', diagnosis_code_type: 'icd-10-cm', diagnosis_code_1: 'e11.9', diagnosis_code_2: '', diagnosis_code_3: '' };
  const cases: Record<string, string>[] = [
    {},
    { claim_id: '  ' },
    { Person_ID: '' },
    { Person_ID: ' 10001\t' },
    { Person_ID: 'NOBODY' },
    { claim_type: 'Institutional', bill_type_code: '0111', admission_date: '', discharge_date: '' },
    { claim_type: 'INSTITUTIONAL', bill_type_code: '111', admission_date: '2025-03-01', discharge_date: '' },
    { claim_type: 'dental' },
    { claim_type: '' },
    { claim_start_date: '2025-02-30' },
    { claim_start_date: '' },
    { claim_start_date: '2025-3-01' },
    { claim_end_date: '03/01/2025' },
    { claim_end_date: '' },
    { claim_end_date: '2025-02-28' },
    { admission_date: '2025-13-01' },
    { discharge_date: 'x' },
    { claim_type: 'institutional', bill_type_code: '111', admission_date: '2025-03-01', discharge_date: '2025-02-27' },
    { paid_amount: '5,00' },
    { paid_amount: '1e309' },
    { paid_amount: 'NaN' },
    { paid_amount: '-Infinity' },
    { paid_amount: '-12.5' },
    { paid_amount: ' .5 ' },
    { paid_amount: '1e3' },
    { paid_amount: '0x1F' },
    { claim_line_number: '2.0' },
    { claim_line_number: '2.5' },
    { claim_line_number: '-1' },
    { claim_line_number: 'one' },
    { claim_line_number: '' },
    { claim_line_number: '3000000000' },
    { allowed_amount: 'n/a' },
    { diagnosis_code_type: 'ICD-9-CM', diagnosis_code_1: 'V5861' },
    { diagnosis_code_1: 'ZZZ99' },
    { diagnosis_code_2: 'E11.', diagnosis_code_1: 'I10' },
    { diagnosis_code_3: 'E1.19' },
    { diagnosis_code_2: 's72.001a' },
    { diagnosis_code_1: '', diagnosis_code_2: '', diagnosis_code_3: '' },
    { diagnosis_code_1: 'I10000000' },
    { diagnosis_code_1: 'É119' },
    { claim_start_date: '1899-12-31' },
    { claim_start_date: '2026-07-03', claim_end_date: '2026-07-03' },
    { claim_end_date: '2026-07-02' },
    { claim_type: 'institutional', bill_type_code: '111', admission_date: '1850-01-01', discharge_date: '2025-03-02' },
    { claim_type: 'institutional', bill_type_code: '111', admission_date: '2025-03-01', discharge_date: '2027-01-01' },
    { claim_type: 'institutional', bill_type_code: '111', claim_start_date: '1899-01-01', claim_end_date: '1899-01-02' },
    { paid_amount: '10000000.01' },
    { allowed_amount: '-10000001' },
    { paid_amount: '1e308' },
    { hcpcs_code: 'j1234' },
    { hcpcs_code: '99213' },
    { claim_type: 'institutional', bill_type_code: '131', revenue_center_code: '0450' },
    { claim_type: 'institutional', bill_type_code: '211' },
    { claim_type: 'institutional', bill_type_code: '999' },
    { claim_type: 'professional', place_of_service_code: '23' },
    { claim_type: 'professional', place_of_service_code: '00' },
    { paid_amount: '12', diagnosis_code_1: 'I10', claim_line_number: '2', diagnosis_code_2: 'ZZ' },
  ];
  const rows = cases.map((over, i) => header.map((h) => (h === 'claim_id' && over.claim_id === undefined ? `C${i + 1}` : (over[h] ?? base[h]!))));
  // one claim of three lines: the first rejected, the later ones take its positions
  rows.push(header.map((h) => ({ claim_id: 'M', paid_amount: '1e9', diagnosis_code_1: 'E119' } as Record<string, string>)[h] ?? base[h]!));
  rows.push(header.map((h) => ({ claim_id: 'M', claim_line_number: '2', diagnosis_code_1: 'I10', diagnosis_code_2: 'Z79.4' } as Record<string, string>)[h] ?? base[h]!));
  rows.push(header.map((h) => ({ claim_id: 'M', claim_line_number: '3', diagnosis_code_1: 'E119', diagnosis_code_3: 'N18.3' } as Record<string, string>)[h] ?? base[h]!));
  return [header, ...rows].map((r) => r.map(csvQuoted).join(',')).join('\n') + '\n';
}

const ELIGIBILITY = 'person_id,birth_date,gender,enrollment_start_date,enrollment_end_date\n10001,1950-01-01,female,2020-01-01,2026-12-31\n';

if (which === 'tuva' || which === 'all') {
  await run('tuva', async () => [join(TUVA_SAMPLES, 'eligibility_seed.csv'), join(TUVA_SAMPLES, 'medical_claim_seed.csv')]);
}
if (which === 'demo' || which === 'all') {
  await run('demo', async (_, store) => {
    await generateDemo(store, { members: Number(values.members), seed: 7, asOf: '2026-06-30' });
    return ['eligibility.csv', 'medical_claim.csv', 'medical_claim_resent.csv'].map((f) => store.pathOf(`landing/${f}`));
  });
}
if (which === 'bad' || which === 'all') {
  await run('bad', async (dir) => {
    await writeFile(join(dir, 'eligibility.csv'), ELIGIBILITY);
    await writeFile(join(dir, 'bad_claims.csv'), badRecords());
    return [join(dir, 'eligibility.csv'), join(dir, 'bad_claims.csv')];
  });
}
