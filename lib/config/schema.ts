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
import { DEFAULT_LIMITS } from '../ingest/plausibility.js';
import { EXCLUSIONS, PROGRAMS, REVIEW, SEVERITIES, TIERS } from '../scoring/vocabulary.js';

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

/**
 * The clinically possible range of each alert rule's threshold, in the unit its name says: a configuration with a
 * negative blood-pressure crisis level or an SpO2 above 100 % is refused, naming the field, rather than silently
 * flagging everyone or no one. The absolute ranges are those of a real reading (lib/ingest/units.ts); a rise or
 * fall against the member's baseline must be positive.
 */
const SYSTOLIC = [50, 300] as const; // mm[Hg]
const DIASTOLIC = [20, 200] as const; // mm[Hg]
const GLUCOSE = [10, 1000] as const; // mg/dL
const THRESHOLDS = {
  bp_crisis: { at: SYSTOLIC }, // and diastolic_at: DIASTOLIC
  bp_uncontrolled: { at: SYSTOLIC }, // and diastolic_at: DIASTOLIC
  hypotension: { at: SYSTOLIC },
  weight_gain_24h: { at: [0, 100] }, // lb, above 0
  weight_gain_7d: { at: [0, 100] }, // lb, above 0
  spo2_low: { at: [50, 100] }, // %
  glucose_low_level1: { at: GLUCOSE },
  glucose_low_level2: { at: GLUCOSE },
  glucose_sustained_high: { at: GLUCOSE },
  sbp_above_baseline: { at: [0, 250] }, // mm[Hg] over the baseline, above 0
  weight_above_baseline: { at: [0, 100] }, // kg over the baseline, above 0
  glucose_above_baseline: { at: [0, 990] }, // mg/dL over the baseline, above 0
  spo2_below_baseline: { at: [0, 50] }, // points under the baseline, above 0
  non_adherent: { at: [1, 30] }, // days with readings in 30
  no_transmission: { at: [1, 365] }, // days without a reading
} as const satisfies Record<string, { at: readonly [number, number] }>;
type AlertId = keyof typeof THRESHOLDS;

/** a threshold within [min, max]; a range starting at 0 excludes 0 itself (a rise of 0 is no rise) */
function within([min, max]: readonly [number, number], unit: string): z.ZodNumber {
  const n = min === 0 ? z.number().gt(0, `must be above 0 ${unit}`) : z.number().min(min, `must be at least ${min} ${unit}`);
  return n.max(max, `must be at most ${max} ${unit}`);
}

const UNITS: Record<AlertId, string> = {
  bp_crisis: 'mmHg', bp_uncontrolled: 'mmHg', hypotension: 'mmHg', weight_gain_24h: 'lb', weight_gain_7d: 'lb', spo2_low: '%',
  glucose_low_level1: 'mg/dL', glucose_low_level2: 'mg/dL', glucose_sustained_high: 'mg/dL', sbp_above_baseline: 'mmHg',
  weight_above_baseline: 'kg', glucose_above_baseline: 'mg/dL', spo2_below_baseline: 'points', non_adherent: 'days', no_transmission: 'days',
};

const atOf = (id: AlertId) => within(THRESHOLDS[id].at, UNITS[id]);
const diastolic = within(DIASTOLIC, 'mmHg');

/** one monitoring alert rule: fires at `at` (in the unit its name says), with a severity, for members of `programs` */
const alert = (id: AlertId) => z.object({ at: atOf(id), severity, programs }).strict();
const bpAlert = (id: AlertId) => alert(id).extend({ diastolic_at: diastolic });

const alertRules = z
  .object({
    bp_crisis: bpAlert('bp_crisis'),
    bp_uncontrolled: bpAlert('bp_uncontrolled'),
    hypotension: alert('hypotension'),
    weight_gain_24h: alert('weight_gain_24h'),
    weight_gain_7d: alert('weight_gain_7d'),
    spo2_low: alert('spo2_low'),
    glucose_low_level1: alert('glucose_low_level1'),
    glucose_low_level2: alert('glucose_low_level2'),
    glucose_sustained_high: alert('glucose_sustained_high').extend({ min_readings: z.number().int().min(1) }),
    sbp_above_baseline: alert('sbp_above_baseline'),
    weight_above_baseline: alert('weight_above_baseline'),
    glucose_above_baseline: alert('glucose_above_baseline'),
    spo2_below_baseline: alert('spo2_below_baseline'),
    non_adherent: alert('non_adherent'),
    no_transmission: alert('no_transmission').extend({ monitored_within_days: z.number().int().positive() }),
  })
  .strict();

/** per program, a partial rule: the thresholds (or severity) that program's members are judged by instead, in the same ranges */
const alertOverride = (id: AlertId) =>
  z.object({ at: atOf(id), diastolic_at: diastolic, severity, min_readings: z.number().int().min(1) }).partial().strict();
const ruleOverrides = z
  .object(Object.fromEntries((Object.keys(THRESHOLDS) as AlertId[]).map((id) => [id, alertOverride(id)])) as Record<AlertId, ReturnType<typeof alertOverride>>)
  .partial()
  .strict();

const monitoring = z
  .object({
    severity_points: z.object({ urgent: z.number().positive(), high: z.number().positive(), moderate: z.number().positive() }).strict(),
    rules: alertRules,
    overrides: z.partialRecord(z.enum(PROGRAMS), ruleOverrides).default({}),
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
    /** `review`: a review or complex-care partner, who receives the members whose leading risk is in no program */
    program: z.enum([...PROGRAMS, REVIEW] as const),
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
    /**
     * How medical-claims files state their amounts. `detect` (the default) decides per file: header amounts repeated
     * on each line of an institutional claim are counted once per claim (queries/claim_conventions.sql); `header` or
     * `line` overrides the detection for every file when the sender's convention is known.
     */
    claims: z
      .object({ amounts: z.enum(['detect', 'header', 'line']).default('detect') })
      .strict()
      .prefault({}),
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
    /** plausibility ceilings at ingest (lib/ingest/plausibility.ts): a record beyond one is quarantined */
    ingest: z
      .object({
        max_amount_usd: z.number().positive().finite().default(DEFAULT_LIMITS.max_amount_usd),
        max_quantity: z.number().positive().finite().default(DEFAULT_LIMITS.max_quantity),
      })
      .strict()
      .prefault({}),
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
