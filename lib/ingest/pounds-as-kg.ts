/**
 * Catches scales that send pounds labelled `kg`: a kg weight about 2.2046 times the person's recent median (the last
 * few accepted weights from the same file) is quarantined. 80 kg → 176 "kg" passes every range check, and a real body
 * does not double in weight, so the ratio alone is a safe tell once there is some history. State per person is at
 * most WINDOW numbers, so memory grows with the persons in a file, not with its readings.
 */
import { median } from 'simple-statistics';
import { detached } from './fields.js';
import { POUND_KG } from './units.js';

const WINDOW = 5;
/**
 * One earlier weight is enough: a real body does not change by a factor of 2.2 between two readings, and scales
 * commonly send the pounds copy right after a correct reading (a unit setting flipped mid-session).
 * A person's very first weight has no reference and cannot be checked this way; the range check still applies.
 */
const MIN_HISTORY = 1;
const TOLERANCE = 0.05;

export class PoundsLabelledKg {
  readonly #recent = new Map<string, number[]>();

  looksLikePounds(personId: string, kg: number): boolean {
    const recent = this.#recent.get(personId);
    if (recent === undefined || recent.length < MIN_HISTORY) return false;
    return Math.abs(kg / median(recent) * POUND_KG - 1) <= TOLERANCE;
  }

  /** record an accepted weight */
  remember(personId: string, kg: number): void {
    const recent = this.#recent.get(personId);
    if (recent === undefined) this.#recent.set(detached(personId), [kg]);
    else {
      recent.push(kg);
      if (recent.length > WINDOW) recent.shift();
    }
  }
}
