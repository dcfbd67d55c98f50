/** A partner's ranked worklist as CSV (RFC 4180 quoting), the file a care manager opens. */
import { csvField } from '../csv.js';
import type { Decision } from './suppression.js';

export const WORKLIST_HEADER = ['rank', 'person_id', 'program', 'tier', 'score', 'status', 'reasons'] as const;

export interface WorklistRow {
  readonly rank: number;
  readonly person_id: string;
  readonly program: string;
  readonly tier: string;
  readonly score: number;
  readonly reasons: readonly string[];
}

/**
 * What dispatch did with the member today, so a care manager sees who is new on the list: `sent`; `sent: tier
 * worsened` (sent again within the suppression window because the tier got worse); `already sent` (a rerun of the
 * same date); `sent recently` (within the suppression window); `partner: enrolled|declined|unreachable` (the
 * partner's latest feedback, within its cool-off); `send failed` (the queue refused it; it is retried on the next run).
 */
export type WorklistStatus = Decision | 'send failed';

export function worklistCsv(rows: readonly WorklistRow[], statusOf: (row: WorklistRow) => WorklistStatus): string {
  const lines = [WORKLIST_HEADER.join(',')];
  for (const r of [...rows].sort((a, b) => a.rank - b.rank)) {
    lines.push([String(r.rank), r.person_id, r.program, r.tier, String(r.score), statusOf(r), r.reasons.join('; ')].map(csvField).join(','));
  }
  return lines.join('\n') + '\n';
}
