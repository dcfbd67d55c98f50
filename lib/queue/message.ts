/**
 * The message a partner receives per flagged member, versioned by its `schema` field. Minimum necessary PHI: the
 * member id, the program, the tier, rank, score and the reasons; never claims, names or birth dates (the schema is
 * strict, so a body with any other field does not validate). The idempotency key lets a partner drop duplicates.
 */
import { createHash } from 'node:crypto';
import { z } from 'zod';
import { PROGRAMS, TIERS } from '../scoring/vocabulary.js';
import { isCalendarDate } from '../tables/define.js';
import type { QueueMessage } from './port.js';

export const FLAG_MESSAGE_SCHEMA = 'stratify.flag/v1';

export const flagMessageSchema = z
  .object({
    schema: z.literal(FLAG_MESSAGE_SCHEMA),
    idempotency_key: z.string().regex(/^[0-9a-f]{64}$/),
    partner: z.string().min(1),
    program: z.enum(PROGRAMS),
    person_id: z.string().min(1),
    as_of_date: z.string().refine(isCalendarDate, 'not a calendar date (YYYY-MM-DD)'),
    tier: z.enum(TIERS),
    rank: z.number().int().positive(),
    score: z.number().finite(),
    reasons: z.array(z.string().min(1)),
  })
  .strict();

export type FlagMessage = z.infer<typeof flagMessageSchema>;

/** sha256 of `partner|person_id|program|as_of_date`, hex. */
export function idempotencyKey(partner: string, personId: string, program: string, asOfDate: string): string {
  return createHash('sha256').update([partner, personId, program, asOfDate].join('|')).digest('hex');
}

/** A flags row as a validated message; reasons arrive as the flags table's JSON array text. */
export function flagMessage(flag: {
  partner: string;
  program: string;
  person_id: string;
  as_of_date: string;
  tier: string;
  rank: number;
  score: number;
  reasons: string;
}): FlagMessage {
  return flagMessageSchema.parse({
    schema: FLAG_MESSAGE_SCHEMA,
    idempotency_key: idempotencyKey(flag.partner, flag.person_id, flag.program, flag.as_of_date),
    partner: flag.partner,
    program: flag.program,
    person_id: flag.person_id,
    as_of_date: flag.as_of_date,
    tier: flag.tier,
    rank: flag.rank,
    score: flag.score,
    reasons: JSON.parse(flag.reasons),
  });
}

export function toQueueMessage(message: FlagMessage): QueueMessage {
  return { idempotencyKey: message.idempotency_key, body: JSON.stringify(message) };
}
