/**
 * Pharmacy fills (Tuva `pharmacy_claim`) of a demo member: the usual maintenance drugs of each condition, filled every
 * 30 or 90 days with gaps that depend on how adherent the member is. NDCs are plausible 11-digit codes of the named
 * products, not a reference list.
 */
import { npi, type Condition } from './codes.js';
import type { CsvRecord } from './csv.js';
import { isoOf } from '../dates.js';
import { writeCsvRecord, type Corruption, type Defects } from './defects.js';
import { DATA_SOURCE, type DemoRun } from './output.js';
import { enrolledOn, STREAM, type Person } from './population.js';
import { Random } from './random.js';
import { pharmacyClaimLayout } from './tuva-layout.js';

type Column = (typeof pharmacyClaimLayout.columns)[number];
type PharmacyRecord = CsvRecord<Column>;

interface Drug {
  readonly name: string;
  readonly ndc: string;
  /** quantity dispensed for 30 days (tablets, mL, grams, inhalers) */
  readonly quantity30: number;
  /** plan paid for 30 days, USD */
  readonly cost30: number;
  readonly brand: boolean;
}

const drug = (name: string, ndc: string, quantity30: number, cost30: number, brand = false): Drug => ({ name, ndc, quantity30, cost30, brand });

const METFORMIN = drug('metformin 1000 mg', '00093104901', 60, 8);
const GLIPIZIDE = drug('glipizide 5 mg', '00591046001', 30, 6);
const EMPAGLIFLOZIN = drug('Jardiance 10 mg', '00597015230', 30, 560, true);
const INSULIN_GLARGINE = drug('Lantus SoloStar', '00088221905', 15, 420, true);
const LISINOPRIL = drug('lisinopril 10 mg', '68180051401', 30, 4);
const AMLODIPINE = drug('amlodipine 5 mg', '00093716701', 30, 5);
const LOSARTAN = drug('losartan 50 mg', '00093736598', 30, 7);
const HYDROCHLOROTHIAZIDE = drug('hydrochlorothiazide 25 mg', '00172208380', 30, 4);
const FUROSEMIDE = drug('furosemide 40 mg', '00054429731', 30, 5);
const CARVEDILOL = drug('carvedilol 12.5 mg', '00093036201', 60, 8);
const SPIRONOLACTONE = drug('spironolactone 25 mg', '00378214101', 30, 9);
const SACUBITRIL_VALSARTAN = drug('Entresto 49/51 mg', '00078065920', 60, 620, true);
const TIOTROPIUM = drug('Spiriva HandiHaler', '00597007541', 30, 480, true);
const ALBUTEROL = drug('albuterol HFA', '59310057922', 8.5, 55);
const FLUTICASONE_SALMETEROL = drug('Advair Diskus 250/50', '00173069600', 60, 350, true);
const ATORVASTATIN = drug('atorvastatin 40 mg', '00378395205', 30, 6);

/** per condition: each drug with the share of members with the condition who take it */
const REGIMENS: Readonly<Record<Condition, readonly (readonly [Drug, number])[]>> = {
  diabetes: [[METFORMIN, 0.85], [GLIPIZIDE, 0.3], [EMPAGLIFLOZIN, 0.25], [INSULIN_GLARGINE, 0.2]],
  hypertension: [[LISINOPRIL, 0.45], [AMLODIPINE, 0.4], [LOSARTAN, 0.3], [HYDROCHLOROTHIAZIDE, 0.25]],
  heart_failure: [[FUROSEMIDE, 0.8], [CARVEDILOL, 0.7], [SPIRONOLACTONE, 0.35], [SACUBITRIL_VALSARTAN, 0.25]],
  copd: [[TIOTROPIUM, 0.55], [ALBUTEROL, 0.8], [FLUTICASONE_SALMETEROL, 0.35]],
  ckd: [],
};

function drugsOf(person: Person, rng: Random): Drug[] {
  const drugs = new Set<Drug>();
  for (const c of person.conditions) for (const [d, share] of REGIMENS[c]) if (rng.chance(share)) drugs.add(d);
  if (rng.chance(person.conditions.size > 0 ? 0.45 : 0.25)) drugs.add(ATORVASTATIN);
  return [...drugs];
}

export function nextPharmacyClaimId(run: DemoRun): string {
  return `RX${String(++run.claimIds.pharmacy).padStart(10, '0')}`;
}

function corrupt(clean: PharmacyRecord, defects: Defects): Corruption<Column> {
  const kind = defects.rng.weighted([['impossible_date', 1], ['unknown_person', 1], ['negative_amount', 1]] as const);
  switch (kind) {
    case 'impossible_date':
      return { record: { ...clean, dispensing_date: defects.impossibleDate(clean.dispensing_date ?? '') }, field: 'dispensing_date', kind };
    case 'unknown_person': {
      const id = defects.unknownPersonId();
      return { record: { ...clean, person_id: id, member_id: id }, field: 'person_id', kind };
    }
    case 'negative_amount':
      return { record: { ...clean, paid_amount: defects.negativeAmount(clean.paid_amount ?? '') }, field: 'paid_amount', kind };
  }
}

interface Fill {
  readonly day: number;
  readonly drug: Drug;
  readonly supply: number;
}

function fills(person: Person, run: DemoRun, rng: Random): Fill[] {
  const out: Fill[] = [];
  /** proportion of days covered: how adherent the member is to their medicines */
  const pdc = rng.uniform(0.6, 1);
  for (const d of drugsOf(person, rng)) {
    const supply = rng.chance(0.4) ? 90 : 30;
    let day = rng.chance(0.8) ? run.historyStart - rng.int(0, supply - 1) : rng.int(run.historyStart, run.asOf);
    while (day <= run.asOf) {
      const alive = person.death === undefined || day <= person.death;
      if (day >= run.historyStart && alive && enrolledOn(person, day)) out.push({ day, drug: d, supply });
      day += supply + Math.round(supply * (1 / pdc - 1) * rng.uniform(0.5, 1.5));
    }
  }
  return out.sort((a, b) => a.day - b.day);
}

export function writePharmacyClaims(person: Person, run: DemoRun, defects: Defects | undefined): void {
  const rng = new Random(run.seed, person.index, STREAM.pharmacy);
  const pharmacy = npi(20_000 + rng.int(0, 299));
  const corruptCopy = (clean: PharmacyRecord, d: Defects) => corrupt({ ...clean, claim_id: nextPharmacyClaimId(run) }, d);
  const fileDate = isoOf(run.asOf);
  for (const { day, drug: d, supply } of fills(person, run, rng)) {
    const date = isoOf(day);
    const paid = d.cost30 * (supply / 30) * rng.uniform(0.9, 1.1);
    const copay = d.brand ? rng.uniform(35, 47) : rng.uniform(0, 10);
    const record: PharmacyRecord = {
      claim_id: nextPharmacyClaimId(run),
      claim_line_number: '1',
      person_id: person.id,
      member_id: person.id,
      payer: 'medicare',
      plan: 'medicare advantage',
      prescribing_provider_npi: npi(person.pcpNpi),
      dispensing_provider_npi: pharmacy,
      dispensing_date: date,
      ndc_code: d.ndc,
      quantity: String(Math.round(d.quantity30 * (supply / 30) * 10) / 10),
      days_supply: String(supply),
      refills: String(rng.int(0, 5)),
      paid_date: date,
      paid_amount: paid.toFixed(2),
      allowed_amount: (paid + copay).toFixed(2),
      copayment_amount: copay.toFixed(2),
      in_network_flag: '1',
      data_source: DATA_SOURCE,
      file_name: 'pharmacy_claim.csv',
      file_date: fileDate,
    };
    writeCsvRecord(run.pharmacyClaims, pharmacyClaimLayout, record, defects, corruptCopy);
  }
}
