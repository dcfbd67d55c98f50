/**
 * The configuration file's shape. Every number that decides who gets flagged lives here, so a clinical lead can read
 * and change the rules without reading code: each scoring rule is a list of levels (threshold → points, the member
 * earns the highest level met) and the programs whose signals it counts toward when matching a member to a program.
 * Which feature a rule reads, its comparison and its reason text are fixed in lib/scoring/rules.ts.
 */
import { z } from 'zod';
import { FEEDBACK_STATUSES } from '../queue/feedback.js';
import { deploySchema } from './deploy.js';
import { PROGRAMS, TIERS } from '../scoring/vocabulary.js';

const level = z.object({ at: z.number().finite(), points: z.number().positive().finite() }).strict();

const rule = z
  .object({
    levels: z
      .array(level)
      .min(1)
      .refine((ls) => ls.every((l, i) => i === 0 || l.points > ls[i - 1]!.points), 'levels must earn strictly increasing points'),
    programs: z.array(z.enum(PROGRAMS)),
  })
  .strict();

const rules = z
  .object({
    sbp_mean_high: rule,
    bp_uncontrolled: rule,
    sbp_rising: rule.extend({ min_bp_days: z.number().int().min(2) }),
    weight_gain: rule,
    spo2_low: rule,
    glucose_mean_high: rule,
    glucose_max_high: rule,
    glucose_low: rule,
    no_recent_reading: rule.extend({ monitored_within_days: z.number().int().positive() }),
    ed_visits: rule,
    admissions: rule,
    readmissions: rule,
    multimorbidity: rule,
    age: rule,
    cost: rule,
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
    scoring: z.object({ rules }).strict(),
    tiers,
    dispatch: z
      .object({
        tiers: z.array(z.enum(TIERS)).min(1).default(['critical', 'high']),
        suppression_days: z.number().int().min(0).default(30),
        /** feedback statuses that keep a member off the partner's list for the suppression window */
        suppressing_feedback: z.array(z.enum(FEEDBACK_STATUSES)).default(['enrolled', 'declined']),
      })
      .strict(),
    deploy: deploySchema.prefault({}),
  })
  .strict();

export type StratifyConfig = z.infer<typeof configSchema>;
export type RulesConfig = StratifyConfig['scoring']['rules'];
export type RuleId = keyof RulesConfig;
export type TiersConfig = StratifyConfig['tiers'];
