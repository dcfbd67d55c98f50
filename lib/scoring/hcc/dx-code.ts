/** Diagnosis codes as the scoring engines take them: ICD-10-CM, any case, dot optional; stored shape is upper case, no dot. */
import { icd10Code } from '../../ingest/icd10.js';
import { RecordRejected } from '../../ingest/rejection.js';
import { HccInputError } from './errors.js';

export function normalizeDx(raw: string): string {
  try {
    return icd10Code(raw, 'dx');
  } catch (e) {
    if (e instanceof RecordRejected) throw new HccInputError('dx', raw, 'not an ICD-10-CM code (a letter, a digit, then 1 to 5 letters or digits)');
    throw e;
  }
}
