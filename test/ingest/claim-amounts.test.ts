/**
 * Amounts as payers send them, at ingest: a negative line is a reversal or an adjustment and is kept (with its
 * diagnoses); each medical-claims file's amount convention is detected and stated in its report and manifest.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readManifest } from '../../lib/ingest/ingest-file.js';
import { ingest, type IngestReport } from '../../lib/pipeline/ingest.js';
import { csvLine, testContext, textSource, type TestContext } from './helpers.js';
import { medicalClaimSql } from './medical-claim-sql.js';

const HEADER = ['claim_id', 'claim_line_number', 'claim_type', 'person_id', 'claim_start_date', 'claim_end_date', 'bill_type_code', 'paid_amount', 'diagnosis_code_1'];
const line = (id: string, n: number, type: string, paid: string, dx = 'I5030') => [id, n, type, 'P1', '2025-03-01', '2025-03-01', type === 'institutional' ? '131' : '', paid, dx];

/** facility claims repeating one amount on every line (H1, H2), one itemized (H3), and H1's reversal */
const HEADER_FILE = [
  HEADER,
  ...[1, 2, 3].map((n) => line('H1', n, 'institutional', '9128.00')),
  ...[1, 2].map((n) => line('H2', n, 'institutional', '500')),
  line('H3', 1, 'institutional', '100'),
  line('H3', 2, 'institutional', '60'),
  // H1 reversed: its 3 lines again, negated
  ...[4, 5, 6].map((n) => line('H1', n, 'institutional', '-9128.00')),
];
const LINE_FILE = [HEADER, line('L1', 1, 'institutional', '100'), line('L1', 2, 'institutional', '50'), line('L2', 1, 'professional', '-20')];

let ctx: TestContext;
let reports: IngestReport[];
beforeAll(async () => {
  ctx = await testContext();
  reports = await ingest(ctx, [
    textSource('landing/header.csv', HEADER_FILE.map(csvLine).join('\n') + '\n'),
    textSource('landing/line.csv', LINE_FILE.map(csvLine).join('\n') + '\n'),
  ]);
});
afterAll(() => ctx.dispose());

describe('ingest: claim amounts as payers send them', () => {
  it('reversals are kept: negative lines are accepted with their diagnoses, not quarantined', async () => {
    expect(reports[0]).toMatchObject({ read: 10, accepted: 10, quarantined: 0 });
    const rows = await ctx.engine.query("select claim_line_number, paid_amount from medical_claims where claim_id = 'H1' order by 1");
    expect(rows.map((r) => r.paid_amount)).toEqual([9128, 9128, 9128, -9128, -9128, -9128]);
    expect(await ctx.engine.query("select count(*)::int as n from diagnoses where claim_id = 'L2'")).toEqual([{ n: 1 }]);
  });

  it('header amounts: the convention is detected per file and stated in the report and the manifest', async () => {
    // header.csv: H1 (its non-negative lines), H2 identical, H3 not: 2 of 3 ≥ half → header
    const clean = { lines_without_diagnoses: 0, impossible_bill_types: 0, impossible_places_of_service: 0 };
    expect(reports[0]!.conventions).toEqual({ amounts: 'header', multi_line_claims: 3, identical_amount_claims: 2, negative_lines: 3, ...clean });
    expect(reports[0]!.notes).toContain(
      'amounts: header amounts repeated on each line (2 of 3 multi-line institutional claims carry one paid amount on every line): counted once per claim; 3 negative lines (reversals, adjustments) netted per claim',
    );
    // line.csv: L1 itemized, 0 of 1 → line; the professional L2 is no multi-line institutional claim, and has no
    // place of service (the file has no such column): an impossible one
    expect(reports[1]!.conventions).toEqual({ amounts: 'line', multi_line_claims: 1, identical_amount_claims: 0, negative_lines: 1, ...clean, impossible_places_of_service: 1 });
    const manifest = await readManifest(ctx.store, `manifests/${reports[0]!.sha256.slice(0, 16)}.json`);
    expect(manifest.conventions).toEqual(reports[0]!.conventions);
  });

  it('header amounts: a line without an amount, or a file without multi-line facility claims, is not a header convention', async () => {
    const at = (claim: string, n: number, type: string, paid: string | null) =>
      ({ claim_id: claim, claim_line_number: String(n), claim_type: type, person_id: 'P1', claim_start_date: '2025-03-01', claim_end_date: '2025-03-01', paid_amount: paid });
    const { conventions } = await medicalClaimSql([
      at('A', 1, 'institutional', '10'),
      at('A', 2, 'institutional', null), // Tuva's synthetic claims: the paid amount on line 1 only
      at('B', 1, 'professional', '5'),
      at('B', 2, 'professional', '5'),
    ]);
    expect(conventions).toMatchObject({ amounts: 'line', multi_line_claims: 1, identical_amount_claims: 0, negative_lines: 0 });
    expect((await medicalClaimSql([])).conventions.amounts).toBe('line');
  });
});
