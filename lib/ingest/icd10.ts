/**
 * ICD-10-CM code syntax: a letter, a digit, an alphanumeric, then up to four alphanumerics (3 to 7 characters).
 * Codes are stored upper case without the dot, as DESIGN.md requires; a dot is accepted only where it belongs
 * (after the third character). This checks the shape, not membership in the code set: that is the job of the code
 * lists the queries join with.
 */
import { reject } from './rejection.js';

const ICD10_CM = /^[A-Z][0-9][A-Z0-9][A-Z0-9]{0,4}$/;

export function icd10Code(raw: string, field: string): string {
  let code = raw.trim().toUpperCase();
  if (code.length > 4 && code[3] === '.') code = code.slice(0, 3) + code.slice(4);
  return ICD10_CM.test(code) ? code : reject(field, 'not an ICD-10-CM code', raw);
}
