/**
 * The column mapping of a remote-monitoring vendor's CSV export (`stratify ingest --map mapping.json file.csv`):
 * every vendor exports differently, so the mapping says which column holds what. Two shapes of export:
 *
 *   long: one reading a row, the measure named in a column   {"long": {"measure": "type", "value": "value",
 *         (`SYS`, `DIA`, `WT`…) and mapped to a measure        "unit_column": "unit", "measures": {"SYS": "systolic"}}}
 *   wide: one row a visit, one column per measure             {"wide": {"sys_mmhg": {"measure": "systolic",
 *                                                               "unit": "mmHg"}, "pulse": {"measure": "heart_rate"}}}
 *
 * plus the person column, an optional device column, the time column with its format (local-time.ts) and either a
 * fixed IANA zone or a zone column, and `units`: the vendor's unit strings → UCUM (`"lbs": "[lb_av]"`). Values are
 * converted to the canonical units of units.ts. Measures are named (systolic, diastolic, heart_rate, spo2, weight,
 * glucose, hba1c) or given as a monitored LOINC code. The file is checked whole when it is loaded, so a wrong mapping
 * fails before any record is read, with an error naming the mapping field.
 */
import { readFile } from 'node:fs/promises';
import Papa from 'papaparse';
import { z } from 'zod';
import { firstLine } from './head.js';
import { isTimeZone, timeFormatProblem } from './local-time.js';
import { MEASURES } from './units.js';

/** the blood-pressure panel: a vendor value written `systolic/diastolic` (`132/84`), split by vendor-csv.ts */
export const BP_PANEL = '85354-9';

/** measure names a mapping may use → LOINC (glucose is a meter reading, 41653-7, as devices send it) */
export const MEASURE_NAMES: Readonly<Record<string, string>> = {
  blood_pressure: BP_PANEL,
  systolic: '8480-6',
  diastolic: '8462-4',
  heart_rate: '8867-4',
  spo2: '59408-5',
  weight: '29463-7',
  glucose: '41653-7',
  hba1c: '4548-4',
};

/** a measure name or monitored LOINC code → its LOINC code, or undefined */
export function loincOf(measure: string): string | undefined {
  return MEASURE_NAMES[measure] ?? (MEASURES.has(measure) ? measure : undefined);
}

const column = z.string().trim().min(1, 'name a column');
const measure = z
  .string()
  .refine((m) => loincOf(m) !== undefined, `not a measure: use ${Object.keys(MEASURE_NAMES).join(', ')} or a monitored LOINC code`);

const timeSchema = z
  .object({
    column,
    format: z
      .string()
      .default('iso')
      .superRefine((f, ctx) => {
        const problem = timeFormatProblem(f);
        if (problem !== undefined) ctx.addIssue({ code: 'custom', message: problem });
      }),
    zone: z
      .string()
      .refine((zone) => isTimeZone(zone), 'not an IANA time zone (e.g. America/Chicago)')
      .optional(),
    zone_column: column.optional(),
  })
  .strict()
  .superRefine((t, ctx) => {
    if (t.zone !== undefined && t.zone_column !== undefined) ctx.addIssue({ code: 'custom', path: ['zone_column'], message: 'give zone or zone_column, not both' });
    const absolute = t.format === 'epoch_s' || t.format === 'epoch_ms' || t.format === 'iso';
    if (!absolute && t.zone === undefined && t.zone_column === undefined) {
      ctx.addIssue({ code: 'custom', path: ['zone'], message: `a time format without an offset needs zone or zone_column` });
    }
  });

const longSchema = z
  .object({
    measure: column,
    value: column,
    /** the column of each value's unit; without it, values are taken to be in the measure's canonical unit */
    unit_column: column.optional(),
    measures: z.record(z.string(), measure).refine((m) => Object.keys(m).length > 0, 'map at least one vendor measure'),
  })
  .strict();

const wideColumnSchema = z
  .object({
    measure,
    /** the unit of every value in the column (vendor spelling or UCUM) */
    unit: z.string().min(1).optional(),
    /** or the column holding each value's unit */
    unit_column: column.optional(),
  })
  .strict()
  .refine((c) => c.unit === undefined || c.unit_column === undefined, { message: 'give unit or unit_column, not both', path: ['unit_column'] });

export const vendorMappingSchema = z
  .object({
    /** what the mapping is for; free text */
    description: z.string().optional(),
    person: column,
    device: column.optional(),
    time: timeSchema,
    long: longSchema.optional(),
    wide: z
      .record(z.string(), wideColumnSchema)
      .refine((w) => Object.keys(w).length > 0, 'map at least one measure column')
      .optional(),
    /** vendor unit string → UCUM (case-insensitive on the vendor side) */
    units: z.record(z.string(), z.string().min(1)).default({}),
  })
  .strict()
  .superRefine((m, ctx) => {
    if ((m.long === undefined) === (m.wide === undefined)) {
      ctx.addIssue({ code: 'custom', path: ['long'], message: 'give exactly one of long (a measure column) or wide (a column per measure)' });
    }
    for (const [vendor, ucum] of Object.entries(m.units)) {
      if (![...MEASURES.values()].some((x) => x.from.has(ucum.toLowerCase()))) {
        ctx.addIssue({ code: 'custom', path: ['units', vendor], message: `"${ucum}" is not a unit of any monitored measure` });
      }
    }
    for (const [name, c] of Object.entries(m.wide ?? {})) {
      if (c.unit === undefined) continue;
      const target = MEASURES.get(loincOf(c.measure) ?? '');
      const ucum = ucumOf(m.units, c.unit);
      if (target !== undefined && !target.from.has(ucum.toLowerCase())) {
        ctx.addIssue({ code: 'custom', path: ['wide', name, 'unit'], message: `"${c.unit}" does not convert to ${target.unit}` });
      }
    }
  });

export type VendorMapping = z.infer<typeof vendorMappingSchema>;

/** the vendor's unit as UCUM: through the mapping's `units` (case-insensitive), else as written */
export function ucumOf(units: Readonly<Record<string, string>>, vendorUnit: string): string {
  const lower = vendorUnit.toLowerCase();
  for (const [vendor, ucum] of Object.entries(units)) if (vendor.toLowerCase() === lower) return ucum;
  return vendorUnit;
}

/** A mapping file that cannot be used; `field` is the mapping's field path, e.g. `time.zone`. */
export class MappingError extends Error {
  constructor(
    readonly file: string,
    readonly field: string,
    reason: string,
  ) {
    super(`${file}: ${field === '' ? '' : `${field}: `}${reason}`);
    this.name = 'MappingError';
  }
}

/** a loaded mapping, with the name of the file it came from (reported with every file read through it) */
export interface LoadedMapping {
  readonly file: string;
  readonly mapping: VendorMapping;
}

export function parseMapping(file: string, json: unknown): LoadedMapping {
  const parsed = vendorMappingSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new MappingError(file, issue.path.join('.'), issue.message);
  }
  return { file, mapping: parsed.data };
}

export async function loadMapping(path: string): Promise<LoadedMapping> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (e) {
    throw new MappingError(path, '', `cannot read: ${(e as Error).message}`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new MappingError(path, '', `not JSON: ${(e as Error).message}`);
  }
  return parseMapping(path, json);
}

/** every column the mapping names; a CSV is read through the mapping when its header has all of them */
export function mappedColumns(m: VendorMapping): string[] {
  const cols = [m.person, m.time.column, m.device, m.time.zone_column];
  if (m.long) cols.push(m.long.measure, m.long.value, m.long.unit_column);
  for (const [name, c] of Object.entries(m.wide ?? {})) cols.push(name, c.unit_column);
  return [...new Set(cols.filter((c): c is string => c !== undefined).map((c) => c.toLowerCase()))];
}

/** whether a file's first line has every column the mapping names (header names matched case-insensitively) */
export function matchesMapping({ mapping }: LoadedMapping, head: string): boolean {
  const names = new Set((Papa.parse<string[]>(firstLine(head)).data[0] ?? []).map((n) => n.trim().toLowerCase()));
  return mappedColumns(mapping).every((c) => names.has(c));
}
