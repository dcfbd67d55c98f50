/**
 * Partner feedback: partners drop NDJSON files under `feedback/<partner>/`, one line per member contact outcome,
 * `{"person_id": "...", "status": "enrolled", "reported_at": "2024-06-01T09:30:00Z"}` (a plain date is accepted too).
 * A person's latest outcome is what counts: `enrolled` excludes them from that partner's program (score stage),
 * `declined` and `unreachable` keep them off the partner's list for a cool-off period (dispatch, lib/queue/suppression.ts).
 * `contacted` is not an outcome: it feeds the partner scorecard only, so a `contacted` reported after an `enrolled`
 * (a partner's follow-up call) does not put the member back on the list. Extra fields are ignored; statuses are
 * read in any case (`ENROLLED`), person ids trimmed. A line that does not parse, lacks a field or is reported more
 * than a day in the future (a partner's clock or a typo: it would outrank every real report) is rejected with its
 * file, line, field and reason, and never fatal: dispatch quarantines it and the run summary shows it.
 */
import { createHash } from 'node:crypto';
import { z } from 'zod';
import { valueAt } from '../ingest/json.js';
import type { QuarantineLine } from '../ingest/types.js';
import type { ObjectStore } from '../store/port.js';

export const FEEDBACK_STATUSES = ['contacted', 'enrolled', 'declined', 'unreachable'] as const;
export type FeedbackStatus = (typeof FEEDBACK_STATUSES)[number];

export const feedbackSchema = z.object({
  person_id: z.string().trim().min(1),
  status: z.string().trim().toLowerCase().pipe(z.enum(FEEDBACK_STATUSES)),
  reported_at: z.union([z.iso.date(), z.iso.datetime({ offset: true })]),
});

export type FeedbackLine = z.output<typeof feedbackSchema>;

/** how far ahead of now a report may be dated (time zones) before it is rejected */
const FUTURE_TOLERANCE_MS = 24 * 3600 * 1000;

/**
 * A feedback file's lines checked one by one: the valid ones reduced to the three fields, the others as quarantine
 * lines (1-based line numbers). `now` is the instant the file is read, epoch ms.
 */
export function checkFeedbackText(file: string, text: string, now: number): { valid: FeedbackLine[]; rejected: QuarantineLine[] } {
  const valid: FeedbackLine[] = [];
  const rejected: QuarantineLine[] = [];
  text.split('\n').forEach((line, i) => {
    const raw = line.endsWith('\r') ? line.slice(0, -1) : line;
    if (raw.trim() === '') return;
    const reject = (field: string, reason: string, value: unknown) => rejected.push({ file, record: i + 1, field, reason, value, raw });
    let json: unknown;
    try {
      json = JSON.parse(raw);
    } catch {
      return reject('', 'not JSON', null);
    }
    const parsed = feedbackSchema.safeParse(json);
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      return reject(issue.path.join('.'), issue.message, valueAt(json, issue.path) ?? null);
    }
    const { person_id, status, reported_at } = parsed.data;
    if (Date.parse(reported_at) - now > FUTURE_TOLERANCE_MS) return reject('reported_at', 'reported in the future', reported_at);
    valid.push({ person_id, status, reported_at });
  });
  return { valid, rejected };
}

/** one feedback file of a partner as read: its key, content hash (names its quarantine log) and checked lines */
export interface FeedbackFile {
  readonly key: string;
  readonly sha16: string;
  readonly valid: readonly FeedbackLine[];
  readonly rejected: readonly QuarantineLine[];
}

export async function readFeedbackFiles(store: ObjectStore, partner: string, now = Date.now()): Promise<FeedbackFile[]> {
  const files = (await store.list(feedbackPrefix(partner))).filter((f) => f.key.endsWith('.ndjson'));
  const out: FeedbackFile[] = [];
  for (const f of files) {
    const bytes = await store.get(f.key);
    const sha16 = createHash('sha256').update(bytes).digest('hex').slice(0, 16);
    out.push({ key: f.key, sha16, ...checkFeedbackText(f.key, new TextDecoder().decode(bytes), now) });
  }
  return out;
}

export interface Feedback {
  readonly person_id: string;
  readonly status: FeedbackStatus;
  /** the UTC calendar date of `reported_at` */
  readonly reported_on: string;
}

/** A report that decides whether the member is sent again (everything but `contacted`). */
export type Outcome = Feedback & { readonly status: Exclude<FeedbackStatus, 'contacted'> };
const isOutcome = (r: Feedback): r is Outcome => r.status !== 'contacted';

export function feedbackPrefix(partner: string): string {
  return `feedback/${partner}/`;
}

/**
 * The partner's reports in the order they were made: by the instant of `reported_at` (a plain date counts as its
 * midnight UTC), reports of the same instant, and plain dates of the same day, in file and line order. Two reports of
 * one day are thus ordered by their time although `reported_on` keeps only the day.
 */
export async function readFeedback(store: ObjectStore, partner: string, now = Date.now()): Promise<{ records: Feedback[]; invalid: number }> {
  const files = await readFeedbackFiles(store, partner, now);
  return { records: inReportOrder(files), invalid: files.reduce((n, f) => n + f.rejected.length, 0) };
}

/** the valid reports of `files` in the order they were made (see readFeedback) */
export function inReportOrder(files: readonly FeedbackFile[]): Feedback[] {
  const reports: { at: number; record: Feedback }[] = [];
  for (const r of files.flatMap((f) => f.valid)) {
    const at = Date.parse(r.reported_at);
    reports.push({ at, record: { person_id: r.person_id, status: r.status, reported_on: new Date(at).toISOString().slice(0, 10) } });
  }
  return reports.sort((a, b) => a.at - b.at).map((r) => r.record);
}

/**
 * Each person's latest outcome (enrolled, declined or unreachable; `contacted` is skipped). Records are taken in
 * report order (readFeedback's), so between two reports of the same day the later one wins.
 */
export function latestOutcome(records: readonly Feedback[]): Map<string, Outcome> {
  const latest = new Map<string, Outcome>();
  for (const r of records) {
    if (!isOutcome(r)) continue;
    const seen = latest.get(r.person_id);
    if (seen === undefined || r.reported_on >= seen.reported_on) latest.set(r.person_id, r);
  }
  return latest;
}
