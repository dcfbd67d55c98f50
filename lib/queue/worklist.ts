/** A partner's ranked worklist as CSV (RFC 4180 quoting), the file a care manager opens. */
export const WORKLIST_HEADER = ['rank', 'person_id', 'program', 'tier', 'score', 'reasons'] as const;

export interface WorklistRow {
  readonly rank: number;
  readonly person_id: string;
  readonly program: string;
  readonly tier: string;
  readonly score: number;
  readonly reasons: readonly string[];
}

export function csvField(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value;
}

export function worklistCsv(rows: readonly WorklistRow[]): string {
  const lines = [WORKLIST_HEADER.join(',')];
  for (const r of [...rows].sort((a, b) => a.rank - b.rank)) {
    lines.push([String(r.rank), r.person_id, r.program, r.tier, String(r.score), r.reasons.join('; ')].map(csvField).join(','));
  }
  return lines.join('\n') + '\n';
}
