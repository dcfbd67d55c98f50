/** Tuva `pharmacy_claim` → `pharmacy_claims`, one row per line, NDC normalized to 11 digits. */
import { pharmacy_claims } from '../tables/index.js';
import { count, date, nonNegative, required, text, personIdOf } from './fields.js';
import { CsvHeader } from './csv-header.js';
import type { CsvReader } from './mapper.js';
import { reject } from './rejection.js';
import { checkRow } from './row-schema.js';

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

export const tuvaPharmacyClaim: CsvReader = {
  kind: 'csv',
  format: 'tuva-pharmacy-claim',
  tables: [pharmacy_claims],
  bind(h, env) {
    const c = {
      claim: h.required('claim_id'),
      line: h.required('claim_line_number'),
      person: h.person(),
      dispensed: h.required('dispensing_date'),
      ndc: h.required('ndc_code'),
      quantity: h.optional('quantity'),
      days: h.optional('days_supply'),
      paid: h.optional('paid_amount'),
    };
    for (const note of CsvHeader.absent([c.paid], 'null on every line, so costs count none of it')) env.fileNote?.(note);
    return (f) => {
      const personId = personIdOf(f[c.person.index], c.person.name);
      env.persons.require(personId, c.person.name);
      const row = {
        claim_id: required(text(f[c.claim.index]), c.claim.name),
        claim_line_number: required(count(f[c.line.index], c.line.name), c.line.name),
        person_id: personId,
        dispensing_date: required(date(f[c.dispensed.index], c.dispensed.name), c.dispensed.name),
        ndc_code: ndc11(required(text(f[c.ndc.index]), c.ndc.name), c.ndc.name),
        quantity: nonNegative(f[c.quantity.index], c.quantity.name),
        days_supply: count(f[c.days.index], c.days.name),
        paid_amount: nonNegative(f[c.paid.index], c.paid.name),
        source_file: env.sourceFile,
      };
      checkRow(pharmacy_claims, row);
      return { rows: [{ table: pharmacy_claims, row }] };
    };
  },
};
