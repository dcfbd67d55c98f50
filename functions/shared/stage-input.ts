/**
 * The input of the Step Functions tasks (features → score → dispatch): `{ asOf?: "YYYY-MM-DD" }`, other keys (such
 * as those of an EventBridge scheduled event) ignored. Without asOf the run is for today's UTC date. Each task
 * returns `{ asOf, … }` so the next state receives the same date.
 */
import { z } from 'zod';
import { todayUtc } from '../../lib/dates.js';
import { isCalendarDate } from '../../lib/tables/define.js';

const stageInput = z.object({ asOf: z.string().refine(isCalendarDate, 'not a calendar date (YYYY-MM-DD)').optional() });

export function asOfOf(event: unknown, today: Date = new Date()): string {
  const parsed = stageInput.safeParse(event ?? {});
  if (!parsed.success) throw new Error(`task input: asOf: ${parsed.error.issues[0]!.message}`);
  return parsed.data.asOf ?? todayUtc(today);
}
