/**
 * The configuration file's shape. Every number that decides who gets flagged lives here, so a clinical lead can read
 * and change the model without reading code (the formula is in lib/scoring/model.ts):
 * - `scoring.prospective` and `scoring.comorbidity`: points per unit of the CMS-HCC score and of the comorbidity indexes;
 * - `scoring.rules`: utilization and trend rules, each a list of levels (threshold → points, the member earns the
 *   highest level met) and the programs whose signals it counts toward when matching a member to a program;
 * - `scoring.monitoring`: the remote-monitoring alert rules, each with its threshold, severity and programs, the
 *   per-program overrides of those thresholds, and the points each severity earns;
 * - `scoring.transitions`: the post-discharge window and the LACE score that sends a member to a partner whatever the tier.
 * Which feature a rule reads, its comparison and its reason text are fixed in lib/scoring/.
 */
import { z } from 'zod';
import { deploySchema } from './deploy.js';
import { EXCLUSIONS, PROGRAMS, SEVERITIES, TIERS } from '../scoring/vocabulary.js';

const level = z.object({ at: z.number().finite(), points: z.number().positive().finite() }).strict();
const programs = z.array(z.enum(PROGRAMS));

const rule = z
  .object({
    levels: z
      .array(level)
      .min(1)
      .refine((ls) => ls.every((l, i) => i === 0 || l.points > ls[i - 1]!.points), 'levels must earn strictly increasing points'),
    programs,
  })
  .strict();

/** a trend rule judges a slope only when readings fall on at least `min_days` days of the 30 */
const slopeRule = rule.extend({ min_days: z.number().int().min(2) });

const rules = z
  .object({
    admissions: rule,
    readmissions: rule,
    ed_visits: rule,
    cost: rule,
    lace: rule,
    sbp_rising: slopeRule,
    weight_rising: slopeRule,
    glucose_rising: slopeRule,
    score_rising: rule,
  })
  .strict();

const severity = z.enum(SEVERITIES);

/** one monitoring alert rule: fires at `at` (in the unit its name says), with a severity, for members of `programs` */
const alert = z.object({ at: z.number().finite(), severity, programs }).strict();
const bpAlert = alert.extend({ diastolic_at: z.number().finite() });

const alertRules = z
  .object({
    bp_crisis: bpAlert,
    bp_uncontrolled: bpAlert,
    hypotension: alert,
    weight_gain_24h: alert,
    weight_gain_7d: alert,
    spo2_low: alert,
    glucose_low_level1: alert,
    glucose_low_level2: alert,
    glucose_sustained_high: alert.extend({ min_readings: z.number().int().min(1) }),
    sbp_above_baseline: alert,
    weight_above_baseline: alert,
    glucose_above_baseline: alert,
    spo2_below_baseline: alert,
    non_adherent: alert,
    no_transmission: alert.extend({ monitored_within_days: z.number().int().positive() }),
  })
  .strict();

/** per program, a partial rule: the thresholds (or severity) that program's members are judged by instead */
const alertOverride = z.object({ at: z.number().finite(), diastolic_at: z.number().finite(), severity, min_readings: z.number().int().min(1) }).partial().strict();

const monitoring = z
  .object({
    severity_points: z.object({ urgent: z.number().positive(), high: z.number().positive(), moderate: z.number().positive() }).strict(),
    rules: alertRules,
    overrides: z.partialRecord(z.enum(PROGRAMS), z.partialRecord(alertRules.keyof(), alertOverride)).default({}),
  })
  .strict();

const percent = z.number().gt(0).max(100);

/** Cumulative cut-offs by rank: critical is the top `critical` percent, high the rest of the top `high` percent, … */
const tiers = z
  .object({
    top_percent: z.object({ critical: percent, high: percent, elevated: percent }).strict(),
    min_score: z.number().min(0),
  })
  .strict()
  .refine((t) => t.top_percent.critical <= t.top_percent.high && t.top_percent.high <= t.top_percent.elevated, {
    message: 'top_percent must not decrease from critical to high to elevated',
    path: ['top_percent'],
  });

const partner = z
  .object({
    /** used in store keys and queue names */
    name: z.string().regex(/^[a-z0-9][a-z0-9-]*$/, 'lower-case letters, digits and hyphens'),
    program: z.enum(PROGRAMS),
    /** the partner's own AWS account, which may then receive and delete on its queue (infra/dispatch.ts) */
    account_id: z.string().regex(/^\d{12}$/, 'a 12-digit AWS account id').optional(),
  })
  .strict();

export const configSchema = z
  .object({
    version: z.literal(1),
    partners: z
      .array(partner)
      .min(1)
      .superRefine((ps, ctx) => {
        ps.forEach((p, i) => {
          if (ps.findIndex((q) => q.name === p.name) < i) ctx.addIssue({ code: 'custom', message: `partner ${p.name} is listed twice`, path: [i, 'name'] });
          if (ps.findIndex((q) => q.program === p.program) < i)
            ctx.addIssue({ code: 'custom', message: `program ${p.program} already has a partner`, path: [i, 'program'] });
        });
      }),
    scoring: z
      .object({
        /**
         * CMS-HCC prospective risk: `points_per_unit` × the normalized, coding-adjusted score. `normalization` and
         * `coding_intensity` (together) replace the payment year's figures of the shipped table, e.g. with those of a
         * newer rate announcement.
         */
        prospective: z
          .object({
            model: z.enum(['v28', 'v24']),
            payment_year: z.number().int().min(2019),
            points_per_unit: z.number().min(0),
            normalization: z.number().positive().optional(),
            coding_intensity: z.number().min(0).lt(1).optional(),
          })
          .strict()
          .refine((p) => (p.normalization === undefined) === (p.coding_intensity === undefined), {
            message: 'normalization and coding_intensity go together',
            path: ['normalization'],
          }),
        /** Charlson (original or Quan 2011 weights) and Elixhauser (van Walraven; negative totals count as 0) */
        comorbidity: z
          .object({
            charlson_weights: z.enum(['original', 'quan2011']),
            charlson_points: z.number().min(0),
            elixhauser_points: z.number().min(0),
          })
          .strict(),
        rules,
        monitoring,
        transitions: z
          .object({
            /** a member discharged this many days ago or fewer is in transition of care: LACE is scored */
            discharge_within_days: z.number().int().positive(),
            /** LACE at or above this sends the member to their partner whatever the tier (10 = high readmission risk) */
            dispatch_lace_at: z.number().int().min(0).max(19),
          })
          .strict(),
      })
      .strict(),
    tiers,
    dispatch: z
      .object({
        tiers: z.array(z.enum(TIERS)).min(1).default(['critical', 'high']),
        /** a member is not sent to the same partner again within this many days, unless their tier worsened */
        suppression_days: z.number().int().min(0).default(30),
        /** days a member the partner reported `declined` / `unreachable` stays off that partner's list */
        cooloff_days: z.object({ declined: z.number().int().min(0), unreachable: z.number().int().min(0) }).strict().default({ declined: 90, unreachable: 14 }),
        /** reasons that keep an eligible member off every partner's list (`enrolled`: only that partner's) */
        exclusions: z.array(z.enum(EXCLUSIONS)).default([...EXCLUSIONS]),
      })
      .strict(),
    deploy: deploySchema.prefault({}),
  })
  .strict();

export type StratifyConfig = z.infer<typeof configSchema>;
export type ScoringConfig = StratifyConfig['scoring'];
export type RulesConfig = ScoringConfig['rules'];
export type RuleId = keyof RulesConfig;
export type MonitoringConfig = ScoringConfig['monitoring'];
export type AlertRuleId = keyof MonitoringConfig['rules'];
export type TiersConfig = StratifyConfig['tiers'];
