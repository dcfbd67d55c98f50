/** CMS-HCC V28 (PY2026) and V24 risk scores over a diagnosis list. See score.ts for the steps. */
export type { HccAdjustment, HccFactor, HccFactorKind, HccInput, HccModel, HccResult, HccSegment, HccSex } from './types.js';
export { HccInputError } from './errors.js';
export { scoreHcc, hccsForDx } from './score.js';
export { hccCode } from './types.js';
export { segmentFor, dualStatus, SEGMENTS, type DualStatus, type SegmentInput } from './segment.js';
export { adjustmentFor, DEFAULT_PAYMENT_YEAR } from './adjustment.js';
export { MAX_AGE, MODELS } from './tables.js';
