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
