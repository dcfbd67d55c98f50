/**
 * Tuva `medical_claim` → `medical_claims` (one row per line) + `diagnoses` (long form: diagnosis_code_1..25 become
 * rows with position 1..25). Tuva repeats a claim's header diagnoses on each of its lines, and lines of one claim
 * need not be adjacent, so the diagnoses of a claim are stored once per position: the first accepted line that
 * carries a position wins, and a diagnosis row gets that line's setting. The cost is a map of claim_id → 25-bit mask
 * of positions seen, about 100 bytes per claim. It is bounded (RECENT_CLAIMS of recent-claims.ts, ~50 MB) so memory does not grow with
 * the file: when full, the oldest half is forgotten. A claim whose lines lie farther apart than that (hundreds of
 * thousands of claims) can then store a diagnosis twice; the feature models count distinct claims, so no figure
 * changes, and analysts can `select distinct` on `diagnoses`.
 * A line with one bad diagnosis code is quarantined whole (claim line and all its diagnoses): a claim with a
 * diagnosis missing would silently change the conditions derived from it.
 * `diagnosis_code_type` is consulted only to refuse ICD-9 (whose V and E codes can look like ICD-10): the Tuva
 * synthetic seeds label their ICD-10-CM codes 'icd-10-pcs' on most lines, so the label is not otherwise trusted.
 * Amounts are kept as sent, negative ones included: a negative line reverses or adjusts its claim, and the feature
 * models net it per claim (queries/claim_totals.sql). The file's amount convention (header amounts repeated on each
 * line, or line amounts) is detected as it is read (claim-amounts.ts) and stated in its report and manifest.
 * An inpatient line (bill type 11x) with neither admission nor discharge date is a stay all the same: the claim's
 * start and end dates stand in for them, so the admission features count it, and the file's report notes how many
 * lines were completed this way.
 */
import { diagnoses, medical_claims } from '../tables/index.js';
import { billType, claimSetting, type ClaimType } from './claim-setting.js';
import { CsvHeader } from './csv-header.js';
import { count, date, detached, number, required, text, personIdOf } from './fields.js';
import { HCPCS_LEVEL_II } from './hcpcs.js';
import { icd10Code } from './icd10.js';
import type { CsvReader, CuratedRow } from './mapper.js';
import { reject } from './rejection.js';
import { checkRow } from './row-schema.js';
import { ClaimAmountDetector, conventionsNote } from './claim-amounts.js';
import { forgetOldestHalf, RECENT_CLAIMS } from './recent-claims.js';

const POSITIONS = 25;
export const STAY_FROM_CLAIM_DATES = 'inpatient (bill type 11x) without admission and discharge dates: claim start and end dates used';

function claimType(raw: string | null, field: string): ClaimType {
  const t = raw?.toLowerCase();
  return t === 'institutional' || t === 'professional' ? t : reject(field, 'not institutional or professional', raw);
}

export const tuvaMedicalClaim: CsvReader = {
  kind: 'csv',
  format: 'tuva-medical-claim',
  tables: [medical_claims, diagnoses],
  bind(h, env) {
    const c = {
      claim: h.required('claim_id'),
      line: h.required('claim_line_number'),
      type: h.required('claim_type'),
      person: h.person(),
      start: h.required('claim_start_date'),
      end: h.required('claim_end_date'),
      admission: h.optional('admission_date'),
      discharge: h.optional('discharge_date'),
      bill: h.optional('bill_type_code'),
      pos: h.optional('place_of_service_code'),
      revenue: h.optional('revenue_center_code'),
      hcpcs: h.optional('hcpcs_code'),
      drg: h.optional('drg_code'),
      disposition: h.optional('discharge_disposition_code'),
      admitType: h.optional('admit_type_code'),
      dxType: h.optional('diagnosis_code_type'),
      paid: h.optional('paid_amount'),
      allowed: h.optional('allowed_amount'),
    };
    for (const note of CsvHeader.absent([c.paid, c.allowed], 'null on every line, so costs count none of it')) env.fileNote?.(note);
    const dx = Array.from({ length: POSITIONS }, (_, i) => h.optional(`diagnosis_code_${i + 1}`)).filter((d) => d.index >= 0);
    const dxPosition = dx.map((d) => Number(d.name.slice('diagnosis_code_'.length)));
    const stored = new Map<string, number>();
    const amounts = new ClaimAmountDetector();
    env.finding?.(() => {
      const conventions = amounts.summary();
      return { conventions, note: conventionsNote(conventions) };
    });

    return (f) => {
      const claimId = required(text(f[c.claim.index]), c.claim.name);
      const personId = personIdOf(f[c.person.index], c.person.name);
      env.persons.require(personId, c.person.name);
      const type = claimType(text(f[c.type.index]), c.type.name);
      const start = required(date(f[c.start.index], c.start.name), c.start.name);
      const end = required(date(f[c.end.index], c.end.name), c.end.name);
      if (end < start) reject(c.end.name, 'claim_end_date before claim_start_date', end);
      const admission = date(f[c.admission.index], c.admission.name);
      const discharge = date(f[c.discharge.index], c.discharge.name);
      if (admission !== null && discharge !== null && discharge < admission) {
        reject(c.discharge.name, 'discharge_date before admission_date', discharge);
      }
      const bill = billType(text(f[c.bill.index]));
      const pos = text(f[c.pos.index]);
      const revenue = text(f[c.revenue.index]);
      const setting = claimSetting(type, bill, pos, revenue);
      const inferStay = setting === 'inpatient' && admission === null && discharge === null;
      const hcpcs = text(f[c.hcpcs.index])?.toUpperCase() ?? null;
      const paid = number(f[c.paid.index], c.paid.name);
      const line = {
        claim_id: claimId,
        claim_line_number: required(count(f[c.line.index], c.line.name), c.line.name),
        person_id: personId,
        claim_type: type,
        setting,
        claim_start_date: start,
        claim_end_date: end,
        admission_date: inferStay ? start : admission,
        discharge_date: inferStay ? end : discharge,
        bill_type_code: bill,
        place_of_service_code: pos,
        revenue_center_code: revenue,
        hcpcs_code: hcpcs !== null && HCPCS_LEVEL_II.test(hcpcs) ? hcpcs : null,
        drg_code: text(f[c.drg.index]),
        discharge_disposition_code: text(f[c.disposition.index]),
        admit_type_code: text(f[c.admitType.index]),
        paid_amount: paid,
        allowed_amount: number(f[c.allowed.index], c.allowed.name),
        source_file: env.sourceFile,
      };
      checkRow(medical_claims, line);
      const rows: CuratedRow[] = [{ table: medical_claims, row: line }];

      const dxType = text(f[c.dxType.index]);
      if (dxType?.toLowerCase().startsWith('icd-9')) reject(c.dxType.name, 'ICD-9 diagnoses are not accepted', dxType);
      const seen = stored.get(claimId) ?? 0;
      let mask = seen;
      for (let i = 0; i < dx.length; i++) {
        const raw = text(f[dx[i]!.index]);
        if (raw === null) continue;
        const code = icd10Code(raw, dx[i]!.name); // checked even when the position is stored: the line is one record
        const bit = 1 << (dxPosition[i]! - 1);
        if (mask & bit) continue;
        mask |= bit;
        const row = {
          claim_id: claimId,
          person_id: personId,
          service_date: start,
          claim_type: type,
          setting,
          position: dxPosition[i]!,
          icd10_code: code,
          source_file: env.sourceFile,
        };
        checkRow(diagnoses, row);
        rows.push({ table: diagnoses, row });
      }
      if (mask !== seen) {
        if (stored.size >= RECENT_CLAIMS) forgetOldestHalf(stored);
        stored.set(seen === 0 ? detached(claimId) : claimId, mask);
      }
      if (inferStay) env.note?.(STAY_FROM_CLAIM_DATES);
      amounts.observe(claimId, type === 'institutional', paid);
      amounts.observeCodes(type === 'institutional', bill, pos, dx.some((d) => text(f[d.index]) !== null));
      return { rows };
    };
  },
};
