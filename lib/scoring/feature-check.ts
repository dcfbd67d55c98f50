/**
 * Feature rows are checked one by one against the features table's schema before the model reads them: a row that
 * does not fit (a total that overflowed to Infinity, a required feature missing) sets that member aside with the
 * feature, its value and the reason, and the rest of the population is scored. Parsing the whole array at once let one
 * such row fail the stage for everyone, with a raw zod dump that named no member.
 */
import type { z } from 'zod';
import { features, zodSchema } from '../tables/index.js';
import type { FeatureRow } from './member.js';
import type { SetAside } from './population.js';

const featureRow = zodSchema(features);

function describe(issue: z.core.$ZodIssue, row: Record<string, unknown>): string {
  const field = String(issue.path[0] ?? '');
  const value = row[field];
  const why = typeof value === 'number' && !Number.isFinite(value) ? 'not a finite number' : value === null || value === undefined ? 'missing value' : issue.message;
  return `${field} ${typeof value === 'number' ? String(value) : JSON.stringify(value ?? null)}: ${why}`;
}

export function checkFeatures(raw: readonly Record<string, unknown>[]): { rows: FeatureRow[]; setAside: SetAside[] } {
  const rows: FeatureRow[] = [];
  const setAside: SetAside[] = [];
  for (const r of raw) {
    const parsed = featureRow.safeParse(r);
    if (parsed.success) rows.push(parsed.data as FeatureRow);
    else setAside.push({ person_id: typeof r.person_id === 'string' && r.person_id !== '' ? r.person_id : '(no person_id)', reason: describe(parsed.error.issues[0]!, r) });
  }
  return { rows, setAside };
}
