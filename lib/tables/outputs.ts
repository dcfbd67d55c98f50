/**
 * The tables the pipeline produces, each partitioned by `as_of=<date>/`: features (SQL), scores and flags (scoring).
 * The feature columns are the contract between queries/ and lib/scoring: change both together.
 */
import { defineTable } from './define.js';

export const features = defineTable('features', 'features/', 'One row per member enrolled on the as-of date.', [
  ['person_id', 'string', 'required', 'person'],
  ['as_of_date', 'date', 'required', 'the date the features describe (history up to and including it)'],
  ['age', 'int', 'required', 'whole years on the as-of date'],
  ['sex', 'string', 'required', "'female', 'male' or 'unknown'"],
  ['has_diabetes', 'boolean', 'required', 'CMS CCW diabetes rule met within its lookback'],
  ['has_hypertension', 'boolean', 'required', 'CMS CCW hypertension rule met within its lookback'],
  ['has_copd', 'boolean', 'required', 'CMS CCW COPD rule met within its lookback'],
  ['has_heart_failure', 'boolean', 'required', 'CMS CCW heart failure rule met within its lookback'],
  ['has_ckd', 'boolean', 'required', 'CMS CCW chronic kidney disease rule met within its lookback'],
  ['ip_admissions_12m', 'int', 'required', 'inpatient admissions in the 365 days to the as-of date'],
  ['ed_visits_12m', 'int', 'required', 'emergency department visits (distinct days) in 365 days'],
  ['ed_visits_90d', 'int', 'required', 'emergency department visits (distinct days) in 90 days'],
  ['readmissions_30d_12m', 'int', 'required', 'admissions within 30 days of a previous discharge, in 365 days'],
  ['total_paid_12m', 'double', 'required', 'medical plus pharmacy paid amount in 365 days, USD'],
  ['reading_days_30d', 'int', 'required', 'days with at least one device reading in the last 30 days'],
  ['reading_days_90d', 'int', 'required', 'days with at least one device reading in the last 90 days'],
  ['days_since_last_reading', 'int', 'optional', 'days from the last device reading to the as-of date'],
  ['bp_days_30d', 'int', 'required', 'days with a blood-pressure reading in 30 days'],
  ['sbp_mean_30d', 'double', 'optional', 'mean systolic over 30 days, mm[Hg]'],
  ['dbp_mean_30d', 'double', 'optional', 'mean diastolic over 30 days, mm[Hg]'],
  ['sbp_mean_90d', 'double', 'optional', 'mean systolic over 90 days, mm[Hg]'],
  ['dbp_mean_90d', 'double', 'optional', 'mean diastolic over 90 days, mm[Hg]'],
  ['sbp_latest', 'double', 'optional', 'latest systolic, mm[Hg]'],
  ['dbp_latest', 'double', 'optional', 'latest diastolic, mm[Hg]'],
  ['bp_uncontrolled_share_30d', 'double', 'optional', 'share of BP readings at or above 140 systolic or 90 diastolic'],
  ['sbp_slope_30d', 'double', 'optional', 'least-squares slope of systolic over 30 days, mm[Hg] per day'],
  ['weight_latest', 'double', 'optional', 'latest body weight, kg'],
  ['weight_change_7d', 'double', 'optional', 'latest weight minus the earliest weight of the last 7 days, kg'],
  ['spo2_min_30d', 'double', 'optional', 'lowest SpO2 in 30 days, %'],
  ['spo2_mean_30d', 'double', 'optional', 'mean SpO2 in 30 days, %'],
  ['glucose_mean_30d', 'double', 'optional', 'mean glucose in 30 days, mg/dL'],
  ['glucose_max_30d', 'double', 'optional', 'highest glucose in 30 days, mg/dL'],
  ['glucose_min_30d', 'double', 'optional', 'lowest glucose in 30 days, mg/dL'],
]);

export const scores = defineTable('scores', 'scores/', 'One row per member: score, rank, tier, reasons, program.', [
  ['person_id', 'string', 'required', 'person'],
  ['as_of_date', 'date', 'required', 'as-of date of the features scored'],
  ['score', 'double', 'required', 'points-based composite (higher is riskier)'],
  ['rank', 'int', 'required', '1 = highest score in the population'],
  ['percentile', 'double', 'required', 'share of the population scoring at or below this member, 0–100'],
  ['tier', 'string', 'required', "'critical', 'high', 'elevated' or 'routine'"],
  ['program', 'string', 'optional', 'disease-management program matched: diabetes, hypertension, copd, heart_failure'],
  ['reasons', 'string', 'required', 'JSON array of reasons in words a care manager acts on, strongest first'],
]);

export const flags = defineTable('flags', 'flags/', 'Members flagged for a partner: the worklist rows.', [
  ['person_id', 'string', 'required', 'person'],
  ['as_of_date', 'date', 'required', 'as-of date'],
  ['partner', 'string', 'required', 'partner that receives the member'],
  ['program', 'string', 'required', 'program the member is matched to'],
  ['tier', 'string', 'required', 'risk tier'],
  ['rank', 'int', 'required', 'rank within the partner list, 1 = act first'],
  ['score', 'double', 'required', 'score'],
  ['reasons', 'string', 'required', 'JSON array of reasons'],
]);

export const OUTPUT_TABLES = [features, scores, flags] as const;
