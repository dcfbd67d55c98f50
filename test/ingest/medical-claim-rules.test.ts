/**
 * The rules of queries/ingest/tuva_medical_claim*.sql case by case on DuckDB, over records made here (no file): the
 * order in which a line is judged, the field parsers' edges, white space, the long form of the diagnoses and the
 * file's conventions. The same rules through a whole ingest: quarantine.test.ts, plausibility.test.ts,
 * claim-amounts.test.ts, tuva-samples.test.ts.
 */
import { TrinoSQL } from 'dt-sql-parser';
import { describe, expect, it } from 'vitest';
import { conventionsSql } from '../../lib/ingest/sql/tuva-medical-claim.js';
import { medicalClaimSql, type ClaimRecord } from './medical-claim-sql.js';

/** a professional line of P1 on 2025-03-01, office, $10.00, E11.9; delivery day 2025-07-01 */
const line = (over: ClaimRecord = {}): ClaimRecord => ({
  claim_id: 'C1', claim_line_number: '1', claim_type: 'professional', person_id: 'P1', claim_start_date: '2025-03-01', claim_end_date: '2025-03-01',
  place_of_service_code: '11', paid_amount: '10.00', diagnosis_code_type: 'icd-10-cm', diagnosis_code_1: 'e11.9', ...over,
});

const verdicts = async (records: ClaimRecord[], members: string[] = []) =>
  (await medicalClaimSql(records, members)).records.map((r) => (r.reject_reason === null ? 'accepted' : [r.reject_field, r.reject_reason, r.reject_value]));

describe('medical claim rules in SQL', () => {
  it('judges a line by the first rule it fails, in the order of the reader it replaces', async () => {
    expect(
      await verdicts(
        [
          line({ claim_id: ' ', person_id: '' }), // both missing: the claim id is judged first
          line({ person_id: 'P9', claim_type: 'dental' }), // unknown person before the claim type
          line({ claim_type: 'dental', claim_start_date: 'x' }),
          line({ claim_start_date: '2025-02-30', claim_end_date: '' }), // 30 February is no day
          line({ claim_end_date: '2025-02-28' }), // before the start
          line({ admission_date: '2025-02-01', discharge_date: '2025-01-31', paid_amount: '5,00' }),
          line({ paid_amount: '5,00', claim_line_number: '1.5' }), // paid before the line number, as the reader parsed them
          line({ claim_line_number: '1.5', allowed_amount: 'n/a' }),
          line({ claim_line_number: '', allowed_amount: 'n/a' }),
          line({ allowed_amount: 'n/a', diagnosis_code_type: 'ICD-9-CM' }),
          line({ diagnosis_code_type: 'ICD-9-CM', diagnosis_code_1: 'V5861' }),
          line({ diagnosis_code_1: 'I10', diagnosis_code_3: 'E11#9', diagnosis_code_2: 'ZZZ99' }), // position 2 before 3
          line({ diagnosis_code_2: 'ZZZ99', claim_start_date: '1899-12-31' }), // the codes before the plausibility ranges
        ],
        ['P1'],
      ),
    ).toEqual([
      ['claim_id', 'missing value', null],
      ['person_id', 'unknown person', 'P9'],
      ['claim_type', 'not institutional or professional', 'dental'],
      ['claim_start_date', 'not a calendar date', '2025-02-30'],
      ['claim_end_date', 'claim_end_date before claim_start_date', '2025-02-28'],
      ['discharge_date', 'discharge_date before admission_date', '2025-01-31'],
      ['paid_amount', 'not a number', '5,00'],
      ['claim_line_number', 'not a whole number', '1.5'],
      ['claim_line_number', 'missing value', null],
      ['allowed_amount', 'not a number', 'n/a'],
      ['diagnosis_code_type', 'ICD-9 diagnoses are not accepted', 'ICD-9-CM'],
      ['diagnosis_code_2', 'not an ICD-10-CM code', 'ZZZ99'],
      ['diagnosis_code_2', 'not an ICD-10-CM code', 'ZZZ99'],
    ]);
  });

  it('checks the plausibility ranges after the rules, column by column, the filled admission date included', async () => {
    const result = await medicalClaimSql([
      line({ claim_start_date: '2025-07-03', claim_end_date: '2025-07-03' }), // delivery 2025-07-01 + 1 day < 07-03
      line({ claim_end_date: '2025-07-02' }), // delivery + 1 day: accepted
      // inpatient without stay dates: the admission date is the claim start, 1899-12-31, and the start is judged first
      line({ claim_type: 'institutional', bill_type_code: '111', claim_start_date: '1899-12-31' }),
      line({ claim_type: 'institutional', bill_type_code: '111', admission_date: '2025-03-01', discharge_date: '2026-01-01' }),
      line({ paid_amount: '-10000000.01' }), // a reversal beyond the ceiling: the absolute value counts
      line({ allowed_amount: '1e308' }),
    ]);
    expect(result.records.map((r) => [r.reject_field, r.reject_reason, r.reject_value, r.reject_value_type])).toEqual([
      ['claim_start_date', 'after the delivery day 2025-07-01 (+1 day)', '2025-07-03', null],
      [null, null, null, null],
      ['claim_start_date', 'before 1900-01-01', '1899-12-31', null],
      ['discharge_date', 'after the delivery day 2025-07-01 (+1 day)', '2026-01-01', null],
      ['paid_amount', 'beyond the ceiling of 10000000 (ingest.max_amount_usd)', '-10000000.01', 'number'],
      ['allowed_amount', 'beyond the ceiling of 10000000 (ingest.max_amount_usd)', '1e308', 'number'],
    ]);
  });

  it('reads numbers as decimal text, whatever either engine’s cast would also take', async () => {
    const values = ['1e3', ' .5 ', '-12.50', '+7', '0x1F', '1e309', 'NaN', '-Infinity', '1d'];
    const result = await medicalClaimSql(values.map((paid) => line({ paid_amount: paid })));
    expect(result.records.map((r) => (r.reject_reason === null ? r.paid_amount : r.reject_reason))).toEqual([1000, 0.5, -12.5, 7, 'not a number', 'not a number', 'not a number', 'not a number', 'not a number']);
  });

  it('takes a whole line number from 0 to 2147483647, 3.0 and 3e0 as 3', async () => {
    const values = ['3.0', '3e0', '0', '2147483647', '2147483648', '-1', '2.5'];
    const result = await medicalClaimSql(values.map((n) => line({ claim_line_number: n })));
    expect(result.records.map((r) => (r.reject_reason === null ? r.claim_line_number : r.reject_reason))).toEqual([3, 3, 0, 2147483647, 'not a whole number', 'not a whole number', 'not a whole number']);
  });

  it('trims white space as JavaScript does: tabs, no-break spaces and byte-order marks too, not other characters', async () => {
    const result = await medicalClaimSql(
      [
        line({ person_id: ' P1\t', diagnosis_code_1: '\u00a0e11.9\ufeff' }),
        line({ claim_id: '\u3000', person_id: 'P1' }), // an ideographic space only: empty
        line({ person_id: '\u001fP1' }), // a unit separator is no white space: an unknown person, as sent
      ],
      ['P1'],
    );
    expect(result.records.map((r) => [r.person_id, r.dx_1, r.reject_field, r.reject_reason, r.reject_value])).toEqual([
      ['P1', 'E119', null, null, null],
      ['P1', 'E119', 'claim_id', 'missing value', null],
      ['\u001fP1', 'E119', 'person_id', 'unknown person', '\u001fP1'],
    ]);
  });

  it('normalises the line: type lower case, bill type without its leading 0, HCPCS Level II only, an inpatient stay dated from the claim', async () => {
    const result = await medicalClaimSql([
      line({ claim_type: 'Institutional', bill_type_code: '0111', claim_end_date: '2025-03-04', hcpcs_code: 'j1234' }),
      line({ hcpcs_code: '99213' }), // CPT: not stored
      line({ claim_type: 'INSTITUTIONAL', bill_type_code: '111', admission_date: '2025-03-01' }), // one stay date: kept as sent
    ]);
    expect(result.records.map((r) => [r.claim_type, r.bill_type_code, r.setting, r.admission_date, r.discharge_date, r.hcpcs_code, r.stay_from_claim_dates])).toEqual([
      ['institutional', '111', 'inpatient', '2025-03-01', '2025-03-04', 'J1234', true],
      ['professional', null, 'professional', null, null, null, false],
      ['institutional', '111', 'inpatient', '2025-03-01', null, null, false],
    ]);
    expect(result.conventions.stays_from_claim_dates).toBe(1);
  });

  it('stores each position of a claim once, from its first accepted line, with that line’s setting', async () => {
    const result = await medicalClaimSql([
      // line 1 is rejected (paid beyond the ceiling): its codes are not stored, nor do they hold a position
      line({ claim_id: 'M', paid_amount: '1e9', diagnosis_code_1: 'R69' }),
      line({ claim_id: 'M', claim_line_number: '2', place_of_service_code: '23', diagnosis_code_1: 'I10', diagnosis_code_2: 'Z79.4' }),
      line({ claim_id: 'N', diagnosis_code_1: 'J44.9' }), // another claim between the lines of M
      line({ claim_id: 'M', claim_line_number: '3', diagnosis_code_1: 'E11.9', diagnosis_code_3: 'n18.3' }),
    ]);
    expect(result.diagnoses.map((d) => [d.claim_id, d.position, d.icd10_code, d.setting, d.source_record])).toEqual([
      ['M', 1, 'I10', 'ed', 2],
      ['M', 2, 'Z794', 'ed', 2],
      ['M', 3, 'N183', 'professional', 4],
      ['N', 1, 'J449', 'professional', 3],
    ]);
  });

  it('finds the amount convention by the features’ own model, composed in text Athena reads too', async () => {
    expect(new TrinoSQL().validate(conventionsSql())).toEqual([]);
  });

  it('finds the amount convention from the accepted lines: a line without an amount is no header claim', async () => {
    const inst = (claim: string, n: number, paid: string | null) =>
      line({ claim_id: claim, claim_line_number: String(n), claim_type: 'institutional', bill_type_code: '131', paid_amount: paid });
    const result = await medicalClaimSql([
      inst('A', 1, '10'),
      inst('A', 2, null), // Tuva's synthetic claims: the paid amount on line 1 only
      line({ claim_id: 'B', paid_amount: '5' }),
      line({ claim_id: 'B', claim_line_number: '2', paid_amount: '5', diagnosis_code_1: null, place_of_service_code: null }),
      inst('C', 1, '1e9'), // rejected: C has no line to count
      inst('C', 2, '1e9'),
      inst('D', 1, '-40'), // a reversal: counted, not used for the detection
    ]);
    // multi-line institutional claims: A alone (B is professional, C rejected, D one negative line); A's line 2 has
    // no amount: 0 of 1 → line amounts. Line 4 has no diagnosis and no place of service.
    expect(result.conventions).toEqual({
      amounts: 'line', multi_line_claims: 1, identical_amount_claims: 0, negative_lines: 1, lines_without_diagnoses: 1,
      impossible_bill_types: 0, impossible_places_of_service: 1, stays_from_claim_dates: 0,
    });
  });
});
