/**
 * A vendor's device CSV, read through its column mapping (vendor-mapping.ts) → `observations` with source 'device'.
 * A long row is one reading; a wide row is a reading per filled measure column, stored together or quarantined
 * together. A `blood_pressure` value is written `systolic/diastolic` (`132/84`) and stored as the two readings. Rows name the mapping's columns when they are rejected (e.g. `reading_time: timestamp does not match the
 * format MM/dd/yyyy hh:mm a`). A long row whose measure the mapping does not list is skipped, not quarantined:
 * exports carry measures Stratify does not use (steps, BMI), and the skip reasons in the report show which.
 */
import Papa from 'papaparse';
import { observations } from '../tables/index.js';
import type { Column, CsvHeader } from './csv-header.js';
import { number, required, text, personIdOf } from './fields.js';
import { firstLine } from './head.js';
import { toUtc, compileTimeFormat, type TimeParser } from './local-time.js';
import type { CsvReader, CuratedRow, MapperEnv, Mapped } from './mapper.js';
import { notInFuture, observationRow, rememberWeights } from './measurement.js';
import { PoundsLabelledKg } from './pounds-as-kg.js';
import { reject } from './rejection.js';
import { MEASURES } from './units.js';
import { BP_PANEL, loincOf, mappedColumns, ucumOf, type LoadedMapping, type VendorMapping } from './vendor-mapping.js';

export const MEASURE_NOT_MAPPED = 'measure not in the mapping';
export const NO_VALUE = 'no measure column filled';

/** a column by the name the mapping gives it (matched case-insensitively, blamed as the mapping spells it) */
function col(h: CsvHeader, name: string): Column {
  return { ...h.required(name.trim().toLowerCase()), name };
}

interface Value {
  readonly loinc: string;
  readonly raw: string | undefined;
  readonly valueColumn: string;
  readonly unit: string | null;
  readonly unitColumn: string;
}

/** the value's unit as UCUM, the measure's canonical one without a unit column (toCanonical checks it converts) */
function ucumUnit(m: VendorMapping, v: Value): string {
  return v.unit === null ? MEASURES.get(v.loinc)!.unit : ucumOf(m.units, v.unit);
}

const SYSTOLIC_OVER_DIASTOLIC = /^\s*(\d+(?:\.\d+)?)\s*\/\s*(\d+(?:\.\d+)?)\s*$/;

/** a `blood_pressure` value written `132/84` → its systolic and diastolic values, in the same unit */
function splitPanel(v: Value): Value[] {
  if (v.loinc !== BP_PANEL) return [v];
  const m = SYSTOLIC_OVER_DIASTOLIC.exec(v.raw ?? '');
  if (m === null) return reject(v.valueColumn, 'not a blood pressure written systolic/diastolic (e.g. 132/84)', v.raw ?? null);
  return [
    { ...v, loinc: '8480-6', raw: m[1] },
    { ...v, loinc: '8462-4', raw: m[2] },
  ];
}

/** the reading's instant, rejected when more than a day ahead of `now` (measurement.ts notInFuture) */
function instantOf(m: VendorMapping, parse: TimeParser, f: readonly string[], time: Column, zoneCol: Column | undefined, now: number): number {
  const raw = required(text(f[time.index]), time.name);
  const parsed = parse(raw, time.name);
  if ('utc' in parsed) return notInFuture(parsed.utc, now, time.name, raw);
  const zone = zoneCol ? required(text(f[zoneCol.index]), zoneCol.name) : m.time.zone;
  if (zone === undefined) return reject(time.name, 'timestamp without UTC offset, and the mapping gives no zone', raw);
  return notInFuture(toUtc(parsed.local, zone, time.name, zoneCol?.name ?? 'time.zone', raw), now, time.name, raw);
}

/** the values of a row, or the reason to skip it */
type RowValues = (f: readonly string[]) => Value[] | string;

/** long: one value a row, its measure named in a column and looked up in the mapping (case-insensitively) */
function longValues(long: NonNullable<VendorMapping['long']>, h: CsvHeader): RowValues {
  const measure = col(h, long.measure);
  const value = col(h, long.value);
  const unit = long.unit_column === undefined ? undefined : col(h, long.unit_column);
  const codes = new Map(Object.entries(long.measures).map(([vendor, name]) => [vendor.trim().toLowerCase(), loincOf(name)!]));
  return (f) => {
    const loinc = codes.get(required(text(f[measure.index]), measure.name).toLowerCase());
    if (loinc === undefined) return MEASURE_NOT_MAPPED;
    const unitText = unit === undefined ? null : required(text(f[unit.index]), unit.name);
    return [{ loinc, raw: f[value.index], valueColumn: value.name, unit: unitText, unitColumn: unit?.name ?? value.name }];
  };
}

/** wide: a value per filled measure column, each with its fixed unit or its unit column */
function wideValues(wide: NonNullable<VendorMapping['wide']>, h: CsvHeader): RowValues {
  const columns = Object.entries(wide).map(([name, c]) => ({
    value: col(h, name),
    loinc: loincOf(c.measure)!,
    unit: c.unit,
    unitColumn: c.unit_column === undefined ? undefined : col(h, c.unit_column),
  }));
  return (f) => {
    const filled = columns.filter((c) => text(f[c.value.index]) !== null);
    if (filled.length === 0) return NO_VALUE;
    return filled.map((c) => ({
      loinc: c.loinc,
      raw: f[c.value.index],
      valueColumn: c.value.name,
      unit: c.unitColumn ? required(text(f[c.unitColumn.index]), c.unitColumn.name) : (c.unit ?? null),
      unitColumn: c.unitColumn?.name ?? `wide.${c.value.name}.unit`,
    }));
  };
}

function bindMapping({ mapping: m }: LoadedMapping, h: CsvHeader, env: MapperEnv): (f: readonly string[]) => Mapped {
  const person = col(h, m.person);
  const device = m.device === undefined ? undefined : col(h, m.device);
  const time = col(h, m.time.column);
  const zoneCol = m.time.zone_column === undefined ? undefined : col(h, m.time.zone_column);
  const parse = compileTimeFormat(m.time.format) as TimeParser; // the mapping schema has checked the format
  const pounds = new PoundsLabelledKg();
  const now = Date.now();

  const values = m.long ? longValues(m.long, h) : wideValues(m.wide!, h);

  return (f) => {
    const personId = personIdOf(f[person.index], person.name);
    env.persons.require(personId, person.name);
    const found = values(f);
    if (typeof found === 'string') return { skip: found };
    const read = found.flatMap(splitPanel);
    const observedAt = instantOf(m, parse, f, time, zoneCol, now);
    const deviceId = device === undefined ? null : text(f[device.index]);
    const rows: CuratedRow[] = read.map((v) =>
      observationRow(
        {
          person_id: personId,
          observed_at: observedAt,
          loinc_code: v.loinc,
          value: required(number(v.raw, v.valueColumn), v.valueColumn),
          unit: ucumUnit(m, v),
          device_id: deviceId,
          source: 'device',
        },
        v.valueColumn,
        env.sourceFile,
        pounds,
        v.unitColumn,
      ),
    );
    rememberWeights(rows, pounds);
    return { rows };
  };
}

/** the reader of CSV files that match `loaded` (vendor-mapping.ts mappedColumns) */
export function vendorCsvReader(loaded: LoadedMapping): CsvReader {
  return { kind: 'csv', format: 'vendor-csv', tables: [observations], bind: (h, env) => bindMapping(loaded, h, env) };
}

/** whether a file's first line has every column the mapping names (header names matched case-insensitively) */
export function matchesMapping({ mapping }: LoadedMapping, head: string): boolean {
  const names = new Set((Papa.parse<string[]>(firstLine(head)).data[0] ?? []).map((n) => n.trim().toLowerCase()));
  return mappedColumns(mapping).every((c) => names.has(c));
}
