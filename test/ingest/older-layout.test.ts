/**
 * The older Tuva input layer says `patient_id` where the current one says `person_id`. The fixture is the sample
 * data with that one header renamed and the columns reordered, so a reader that went by position would fail.
 * The older lab_result layout also has one code per result (`source_code`, `normalized_code`) and dates
 * (`result_date`, `collection_date`) where the current one has order/component codes and datetimes: the fixture is
 * the sample lab file rewritten that way, so it must give the same 159 monitored labs (60 glucose, 47 HbA1c, 52 eGFR).
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import Papa from 'papaparse';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ingest, type IngestReport } from '../../lib/pipeline/ingest.js';
import { SAMPLES, csvLine, testContext, textSource, type TestContext } from './helpers.js';

/** the first `rows` records of a sample file, person_id renamed to patient_id, columns in reverse order */
async function olderLayout(file: string, rows: number): Promise<string> {
  const [header, ...body] = (await readFile(join(SAMPLES, file), 'utf8')).split('\n').filter(Boolean);
  const names = header!.split(',').map((n) => (n === 'person_id' ? 'patient_id' : n));
  const reversed = (line: string) => line.split(',').reverse(); // no quoted commas in these two files
  return [csvLine(names.reverse()), ...body.slice(0, rows).map((l) => csvLine(reversed(l)))].join('\n') + '\n';
}

/** the sample lab_result file in the older layout: patient_id, source_code/normalized_code, dates; columns reversed */
async function olderLabs(): Promise<string> {
  const { data } = Papa.parse<Record<string, string>>(await readFile(join(SAMPLES, 'lab_result_seed.csv'), 'utf8'), { header: true, skipEmptyLines: true });
  const names = ['lab_result_id', 'patient_id', 'source_code_type', 'source_code', 'normalized_code_type', 'normalized_code', 'result', 'result_date', 'collection_date', 'source_units', 'normalized_units'];
  const day = (t: string | undefined) => t?.slice(0, 10) ?? '';
  const rows = data.map((r) => [
    r.lab_result_id!, r.person_id!, r.source_order_type!, r.source_order_code!, r.normalized_order_type!, r.normalized_order_code!,
    r.result!, day(r.result_datetime), day(r.collection_datetime), r.source_units!, r.normalized_units!,
  ]);
  return [csvLine(names.reverse()), ...rows.map((r) => csvLine(r.reverse()))].join('\n') + '\n';
}

describe('ingest: older Tuva layout (patient_id)', () => {
  let ctx: TestContext;
  let reports: IngestReport[];

  beforeAll(async () => {
    ctx = await testContext();
    reports = await ingest(ctx, [
      textSource('landing/old/eligibility.csv', await olderLayout('eligibility_seed.csv', 31)),
      textSource('landing/old/medical_claim.csv', await olderLayout('medical_claim_seed.csv', 20)),
      textSource('landing/old/labs.csv', await olderLabs()),
      textSource('landing/old/pharmacy_claim.csv', await olderLayout('pharmacy_claim_seed.csv', 291)),
      textSource('landing/old/observation.csv', await olderLayout('observation_seed.csv', 2917)),
      // normalized_result and normalized_units win over result and source_units when filled
      textSource(
        'landing/old/lab_result_normalized.csv',
        'patient_id,normalized_code,normalized_code_type,result,source_units,normalized_result,normalized_units,result_date\n' +
          '10174,2339-0,loinc,7.0,mmol/L,126.1,mg/dL,2016-01-02\n' +
          '10174,4548-4,loinc,5.6,%,,,2016-01-02\n',
      ),
    ]);
  });
  afterAll(() => ctx.dispose());

  it('detects the formats and accepts every record', () => {
    expect(reports.map((r) => [r.format, r.layout, r.read, r.accepted])).toEqual([
      ['tuva-eligibility', 'patient_id', 31, 31],
      ['tuva-medical-claim', 'patient_id', 20, 20],
      ['tuva-lab-result', 'patient_id', 1162, 159],
      ['tuva-pharmacy-claim', 'patient_id', 291, 291],
      ['tuva-observation', 'patient_id', 2917, 360],
      ['tuva-lab-result', 'patient_id', 2, 2],
    ]);
    expect(reports[2]).toMatchObject({ quarantined: 0, skippedRecords: 1003 });
  });

  it('reads values by column name', async () => {
    const [m] = await ctx.engine.query(`SELECT birth_date, sex FROM members WHERE person_id = '10' LIMIT 1`);
    expect(m).toEqual({ birth_date: '1945-05-16', sex: 'male' });
    // first sample line: claim 1582931 line 9, person 10111, institutional bill type 131, revenue 0481
    const [c] = await ctx.engine.query(
      `SELECT person_id, claim_line_number, setting, claim_start_date FROM medical_claims WHERE claim_id = '1582931'`,
    );
    expect(c).toEqual({ person_id: '10111', claim_line_number: 9, setting: 'outpatient', claim_start_date: '2017-12-14' });
  });

  it('reads the older lab_result layout: codes, dates, and normalized results first', async () => {
    const labs = await ctx.engine.query(`SELECT loinc_code, count(*) AS n FROM observations WHERE source_file = 'landing/old/labs.csv' GROUP BY 1 ORDER BY 1`);
    expect(labs).toEqual([
      { loinc_code: '2339-0', n: 60 },
      { loinc_code: '33914-3', n: 52 },
      { loinc_code: '4548-4', n: 47 },
    ]);
    // first HbA1c of 10174 is 6.1 % collected 2015-06-03: the older layout carries the date only
    const [a1c] = await ctx.engine.query(`SELECT value, observed_at FROM observations WHERE person_id = '10174' AND loinc_code = '4548-4' ORDER BY observed_at LIMIT 1`);
    expect(a1c).toEqual({ value: 6.1, observed_at: Date.UTC(2015, 5, 3) });
    const normalized = await ctx.engine.query(
      `SELECT loinc_code, value, unit FROM observations WHERE source_file = 'landing/old/lab_result_normalized.csv' ORDER BY loinc_code`,
    );
    expect(normalized).toEqual([
      { loinc_code: '2339-0', value: 126.1, unit: 'mg/dL' },
      { loinc_code: '4548-4', value: 5.6, unit: '%' },
    ]);
  });
});
