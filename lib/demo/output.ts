/** What the per-member writers share during one run: the files being written, the claim id counters, the code lists. */
import type { ConditionCodes } from './codes.js';
import type { Defects } from './defects.js';
import type { FileSink } from './sink.js';

export interface DemoRun {
  readonly seed: number;
  readonly asOf: number;
  /** the first day of the two years of claims history ending on the as-of date */
  readonly historyStart: number;
  readonly codes: ConditionCodes;
  readonly defects: Defects;
  readonly eligibility: FileSink;
  readonly medicalClaims: FileSink;
  /** claims the payer sends a second time, unchanged, in a later file (claims.ts RESEND_RATE) */
  readonly medicalClaimsResent: FileSink;
  readonly pharmacyClaims: FileSink;
  readonly deviceReadings: FileSink;
  readonly labResults: FileSink;
  /** last claim ids handed out (claim ids are sequence numbers in file order) */
  readonly claimIds: { medical: number; pharmacy: number };
}

/** days of claims history the demo writes, ending on the as-of date */
export const HISTORY_DAYS = 730;

/** landing-file columns every Tuva file carries to say where it came from */
export const DATA_SOURCE = 'stratify demo';
