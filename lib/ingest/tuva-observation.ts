/**
 * Tuva `observation` (clinic vitals, source 'clinic') and `lab_result` (source 'lab') → `observations`. Both name a
 * coded result with a value and a unit; they differ only in which columns hold the code, the unit and the instant,
 * so one reader is configured twice. Normalized codes win over source codes. A value keeps its own unit: a filled
 * `normalized_result` is read in `normalized_units` (in `source_units` only when `normalized_units` is empty), else
 * `result` in `source_units`; choosing the two independently stored 180 [lb_av] as 180 kg when only
 * `normalized_units` was filled. The datetime column wins over the date column when both are filled.
 * Codes that are not LOINC or not one of the monitored measures (units.ts) are skipped, not quarantined; HbA1c
 * (4548-4) and glucose (2339-0) labs thus land as source 'lab' in % and mg/dL, where the diabetes features read them.
 * Both lab_result layouts are read: the current one (order and component codes, `*_datetime`) and the older one
 * (`source_code`/`normalized_code`, `result_date`/`collection_date`). A lab result whose `status` says it holds no
 * valid result (HL7 v2 OBX-11 X, W or D; FHIR cancelled or entered-in-error) is skipped with that reason.
 */
import { observations } from '../tables/index.js';
import type { Column, CsvHeader } from './csv-header.js';
import { number, required, text, utcInstant, personIdOf } from './fields.js';
import type { CsvReader } from './mapper.js';
import { isMonitored, NOT_MONITORED, observationRow, rememberWeights } from './measurement.js';
import { PoundsLabelledKg } from './pounds-as-kg.js';

interface ValueColumns {
  readonly result: string;
  readonly units: readonly string[];
}

interface Layout {
  readonly format: 'tuva-observation' | 'tuva-lab-result';
  readonly source: 'clinic' | 'lab';
  /** [code column, code type column], most specific first */
  readonly codes: readonly (readonly [string, string])[];
  /** result columns with their unit columns (preferred first), preferred first */
  readonly values: readonly ValueColumns[];
  /** instant columns, preferred first */
  readonly instants: readonly string[];
  /** the result status column, when the table has one */
  readonly status?: string;
}

/**
 * Result statuses that mean there is no valid value: HL7 v2 OBX-11 X (no result), W (wrong, replaced), D (deleted),
 * and FHIR's cancelled and entered-in-error. F, C, P and FHIR final, amended, corrected, preliminary are kept.
 */
const VOID_STATUSES: ReadonlySet<string> = new Set(['x', 'w', 'd', 'cancelled', 'entered-in-error']);
const VOID_RESULT = 'lab result cancelled, wrong or deleted (status)';

/** the first of `cols` with a value in this record */
function filled(f: readonly string[], cols: readonly Column[]): Column | undefined {
  return cols.find((c) => text(f[c.index]) !== null);
}

function presentColumns(h: CsvHeader, names: readonly string[]): Column[] {
  return names.filter((n) => h.has(n)).map((n) => h.optional(n));
}

function observationReader(layout: Layout): CsvReader {
  return {
    kind: 'csv',
    format: layout.format,
    tables: [observations],
    bind(h, env) {
      const person = h.person();
      const values = layout.values
        .filter((v) => h.has(v.result))
        .map((v) => ({ result: h.optional(v.result), units: presentColumns(h, v.units) }));
      if (values.length === 0) h.required(...layout.values.map((v) => v.result));
      const codes = layout.codes
        .filter(([code]) => h.has(code))
        .map(([code, type]) => ({ code: h.optional(code).index, type: h.optional(type).index }));
      if (codes.length === 0) h.required(...layout.codes.map(([code]) => code));
      const instants = presentColumns(h, layout.instants);
      if (instants.length === 0) h.required(...layout.instants);
      const pounds = new PoundsLabelledKg();
      const status = layout.status !== undefined && h.has(layout.status) ? h.optional(layout.status).index : undefined;

      const loinc = (f: readonly string[]): string | null => {
        for (const { code, type } of codes) {
          const value = text(f[code]);
          if (value === null) continue;
          const system = text(f[type])?.toLowerCase() ?? 'loinc';
          return system === 'loinc' ? value : null;
        }
        return null;
      };

      return (f) => {
        const code = loinc(f);
        if (code === null || !isMonitored(code)) return { skip: NOT_MONITORED };
        if (status !== undefined && VOID_STATUSES.has(text(f[status])?.toLowerCase() ?? '')) return { skip: VOID_RESULT };
        const personId = personIdOf(f[person.index], person.name);
        env.persons.require(personId, person.name);
        const at = filled(f, instants) ?? instants[0]!;
        const { result, units } = values.find((v) => text(f[v.result.index]) !== null) ?? values[0]!;
        const unit = filled(f, units);
        const row = observationRow(
          {
            person_id: personId,
            observed_at: required(utcInstant(f[at.index], at.name), at.name),
            loinc_code: code,
            value: required(number(f[result.index], result.name), result.name),
            unit: unit === undefined ? null : text(f[unit.index]),
            device_id: null,
            source: layout.source,
          },
          result.name,
          env.sourceFile,
          pounds,
        );
        const rows = [row];
        rememberWeights(rows, pounds);
        return { rows };
      };
    },
  };
}

const VALUES: readonly ValueColumns[] = [
  { result: 'normalized_result', units: ['normalized_units', 'source_units'] },
  { result: 'result', units: ['source_units'] },
];

export const tuvaObservation = observationReader({
  format: 'tuva-observation',
  source: 'clinic',
  codes: [
    ['normalized_code', 'normalized_code_type'],
    ['source_code', 'source_code_type'],
  ],
  values: VALUES,
  instants: ['observation_datetime', 'observation_date'],
});

export const tuvaLabResult = observationReader({
  format: 'tuva-lab-result',
  source: 'lab',
  codes: [
    ['normalized_component_code', 'normalized_component_type'],
    ['normalized_order_code', 'normalized_order_type'],
    ['source_component_code', 'source_component_type'],
    ['source_order_code', 'source_order_type'],
    // the older lab_result layout: one code per result
    ['normalized_code', 'normalized_code_type'],
    ['source_code', 'source_code_type'],
  ],
  values: VALUES,
  instants: ['collection_datetime', 'result_datetime', 'collection_date', 'result_date'],
  status: 'status',
});
