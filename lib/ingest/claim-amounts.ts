/**
 * The amount convention of a medical-claims file, detected while it is read, for the file's report and manifest.
 * Many payer extracts repeat an institutional claim's header amounts (paid, allowed, charge) on every revenue line;
 * others give each line its own amount. The rule is the one queries/claim_conventions.sql applies when the features
 * count the amounts (the SQL is what counts; this says at ingest what it will find): among the institutional claims
 * with 2 or more non-negative lines, header amounts when at least half carry one non-null paid amount on every line.
 * Negative lines (reversals, adjustments) are counted, not used for the detection. So are the lines without a
 * diagnosis and those with an impossible type of bill or place of service, as the run's data_quality table counts them.
 * Memory: one small entry per institutional claim, bounded like the diagnosis positions of tuva-medical-claim.ts
 * (RECENT_CLAIMS; the oldest half is forgotten when full, so a claim whose lines lie that far apart may count as two).
 */
import { detached } from './fields.js';
import { forgetOldestHalf, RECENT_CLAIMS } from './recent-claims.js';

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

/** the shapes queries/data_quality.sql checks: type of bill (after a leading 0), CMS place of service */
const BILL_TYPE = /^[1-8][0-9][0-9A-Za-z]$/;
const PLACE_OF_SERVICE = /^(0[1-9]|[1-9][0-9])$/;

interface ClaimSeen {
  paid: number | null;
  lines: number;
  identical: boolean;
}

export class ClaimAmountDetector {
  private readonly claims = new Map<string, ClaimSeen>();
  private negativeLines = 0;
  private withoutDiagnoses = 0;
  private badBillTypes = 0;
  private badPlaces = 0;

  constructor(private readonly capacity = RECENT_CLAIMS) {}

  /** the codes of a line: its type of bill or place of service, and whether it carries a diagnosis */
  observeCodes(institutional: boolean, bill: string | null, pos: string | null, diagnosed: boolean): void {
    if (!diagnosed) this.withoutDiagnoses++;
    if (institutional && !BILL_TYPE.test(bill ?? '')) this.badBillTypes++;
    if (!institutional && !PLACE_OF_SERVICE.test(pos ?? '')) this.badPlaces++;
  }

  observe(claimId: string, institutional: boolean, paid: number | null): void {
    if (paid !== null && paid < 0) {
      this.negativeLines++;
      return;
    }
    if (!institutional) return;
    const seen = this.claims.get(claimId);
    if (seen === undefined) {
      if (this.claims.size >= this.capacity) forgetOldestHalf(this.claims);
      this.claims.set(detached(claimId), { paid, lines: 1, identical: paid !== null });
      return;
    }
    seen.lines++;
    seen.identical &&= paid !== null && paid === seen.paid;
  }

  summary(): ClaimConventions {
    let multi = 0;
    let identical = 0;
    for (const c of this.claims.values()) {
      if (c.lines < 2) continue;
      multi++;
      if (c.identical) identical++;
    }
    const amounts = multi > 0 && 2 * identical >= multi ? 'header' : 'line';
    return {
      amounts,
      multi_line_claims: multi,
      identical_amount_claims: identical,
      negative_lines: this.negativeLines,
      lines_without_diagnoses: this.withoutDiagnoses,
      impossible_bill_types: this.badBillTypes,
      impossible_places_of_service: this.badPlaces,
    };
  }
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
