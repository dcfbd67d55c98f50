/**
 * Comorbidity indexes over a diagnosis list: Charlson (Quan 2005 ICD-10 coding; weights of the original 1987 index
 * or the Quan 2011 update) and Elixhauser (Quan 2005 ICD-10 coding, van Walraven 2009 weights). A condition counts
 * once however many codes match it; the severe form replaces the mild one (msld over mld, diabwc over diab,
 * metacanc over canc; Elixhauser hypc over hypunc, diabc over diabunc, metacanc over solidtum).
 * Maximum Charlson: 29 with the original weights, 24 with Quan 2011's (AIDS/HIV weighs 4 there: Quan et al. 2011).
 */
import { conditionMask, indexTables, type ComorbidityIndex, type WeightScheme } from './tables.js';

export type CharlsonWeights = 'original' | 'quan2011';

export interface ComorbidityCondition {
  readonly id: string;
  readonly description: string;
  readonly weight: number;
}

export interface ComorbidityResult {
  readonly score: number;
  /** the conditions met after the severe-replaces-mild rule, in the order of the index's list */
  readonly conditions: ComorbidityCondition[];
}

const CHARLSON_WEIGHTS: readonly CharlsonWeights[] = ['original', 'quan2011'];

export function charlson(dx: readonly string[], weights: CharlsonWeights): ComorbidityResult {
  if (!CHARLSON_WEIGHTS.includes(weights)) throw new Error(`Charlson weights ${JSON.stringify(weights)}: expected one of ${CHARLSON_WEIGHTS.join(', ')}`);
  return score('charlson', weights, dx);
}

export function elixhauser(dx: readonly string[]): ComorbidityResult {
  return score('elixhauser', 'van_walraven', dx);
}

function score(index: ComorbidityIndex, scheme: WeightScheme, dx: readonly string[]): ComorbidityResult {
  const tables = indexTables(index);
  let met = 0;
  for (const raw of dx) met |= conditionMask(tables, raw);
  const weights = tables.weights.get(scheme)!;
  const conditions: ComorbidityCondition[] = [];
  let total = 0;
  for (let i = 0; met !== 0 && i < tables.conditions.length; i++) {
    const def = tables.conditions[i]!;
    if ((met & (1 << i)) === 0 || (met & def.droppedBy) !== 0) continue;
    conditions.push({ id: def.id, description: def.description, weight: weights[i]! });
    total += weights[i]!;
  }
  return { score: total, conditions };
}
