/**
 * The bound on what a medical-claims reader remembers per claim while it streams a file (diagnosis positions
 * stored, amounts seen): claims whose lines are not adjacent must be recognised, but memory must not grow with the
 * file. When full, the oldest half is forgotten (Maps iterate in insertion order, so the first keys are the claims
 * seen longest ago).
 */

/** claims remembered at most, about 50 MB of diagnosis masks */
export const RECENT_CLAIMS = 500_000;

export function forgetOldestHalf(stored: Map<string, unknown>): void {
  let drop = stored.size >> 1;
  for (const key of stored.keys()) {
    if (drop-- === 0) break;
    stored.delete(key);
  }
}
