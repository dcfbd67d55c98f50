/**
 * NDC-11 for the TypeScript readers that still read NDCs (FHIR ExplanationOfBenefit); Tuva pharmacy claims apply the
 * same rule in SQL (queries/ingest/tuva_pharmacy_claim.sql). Keep the two alike.
 */
import { reject } from './rejection.js';

/** the three hyphenated 10-digit NDC layouts (4-4-2, 5-3-2, 5-4-1) padded to the 5-4-2 of the 11-digit form */
const HYPHENATED_NDC = /^(\d{4,5})-(\d{3,4})-(\d{1,2})$/;

export function ndc11(raw: string, field: string): string {
  if (/^\d{11}$/.test(raw)) return raw;
  const m = HYPHENATED_NDC.exec(raw);
  if (m && m[1]!.length + m[2]!.length + m[3]!.length === 10) {
    return m[1]!.padStart(5, '0') + m[2]!.padStart(4, '0') + m[3]!.padStart(2, '0');
  }
  if (m && m[1]!.length === 5 && m[2]!.length === 4 && m[3]!.length === 2) return m[1]! + m[2]! + m[3]!;
  return reject(field, 'not an NDC', raw);
}
