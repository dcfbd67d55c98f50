/**
 * The older Tuva input layer says `patient_id` where the current one says `person_id`. The fixture is the sample
 * data with that one header renamed and the columns reordered, so a reader that went by position would fail.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
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

describe('ingest: older Tuva layout (patient_id)', () => {
  let ctx: TestContext;
  let reports: IngestReport[];

  beforeAll(async () => {
    ctx = await testContext();
    reports = await ingest(ctx, [
      textSource('landing/old/eligibility.csv', await olderLayout('eligibility_seed.csv', 31)),
      textSource('landing/old/medical_claim.csv', await olderLayout('medical_claim_seed.csv', 20)),
    ]);
  });
  afterAll(() => ctx.dispose());

  it('detects the formats and accepts every record', () => {
    expect(reports.map((r) => [r.format, r.read, r.accepted])).toEqual([
      ['tuva-eligibility', 31, 31],
      ['tuva-medical-claim', 20, 20],
    ]);
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
});
