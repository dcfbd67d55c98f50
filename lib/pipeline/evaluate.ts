/**
 * How well a run found the members it should have: recall and precision of the flagged set against a list of
 * person ids known to be deteriorating (the demo generator's truth; later, outcomes such as admissions).
 */
import type { QueryEngine } from '../sql/port.js';

export interface FlagEvaluation {
  readonly expected: number;
  readonly flagged: number;
  readonly found: number;
  readonly missed: string[];
  /** found / expected */
  readonly recall: number;
  /** found / flagged */
  readonly precision: number;
}

export async function evaluateFlags(engine: QueryEngine, asOf: string, expected: readonly string[]): Promise<FlagEvaluation> {
  const rows = await engine.query<{ person_id: string }>('select distinct person_id from flags where as_of_date = ?', [{ date: asOf }]);
  const flagged = new Set(rows.map((r) => r.person_id));
  const want = new Set(expected);
  const missed = [...want].filter((p) => !flagged.has(p)).sort();
  const found = want.size - missed.length;
  return {
    expected: want.size,
    flagged: flagged.size,
    found,
    missed,
    recall: want.size === 0 ? 1 : found / want.size,
    precision: flagged.size === 0 ? 0 : found / flagged.size,
  };
}
