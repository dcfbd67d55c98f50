/**
 * Charlson (Quan 2005 ICD-10 coding) and Elixhauser (Quan 2005 ICD-10 coding) as code-prefix lists, with their
 * weights and the pairs where the severe form of a condition replaces the mild one (a member with metastatic cancer
 * does not also score "any malignancy"). Parsed once per process. A set of conditions is a bit mask (bit i is the
 * i-th condition of conditions.csv; each index has at most 31), so scoring a member is a few integer operations.
 */
import { normalizeDx } from '../hcc/dx-code.js';
import { numberField, readReferenceCsv } from '../hcc/reference-csv.js';

const DATA = 'lib/scoring/comorbidity/data/';

export type ComorbidityIndex = 'charlson' | 'elixhauser';
export type WeightScheme = 'original' | 'quan2011' | 'van_walraven';

export interface ConditionDef {
  readonly id: string;
  readonly description: string;
  /** conditions whose presence drops this one (a mask) */
  readonly droppedBy: number;
}

export interface IndexTables {
  /** in the order of conditions.csv; bit i of a mask is conditions[i] */
  readonly conditions: readonly ConditionDef[];
  readonly weights: ReadonlyMap<WeightScheme, readonly number[]>;
  readonly prefixes: ReadonlyMap<string, number>;
  readonly prefixLengths: readonly number[];
  /** per code as callers spell it, the mask of the conditions it gives (filled as codes are met) */
  readonly byCode: Map<string, number>;
}

const cache = new Map<ComorbidityIndex, IndexTables>();

export function indexTables(index: ComorbidityIndex): IndexTables {
  let tables = cache.get(index);
  if (!tables) {
    tables = load(index);
    cache.set(index, tables);
  }
  return tables;
}

/** the conditions one code gives, as a mask */
export function conditionMask(tables: IndexTables, raw: string): number {
  let mask = tables.byCode.get(raw);
  if (mask === undefined) {
    const code = normalizeDx(raw);
    mask = 0;
    for (const length of tables.prefixLengths) {
      if (length > code.length) break;
      mask |= tables.prefixes.get(code.slice(0, length)) ?? 0;
    }
    tables.byCode.set(raw, mask);
  }
  return mask;
}

function load(index: ComorbidityIndex): IndexTables {
  const conditionsCsv = readReferenceCsv(`${DATA}conditions.csv`);
  const rows = conditionsCsv.rows.filter((row) => row['index'] === index);
  if (rows.length > 31) throw new Error(`${conditionsCsv.file}: ${index} has ${rows.length} conditions; masks hold 31`);
  const bit = new Map(rows.map((row, i) => [row['condition'] ?? '', 1 << i]));
  const bitOf = (file: string, record: number, id: string): number => {
    const b = bit.get(id);
    if (b === undefined) throw new Error(`${file}: record ${record}: condition ${JSON.stringify(id)} is not a ${index} condition in conditions.csv`);
    return b;
  };
  const conditions = rows.map((row, i) => ({
    id: row['condition'] ?? '',
    description: row['description'] ?? '',
    droppedBy: row['dropped_when'] ? bitOf(conditionsCsv.file, i + 1, row['dropped_when']) : 0,
  }));

  const prefixCsv = readReferenceCsv(`${DATA}icd10_prefixes.csv`);
  const prefixes = new Map<string, number>();
  prefixCsv.rows.forEach((row, i) => {
    if (row['index'] !== index) return;
    const prefix = row['icd10_prefix'] ?? '';
    prefixes.set(prefix, (prefixes.get(prefix) ?? 0) | bitOf(prefixCsv.file, i + 1, row['condition'] ?? ''));
  });

  const weightsCsv = readReferenceCsv(`${DATA}weights.csv`);
  const weights = new Map<WeightScheme, number[]>();
  weightsCsv.rows.forEach((row, i) => {
    const b = bit.get(row['condition'] ?? '');
    if (b === undefined || (index === 'charlson') === (row['weights'] === 'van_walraven')) return;
    const scheme = row['weights'] as WeightScheme;
    const list = weights.get(scheme) ?? conditions.map(() => 0);
    list[Math.log2(b)] = numberField(weightsCsv, i + 1, 'weight');
    weights.set(scheme, list);
  });

  const prefixLengths = [...new Set([...prefixes.keys()].map((p) => p.length))].sort((a, b) => a - b);
  return { conditions, weights, prefixes, prefixLengths, byCode: new Map() };
}
