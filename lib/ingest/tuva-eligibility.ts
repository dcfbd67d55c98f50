/** Tuva `eligibility` → `members`, one row per enrollment span. */
import { members } from '../tables/index.js';
import type { CsvReader } from './mapper.js';
import { date, flag, required, text, personIdOf } from './fields.js';
import { reject } from './rejection.js';
import { checkRow } from './row-schema.js';
import { isDualStatusCode } from '../scoring/hcc/segment.js';

const SEX: Readonly<Record<string, string>> = { male: 'male', m: 'male', female: 'female', f: 'female' };

/**
 * CMS dual status codes are two digits; spreadsheets turn `02` into `2.0`. A code off the CMS list is rejected
 * here: the HCC segment of every member is read from it, and one bad value must not stop the score stage.
 */
function dualStatus(raw: string | null, field: string): string | null {
  if (raw === null) return null;
  const code = /^\d{1,2}(\.0+)?$/.test(raw) ? String(Number(raw)).padStart(2, '0') : raw;
  return isDualStatusCode(code) ? code : reject(field, 'not a CMS dual status code (00-06, 08, 09, 10, 99, NA)', raw);
}

/** long-term institutional resident OR institutional SNP; unknown only when both are unknown */
function either(a: boolean | null, b: boolean | null): boolean | null {
  return a === null && b === null ? null : a === true || b === true;
}

export const tuvaEligibility: CsvReader = {
  kind: 'csv',
  format: 'tuva-eligibility',
  tables: [members],
  bind(h, env) {
    const c = {
      person: h.person(),
      member: h.optional('member_id'),
      birth: h.required('birth_date'),
      gender: h.optional('gender'),
      death: h.optional('death_date'),
      start: h.required('enrollment_start_date'),
      end: h.required('enrollment_end_date'),
      payer: h.optional('payer'),
      payerType: h.optional('payer_type'),
      dual: h.optional('dual_status_code'),
      hospice: h.optional('hospice_flag'),
      longTerm: h.optional('long_term_institutional_flag'),
      snp: h.optional('institutional_snp_flag'),
    };
    return (f) => {
      const start = required(date(f[c.start.index], c.start.name), c.start.name);
      const end = required(date(f[c.end.index], c.end.name), c.end.name);
      if (end < start) reject(c.end.name, 'enrollment_end_date before enrollment_start_date', end);
      const row = {
        person_id: personIdOf(f[c.person.index], c.person.name),
        member_id: text(f[c.member.index]),
        birth_date: required(date(f[c.birth.index], c.birth.name), c.birth.name),
        sex: SEX[text(f[c.gender.index])?.toLowerCase() ?? ''] ?? 'unknown',
        death_date: date(f[c.death.index], c.death.name),
        enrollment_start_date: start,
        enrollment_end_date: end,
        payer: text(f[c.payer.index]),
        payer_type: text(f[c.payerType.index]),
        dual_status_code: dualStatus(text(f[c.dual.index]), c.dual.name),
        hospice_flag: flag(f[c.hospice.index], c.hospice.name),
        institutional_flag: either(flag(f[c.longTerm.index], c.longTerm.name), flag(f[c.snp.index], c.snp.name)),
        source_file: env.sourceFile,
      };
      checkRow(members, row);
      env.addPerson(row.person_id);
      return { rows: [{ table: members, row }] };
    };
  },
};
