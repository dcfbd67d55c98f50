/** The public shapes of the CMS-HCC engine (docs/contract: /tmp/brief/contracts.md "Scoring engines"). */

/** V28 is the 2024 CMS-HCC model that pays 100% of PY2026; V24 (the 2020 model) is kept for comparison. */
export type HccModel = 'v28' | 'v24';

/**
 * Community non-dual / full-benefit dual / partial-benefit dual, each aged (65 or older) or disabled (under 65);
 * long-term institutional; new enrollee (fewer than 12 months of Medicare history: demographics only).
 */
export type HccSegment = 'CNA' | 'CND' | 'CFA' | 'CFD' | 'CPA' | 'CPD' | 'INS' | 'NE';

export type HccSex = 'female' | 'male';

export interface HccInput {
  /** whole years (CMS uses the age on February 1 of the payment year) */
  readonly age: number;
  /** callers score sex 'unknown' as female for the demographic factor and say so */
  readonly sex: HccSex;
  /** ICD-10-CM codes, with or without the dot, any case; duplicates are harmless */
  readonly dx: readonly string[];
  /** @default the community non-dual segment for the age: CNA at 65 or older, CND under 65 */
  readonly segment?: HccSegment;
  /** @default 'v28' */
  readonly model?: HccModel;
  /** selects the normalization factor and MA coding-intensity adjustment; @default 2026 */
  readonly paymentYear?: number;
  /** entitled to Medicare by disability before turning 65 (OREC 1); counts only at 65 or older. @default false */
  readonly originallyDisabled?: boolean;
  /** Medicaid in the year: the INS Medicaid factor and the Medicaid new-enrollee factors. @default false */
  readonly medicaid?: boolean;
  /** replaces the per-payment-year factors, e.g. with the figures of a newer rate announcement */
  readonly adjustment?: HccAdjustment;
}

export interface HccAdjustment {
  /** the raw score is divided by it */
  readonly normalizationFactor: number;
  /** MA coding-pattern adjustment as a fraction (0.059 = 5.9%): the score is multiplied by 1 minus it */
  readonly codingIntensity: number;
  /** the payment year whose published figures these are; absent when the caller supplied them */
  readonly fromPaymentYear?: number;
}

export type HccFactorKind = 'demographic' | 'disease' | 'interaction' | 'count';

export interface HccFactor {
  readonly kind: HccFactorKind;
  /** the CMS variable name, e.g. CNA_M70_74, CNA_HCC37, CNA_DIABETES_HF_V28, CNA_D5 */
  readonly code: string;
  readonly description: string;
  readonly coefficient: number;
}

export interface HccResult {
  readonly model: HccModel;
  readonly segment: HccSegment;
  readonly paymentYear: number;
  /** the sum of the factors' coefficients (relative factor before adjustment) */
  readonly rawScore: number;
  /** rawScore × (1 − coding intensity) / normalization factor */
  readonly score: number;
  readonly adjustment: HccAdjustment;
  /** payment HCCs after the age/sex edits and the hierarchies, e.g. ['HCC226', 'HCC37'] */
  readonly hccs: string[];
  readonly factors: HccFactor[];
}

/** a factor's HCC number without its segment prefix (`CNA_HCC37` → `HCC37`) */
export const hccCode = (factorCode: string): string => factorCode.replace(/^[A-Z]+_/, '');
