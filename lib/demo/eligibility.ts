/** Eligibility rows (Tuva `eligibility`, one row per enrollment span) of a demo member. */
import { writeCsvRecord, type Corruption, type Defects } from './defects.js';
import { isoOf } from '../dates.js';
import type { CsvRecord } from './csv.js';
import { DATA_SOURCE, type DemoRun } from './output.js';
import type { Person } from './population.js';
import { eligibilityLayout } from './tuva-layout.js';

type EligibilityRecord = CsvRecord<(typeof eligibilityLayout.columns)[number]>;

function corrupt(clean: EligibilityRecord, defects: Defects): Corruption<keyof EligibilityRecord> {
  const start = clean.enrollment_start_date ?? '';
  if (defects.rng.chance(0.5)) {
    return { record: { ...clean, enrollment_end_date: defects.dateBefore(start) }, field: 'enrollment_end_date', kind: 'impossible_date' };
  }
  return { record: { ...clean, enrollment_start_date: defects.impossibleDate(start) }, field: 'enrollment_start_date', kind: 'impossible_date' };
}

export function writeEligibility(person: Person, run: DemoRun, defects: Defects | undefined): void {
  const fileDate = isoOf(run.asOf);
  for (const span of person.spans) {
    const record: EligibilityRecord = {
      person_id: person.id,
      member_id: person.id,
      subscriber_id: person.id,
      gender: person.sex,
      race: person.race,
      birth_date: isoOf(person.birth),
      death_date: person.death === undefined ? '' : isoOf(person.death),
      death_flag: person.death === undefined ? '0' : '1',
      enrollment_start_date: isoOf(span.start),
      enrollment_end_date: isoOf(span.end),
      payer: 'medicare',
      payer_type: 'medicare',
      plan: 'medicare advantage',
      original_reason_entitlement_code: person.disabled ? '1' : '0',
      dual_status_code: person.dualStatus,
      medicare_status_code: person.disabled ? '20' : '10',
      data_source: DATA_SOURCE,
      file_name: 'eligibility.csv',
      file_date: fileDate,
      hospice_flag: '0',
      institutional_snp_flag: '0',
      long_term_institutional_flag: '0',
    };
    writeCsvRecord(run.eligibility, eligibilityLayout, record, defects, corrupt);
  }
}
