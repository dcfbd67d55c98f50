/**
 * The LACE index of readmission or death within 30 days of discharge (van Walraven et al., CMAJ 2010;182(6):551-7),
 * scored for members discharged recently (the transitions-of-care window of the configuration):
 *
 * | | points |
 * |---|---|
 * | L, length of stay in days | < 1: 0; 1: 1; 2: 2; 3: 3; 4–6: 4; 7–13: 5; >= 14: 7 |
 * | A, acute (emergent) admission | 3 |
 * | C, Charlson comorbidity index | 0: 0; 1: 1; 2: 2; 3: 3; >= 4: 5 |
 * | E, ED visits in the previous 6 months | the count, capped at 4 |
 *
 * The total runs 0–19; 10 or more is the usual "high risk" cut-off. C takes the Charlson index with the original
 * weights, as the paper did. E counts the ED visits (distinct days) of the 180 days before the admission, without
 * the admission day and the day before (feature `ed_visits_6m_before_admission`): the visit that led to the
 * admission already scores A, and visits after the discharge are not prior use.
 */
export interface LaceInput {
  readonly losDays: number;
  readonly emergent: boolean;
  readonly charlson: number;
  readonly edVisits6m: number;
}

export interface Lace {
  readonly l: number;
  readonly a: number;
  readonly c: number;
  readonly e: number;
  readonly score: number;
}

function lengthOfStayPoints(days: number): number {
  if (days < 1) return 0;
  if (days <= 3) return days;
  if (days <= 6) return 4;
  if (days <= 13) return 5;
  return 7;
}

function charlsonPoints(index: number): number {
  return index >= 4 ? 5 : Math.max(0, index);
}

export function lace(input: LaceInput): Lace {
  const l = lengthOfStayPoints(Math.floor(input.losDays));
  const a = input.emergent ? 3 : 0;
  const c = charlsonPoints(input.charlson);
  const e = Math.min(4, Math.max(0, input.edVisits6m));
  return { l, a, c, e, score: l + a + c + e };
}
