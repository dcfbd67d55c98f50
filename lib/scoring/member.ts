/** The feature row the model reads: one row of the `features` table (lib/tables/outputs.ts). */
import type { Row, features } from '../tables/index.js';

export type FeatureRow = Row<typeof features>;

/** The member's ICD-10-CM codes of the last 12 months, the input of CMS-HCC and the comorbidity indexes. */
export function diagnosisCodes(row: Pick<FeatureRow, 'dx_codes_12m'>): string[] {
  return row.dx_codes_12m === '' ? [] : row.dx_codes_12m.split(',');
}
