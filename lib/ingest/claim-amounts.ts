/**
 * The amount convention of a medical-claims file, as its report and manifest state it. Many payer extracts repeat an
 * institutional claim's header amounts (paid, allowed, charge) on every revenue line; others give each line its own
 * amount. queries/ingest/tuva_medical_claim_conventions.sql finds it at ingest, by the rule queries/claim_conventions.sql
 * applies when the features count the amounts (the latter is what counts; the former says at ingest what it will
 * find): among the institutional claims with 2 or more non-negative lines, header amounts when at least half carry
 * one non-null paid amount on every line. Negative lines (reversals, adjustments) are counted, not used for the
 * detection. So are the lines without a diagnosis and those with an impossible type of bill or place of service, as
 * the run's data_quality table counts them.
 */
export interface ClaimConventions {
  /** 'header': header amounts repeated on each line, counted once per claim; 'line': lines summed */
  readonly amounts: 'header' | 'line';
  readonly multi_line_claims: number;
  readonly identical_amount_claims: number;
  /** lines with a negative paid amount: reversals and adjustments, netted per claim */
  readonly negative_lines: number;
  /** lines without any diagnosis */
  readonly lines_without_diagnoses: number;
  /** institutional lines without a valid type of bill, professional lines without a valid place of service */
  readonly impossible_bill_types: number;
  readonly impossible_places_of_service: number;
}

/** the report's note for a file's conventions; none when the file has nothing to tell the convention by */
export function conventionsNote(c: ClaimConventions): string | null {
  if (c.multi_line_claims === 0 && c.negative_lines === 0) return null;
  const found = `${c.identical_amount_claims} of ${c.multi_line_claims} multi-line institutional claims carry one paid amount on every line`;
  const amounts =
    c.amounts === 'header'
      ? `amounts: header amounts repeated on each line (${found}): counted once per claim`
      : c.multi_line_claims === 0
        ? 'amounts: line amounts (no multi-line institutional claim to tell by)'
        : `amounts: line amounts (${found}): lines summed`;
  return c.negative_lines > 0 ? `${amounts}; ${c.negative_lines} negative lines (reversals, adjustments) netted per claim` : amounts;
}
