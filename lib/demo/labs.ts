/**
 * HbA1c results (Tuva `lab_result`, LOINC 4548-4, in %) of the demo's members with diabetes: one about every three
 * months over the last year, as a diabetes care plan orders them (ADA Standards of Care: at least twice a year, four
 * times when treatment changes or goals are not met), with a fifth of members having none in the year (a gap in care
 * that real populations show). Values follow the spread reported for Medicare beneficiaries with diabetes: mean about
 * 7.3 %, about one in seven above 9 %. A member made to deteriorate on the diabetes program sees their last results
 * climb. The diabetes cohort example of queries/README.md reads these.
 */
import { isoOf } from '../dates.js';
import type { DemoRun } from './output.js';
import { STREAM, type Person } from './population.js';
import { Random } from './random.js';
import { csvLayout } from './csv.js';

/** header copied verbatim from the Tuva synthetic `lab_result` sample (current layout) */
export const LAB_RESULT_HEADER =
  'lab_result_id,person_id,patient_id,encounter_id,accession_number,source_order_type,source_order_code,source_order_description,source_component_type,source_component_code,source_component_description,normalized_order_type,normalized_order_code,normalized_order_description,normalized_component_type,normalized_component_code,normalized_component_description,status,result,result_datetime,collection_datetime,source_units,normalized_units,source_reference_range_low,source_reference_range_high,normalized_reference_range_low,normalized_reference_range_high,source_abnormal_flag,normalized_abnormal_flag,specimen,ordering_practitioner_id,data_source,file_name,ingest_datetime';
const labLayout = csvLayout(LAB_RESULT_HEADER);

const HBA1C = '4548-4';
const NO_TEST_SHARE = 0.2;
const MEAN = 7.3;
const SD = 1.2;
const EVERY_DAYS = 91;
/** HbA1c is at least 6.5 % at diagnosis and rarely recorded above 14 % */
const clamp = (v: number) => Math.min(14, Math.max(5.4, v));

export function writeLabResults(person: Person, run: DemoRun): void {
  if (!person.conditions.has('diabetes')) return;
  const rng = new Random(run.seed, person.index, STREAM.labs);
  if (rng.chance(NO_TEST_SHARE)) return;
  const level = rng.normal(MEAN, SD);
  const rising = person.deterioration?.program === 'diabetes';
  const last = run.asOf - rng.int(3, 60);
  let n = 0;
  for (let day = last; day > run.asOf - 365; day -= EVERY_DAYS + rng.int(-10, 10)) {
    // the deteriorating member's latest result is the highest: about +1.5 points over the year
    const drift = rising ? 1.5 * (1 - (last - day) / 365) : 0;
    const value = clamp(level + drift + rng.normal(0, 0.35)).toFixed(1);
    const at = `${isoOf(day)} ${String(rng.int(7, 16)).padStart(2, '0')}:${String(rng.int(0, 59)).padStart(2, '0')}:00`;
    const id = `${person.id}-A1C-${++n}`;
    run.labResults.write(
      labLayout.row({
        lab_result_id: id,
        person_id: person.id,
        patient_id: person.id,
        accession_number: id,
        source_component_type: 'loinc',
        source_component_code: HBA1C,
        source_component_description: 'Hemoglobin A1c/Hemoglobin.total in Blood',
        normalized_component_type: 'loinc',
        normalized_component_code: HBA1C,
        normalized_component_description: 'Hemoglobin A1c/Hemoglobin.total in Blood',
        status: 'final',
        result: value,
        result_datetime: at,
        collection_datetime: at,
        source_units: '%',
        normalized_units: '%',
        normalized_reference_range_low: '4.0',
        normalized_reference_range_high: '5.6',
        specimen: 'blood',
        data_source: 'stratify demo',
        file_name: 'lab_result.csv',
      }),
    );
  }
}
