/**
 * ExplanationOfBenefit (CARIN Blue Button; CMS's Blue Button 2.0 server) → claims, by the HL7 claim-type coding:
 *   institutional, professional → `medical_claims` (one row per item, claim_line_number = item.sequence) + `diagnoses`
 *     (principal diagnosis at position 1, then the others in sequence order, each code once);
 *   pharmacy → `pharmacy_claims` (one row per item: NDC, dispensing date = item.servicedDate or the billable period
 *     start, quantity, days supply from supportingInfo `dayssupply`).
 * Dates: billablePeriod (claim start/end), supportingInfo `admissionperiod` (admission/discharge). Setting: the Blue
 * Button claim type when given (INPATIENT, SNF, HHA, HOSPICE→outpatient, DME→professional), else a full type of bill
 * (supportingInfo `typeofbill` of 3+ characters; Blue Button puts only the frequency digit there), else the CARIN
 * profile (Inpatient-Institutional → inpatient), else claim-setting.ts's rules from revenue code or place of service.
 * Paid: EOB.payment.amount (the total paid) on the first line when present, else per line the adjudication
 * `paidtoprovider` or `benefit` (Blue Button: line_nch_pmt_amt, rev_cntr_pmt_amt_amt, cvrd_d_plan_pd_amt), so the
 * lines of a claim add up to its paid total. A cancelled claim is skipped; one entered in error is rejected.
 */
import { diagnoses, medical_claims, pharmacy_claims } from '../../tables/index.js';
import { claimSetting, billType, type Setting } from '../claim-setting.js';
import { HCPCS_LEVEL_II } from '../hcpcs.js';
import type { CuratedRow, Mapped } from '../mapper.js';
import { reject } from '../rejection.js';
import { checkRow } from '../row-schema.js';
import { ndc11 } from '../ndc.js';
import { codeOf, codings, hasCode, requiredDiagnosis } from './codes.js';
import type { ResourceContext } from './context.js';
import { careDate } from './dates.js';
import { explanationOfBenefit, parseResource, type CodeableConcept, type ExplanationOfBenefit } from './schemas.js';

const CLAIM_TYPE = 'http://terminology.hl7.org/CodeSystem/claim-type';
const BFD_EOB_TYPE = 'https://bluebutton.cms.gov/resources/codesystem/eob-type';
const NDC = 'http://hl7.org/fhir/sid/ndc';
const BFD_SETTING: Readonly<Record<string, Setting>> = {
  INPATIENT: 'inpatient',
  SNF: 'snf',
  HHA: 'home_health',
  HOSPICE: 'hospice',
  DME: 'professional',
};
const PAID = ['paidtoprovider', 'benefit', 'line_nch_pmt_amt', 'rev_cntr_pmt_amt_amt', 'cvrd_d_plan_pd_amt'];
const ALLOWED = ['eligible', 'line_alowd_chrg_amt'];

type Item = NonNullable<ExplanationOfBenefit['item']>[number];
type Info = NonNullable<ExplanationOfBenefit['supportingInfo']>[number];

function info(eob: ExplanationOfBenefit, category: string): Info | undefined {
  return eob.supportingInfo?.find((s) => hasCode(s.category, category));
}

function amount(item: Item | undefined, categories: readonly string[], field: string): number | null {
  for (const category of categories) {
    const a = item?.adjudication?.find((x) => hasCode(x.category, category) && x.amount?.value !== undefined);
    if (a) return a.amount!.value! < 0 ? reject(field, 'negative amount', a.amount!.value) : a.amount!.value!;
  }
  return null;
}

/** the claim's paid total on line 1 when the EOB gives it, else each line's own paid adjudication */
function paidOf(eob: ExplanationOfBenefit, item: Item | undefined, first: boolean, field: string): number | null {
  const total = eob.payment?.amount?.value;
  if (total === undefined) return amount(item, PAID, field);
  if (total < 0) reject('payment.amount.value', 'negative amount', total);
  return first ? total : null;
}

function codeMatching(cc: CodeableConcept | undefined, pattern: RegExp): string | null {
  return codings(cc).find((c) => c.code !== undefined && pattern.test(c.code))?.code ?? null;
}

function settingOf(eob: ExplanationOfBenefit, professional: boolean, bill: string | null, item: Item | undefined): Setting {
  const bfd = BFD_SETTING[codeOf(eob.type, BFD_EOB_TYPE) ?? ''];
  if (bfd !== undefined) return bfd;
  const revenue = codeMatching(item?.revenue, /^\d{4}$/);
  if (professional) return claimSetting('professional', null, codeMatching(item?.locationCodeableConcept, /^\d{2}$/), revenue);
  if (bill !== null) return claimSetting('institutional', bill, null, revenue);
  if (eob.meta?.profile?.some((p) => p.endsWith('/C4BB-ExplanationOfBenefit-Inpatient-Institutional'))) return 'inpatient';
  return claimSetting('institutional', null, null, revenue);
}

function medical(eob: ExplanationOfBenefit, type: 'institutional' | 'professional', personId: string, start: string, end: string, ctx: ResourceContext): CuratedRow[] {
  const claimId = `ExplanationOfBenefit/${eob.id}`;
  const billRaw = codings(info(eob, 'typeofbill')?.code)[0]?.code;
  const bill = billRaw !== undefined && billRaw.length >= 3 ? billType(billRaw) : null;
  const admission = info(eob, 'admissionperiod')?.timingPeriod;
  // [index in the EOB, item] in sequence order; a claim without items is one line of its header
  const items: (readonly [number, Item | undefined])[] = eob.item?.length ? [...eob.item.entries()].sort(([, a], [, b]) => a.sequence - b.sequence) : [[0, undefined]];
  const rows: CuratedRow[] = items.map(([index, item], i) => {
    const setting = settingOf(eob, type === 'professional', bill, item);
    const field = item === undefined ? 'payment' : `item.${index}.adjudication`;
    const hcpcs = codings(item?.productOrService).find((c) => c.code !== undefined && HCPCS_LEVEL_II.test(c.code.toUpperCase()))?.code ?? null;
    const row = {
      claim_id: claimId,
      claim_line_number: item?.sequence ?? 1,
      person_id: personId,
      claim_type: type,
      setting,
      claim_start_date: start,
      claim_end_date: end,
      admission_date: careDate(admission?.start, 'supportingInfo.admissionperiod.start'),
      discharge_date: careDate(admission?.end, 'supportingInfo.admissionperiod.end'),
      bill_type_code: bill,
      place_of_service_code: codeMatching(item?.locationCodeableConcept, /^\d{2}$/),
      revenue_center_code: codeMatching(item?.revenue, /^\d{4}$/),
      hcpcs_code: hcpcs?.toUpperCase() ?? null,
      drg_code: codings(info(eob, 'drg')?.code ?? info(eob, 'clm_drg_cd')?.code)[0]?.code ?? null,
      discharge_disposition_code: codings(info(eob, 'discharge-status')?.code)[0]?.code ?? null,
      // CARIN Blue Button: supportingInfo 'admtype' carries the UB-04 priority (type) of admission
      admit_type_code: codings(info(eob, 'admtype')?.code)[0]?.code ?? null,
      paid_amount: paidOf(eob, item, i === 0, field),
      allowed_amount: amount(item, ALLOWED, field),
      source_file: ctx.env.sourceFile,
    };
    checkRow(medical_claims, row);
    return { table: medical_claims, row };
  });
  const setting = rows[0]!.row.setting;
  const ordered = [...(eob.diagnosis ?? []).entries()].sort(([, a], [, b]) => {
    const pa = a.type?.some((t) => hasCode(t, 'principal')) ? 0 : 1;
    const pb = b.type?.some((t) => hasCode(t, 'principal')) ? 0 : 1;
    return pa - pb || a.sequence - b.sequence;
  });
  const codes = new Set(ordered.map(([i, d]) => requiredDiagnosis(d.diagnosisCodeableConcept, `diagnosis.${i}.diagnosisCodeableConcept`)));
  for (const [i, code] of [...codes].entries()) {
    const row = { claim_id: claimId, person_id: personId, service_date: start, claim_type: type, setting, position: i + 1, icd10_code: code, source_file: ctx.env.sourceFile };
    checkRow(diagnoses, row);
    rows.push({ table: diagnoses, row });
  }
  return rows;
}

function pharmacy(eob: ExplanationOfBenefit, personId: string, start: string, ctx: ResourceContext): CuratedRow[] {
  const days = info(eob, 'dayssupply')?.valueQuantity?.value ?? null;
  if (days !== null && (!Number.isInteger(days) || days < 0)) reject('supportingInfo.dayssupply', 'not a whole number', days);
  const items = eob.item ?? [];
  if (items.length === 0) reject('item', 'pharmacy claim without items', null);
  return items.map((item, i) => {
    const ndc = codeOf(item.productOrService, NDC) ?? reject(`item.${i}.productOrService`, 'no NDC coding', null);
    const quantity = item.quantity?.value ?? null;
    const row = {
      claim_id: `ExplanationOfBenefit/${eob.id}`,
      claim_line_number: item.sequence,
      person_id: personId,
      dispensing_date: careDate(item.servicedDate, `item.${i}.servicedDate`) ?? start,
      ndc_code: ndc11(ndc, `item.${i}.productOrService`),
      quantity: quantity !== null && quantity < 0 ? reject(`item.${i}.quantity`, 'negative amount', quantity) : quantity,
      days_supply: days,
      paid_amount: paidOf(eob, item, i === 0, `item.${i}.adjudication`),
      source_file: ctx.env.sourceFile,
    };
    checkRow(pharmacy_claims, row);
    return { table: pharmacy_claims, row };
  });
}

export function mapExplanationOfBenefit(json: unknown, ctx: ResourceContext): Mapped {
  const eob = parseResource(explanationOfBenefit, json);
  if (eob.status === 'entered-in-error') reject('status', 'entered in error', eob.status);
  if (eob.status === 'cancelled') return { skip: 'cancelled ExplanationOfBenefit' };
  const type = codeOf(eob.type, CLAIM_TYPE);
  if (type !== 'institutional' && type !== 'professional' && type !== 'pharmacy') {
    return reject('type', 'not an institutional, professional or pharmacy claim', type ?? null);
  }
  const personId = ctx.person(eob.patient, 'patient');
  const start = careDate(eob.billablePeriod?.start, 'billablePeriod.start') ?? reject('billablePeriod.start', 'no start date', null);
  const end = careDate(eob.billablePeriod?.end, 'billablePeriod.end') ?? start;
  if (end < start) reject('billablePeriod.end', 'end before start', end);
  return { rows: type === 'pharmacy' ? pharmacy(eob, personId, start, ctx) : medical(eob, type, personId, start, end, ctx) };
}
