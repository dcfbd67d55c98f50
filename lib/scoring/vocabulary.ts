/**
 * The fixed words of the scoring output. Programs are listed in priority order: when two of a member's program
 * conditions earn the same points, the earlier (more acute) program wins.
 */
export const PROGRAMS = ['heart_failure', 'copd', 'diabetes', 'hypertension'] as const;
export type Program = (typeof PROGRAMS)[number];

/**
 * The pseudo-program of a review or complex-care partner: members whose leading risk belongs to no program go to
 * the partner configured with it (none by default).
 */
export const REVIEW = 'review';

/** Tiers from the most to the least urgent; every member not in a higher tier is `routine`. */
export const TIERS = ['critical', 'high', 'elevated', 'routine'] as const;
export type Tier = (typeof TIERS)[number];

/** Severity of a monitoring alert, from the most to the least urgent. */
export const SEVERITIES = ['urgent', 'high', 'moderate'] as const;
export type Severity = (typeof SEVERITIES)[number];

/** What a member can be kept off a partner's list for, although their program and tier qualify them. */
export const EXCLUSIONS = ['hospice', 'esrd', 'institutional', 'deceased', 'enrolled'] as const;
export type Exclusion = (typeof EXCLUSIONS)[number];

/** UB-04 patient discharge status codes the model reads: transfers to skilled nursing (03 SNF, 61 swing bed, 64 Medicaid NF) */
export const SNF_TRANSFER: readonly string[] = ['03', '61', '64'];
/** discharged to hospice (50 home, 51 facility) */
export const HOSPICE_DISCHARGE: readonly string[] = ['50', '51'];
/** expired at discharge (20; 40-42 in hospice) */
export const DIED_AT_DISCHARGE: readonly string[] = ['20', '40', '41', '42'];
