/**
 * Payment-year adjustment of the raw score: divided by the FFS normalization factor, then reduced by the MA coding
 * pattern adjustment (score = raw × (1 − coding intensity) / normalization). The shipped table holds the published
 * figures for PY2019-2023 (V24) and PY2024 (V28); a later payment year takes the latest year the table holds for its model,
 * and the result says which year that was. Pass `adjustment` to scoreHcc (or --normalization/--coding-intensity)
 * to use a newer rate announcement.
 */
import { HccInputError } from './errors.js';
import { hccTables } from './tables.js';
import type { HccAdjustment, HccModel } from './types.js';

export const DEFAULT_PAYMENT_YEAR = 2026;

const chosen = new Map<string, HccAdjustment>();

/** the published figures of the payment year, or of the latest earlier year of the model (frozen, shared by results) */
export function adjustmentFor(model: HccModel, paymentYear: number): HccAdjustment {
  const key = `${model}|${paymentYear}`;
  const known = chosen.get(key);
  if (known) return known;
  const rows = hccTables(model).adjustments;
  for (let i = rows.length - 1; i >= 0; i--) {
    const row = rows[i]!;
    if (row.paymentYear <= paymentYear) {
      const adjustment = Object.freeze({ normalizationFactor: row.normalizationFactor, codingIntensity: row.codingIntensity, fromPaymentYear: row.paymentYear });
      chosen.set(key, adjustment);
      return adjustment;
    }
  }
  throw new HccInputError('paymentYear', paymentYear, `model ${model} has no published normalization factor before ${rows[0]?.paymentYear ?? 'any year'}`);
}

export function checkAdjustment(adjustment: HccAdjustment): HccAdjustment {
  if (!(adjustment.normalizationFactor > 0)) throw new HccInputError('normalizationFactor', adjustment.normalizationFactor, 'must be a positive number');
  if (!(adjustment.codingIntensity >= 0 && adjustment.codingIntensity < 1)) {
    throw new HccInputError('codingIntensity', adjustment.codingIntensity, 'must be a fraction in [0, 1), e.g. 0.059 for 5.9%');
  }
  return adjustment;
}
