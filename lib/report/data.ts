/**
 * What the report shows, read from the store alone (Parquet through lib/parquet, the worklist CSVs, the ledger,
 * feedback and manifests): no SQL engine, so the same code writes the report on a laptop and in the dispatch Lambda,
 * which reads the lake directly. Curated rows go through latest-rows.ts: committed deliveries only, the latest
 * delivery of each key, as the SQL views read them. Each table is read through a narrow definition naming only the columns the report
 * uses (the reader then decodes just those; features whole, for the member pages' reasons with their points), and
 * observations and claims are kept only for flagged members and the
 * windows the member pages draw, one Parquet object at a time.
 */
import Papa from 'papaparse';
import type { StratifyConfig } from '../config/index.js';
import { addDays, dayOf, MS_PER_DAY } from '../dates.js';
import { readTableRows } from '../parquet/reader.js';
import { quarantineTotals, type QuarantineTotals } from '../pipeline/run.js';
import { previousScores } from '../pipeline/score.js';
import type { PreviousScore } from '../scoring/model.js';
import { readFeedback, type Feedback } from '../queue/feedback.js';
import { readLedger } from '../queue/ledger.js';
import { scorecard, type Scorecard } from '../scoring/scorecard.js';
import type { ObjectStore } from '../store/port.js';
import { worklistKey } from '../pipeline/dispatch.js';
import { features, flags, medical_claims as medicalClaims, observations, pickColumns, scores } from '../tables/index.js';
import { latestCommittedRows } from './latest-rows.js';

/** the days of readings a member page draws, ending on the as-of date */
export const READING_DAYS = 90;
/** the days of admissions, ED visits and discharges a member page lists */
export const TIMELINE_DAYS = 365;

// the columns the pages read of each table (the Parquet reader decodes only these)
const scoreHistory = pickColumns(scores, ['person_id', 'score', 'tier']);
const flagHistory = pickColumns(flags, ['person_id']);
const readings = pickColumns(observations, ['person_id', 'observed_at', 'loinc_code', 'value', 'device_id', 'source_record', 'source_sha256']);
const claimLines = pickColumns(medicalClaims, ['claim_id', 'person_id', 'setting', 'claim_start_date', 'admission_date', 'discharge_date', 'claim_line_number', 'source_record', 'source_sha256']);

type StoredScore = NonNullable<(typeof scores)['__row']>;
/** the columns null for a member the model set aside, and only then */
type ScoredOnly = 'score' | 'rank' | 'percentile' | 'tier' | 'reasons' | 'prospective_points' | 'comorbidity_points' | 'utilization_points' | 'monitoring_points' | 'trend_points' | 'hcc_score' | 'hcc_segment' | 'charlson_index' | 'elixhauser_index' | 'alert_count' | 'actionable';
/** a member the model scored (a set-aside member has `error` and no score) */
export type ScoreRow = Omit<StoredScore, ScoredOnly> & { [K in ScoredOnly]: NonNullable<StoredScore[K]> };
const isScored = (r: StoredScore): r is ScoreRow => r.error === null && r.score !== null && r.tier !== null;
export type FlagRow = NonNullable<(typeof flags)['__row']>;
export type FeatureRow = NonNullable<(typeof features)['__row']>;
export interface Reading {
  readonly at: number;
  readonly loinc: string;
  readonly value: number;
}
export interface ClinicalEvent {
  readonly kind: 'admission' | 'ED visit';
  readonly start: string;
  /** discharge date of an admission */
  readonly end: string | null;
}
export interface WorklistLine {
  readonly person_id: string;
  readonly status: string;
}
export interface RunPoint {
  readonly asOf: string;
  readonly tiers: Readonly<Record<string, number>>;
  readonly flagged: number;
}

export interface ReportData {
  readonly asOf: string;
  readonly config: StratifyConfig;
  /** the members scored (the set-aside ones are counted in `setAside`) */
  readonly scores: readonly ScoreRow[];
  readonly setAside: number;
  readonly flags: readonly FlagRow[];
  readonly features: ReadonlyMap<string, FeatureRow>;
  /** per member scored before, their score of the previous run (what the score stage compared with) */
  readonly previous: ReadonlyMap<string, PreviousScore>;
  /** per partner, the worklist status of each member on it */
  readonly statuses: ReadonlyMap<string, ReadonlyMap<string, string>>;
  readonly scorecards: readonly Scorecard[];
  /** per partner, per person, what the partner reported, oldest first */
  readonly feedback: ReadonlyMap<string, ReadonlyMap<string, readonly Feedback[]>>;
  /** per flagged person: readings of the last READING_DAYS days, oldest first */
  readonly readings: ReadonlyMap<string, readonly Reading[]>;
  readonly events: ReadonlyMap<string, readonly ClinicalEvent[]>;
  /** per flagged person, their score on each as-of date scored up to this one */
  readonly history: ReadonlyMap<string, readonly { asOf: string; score: number; tier: string }[]>;
  readonly runs: readonly RunPoint[];
  readonly ingest: QuarantineTotals;
}

const AS_OF = /as_of=(\d{4}-\d{2}-\d{2})\//;

/** the as-of dates with a Parquet object under the table's prefix, oldest first */
export async function asOfDates(store: ObjectStore, prefix: string): Promise<string[]> {
  const dates = new Set<string>();
  for (const o of await store.list(prefix)) {
    const m = AS_OF.exec(o.key);
    if (m && o.size > 0) dates.add(m[1]!);
  }
  return [...dates].sort();
}

function groupBy<T>(rows: readonly T[], key: (r: T) => string): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const r of rows) {
    const k = key(r);
    const list = out.get(k);
    if (list) list.push(r);
    else out.set(k, [r]);
  }
  return out;
}

async function worklistStatuses(store: ObjectStore, asOf: string, partner: string): Promise<Map<string, string>> {
  const key = worklistKey(asOf, partner);
  if (!(await store.exists(key))) return new Map();
  const rows = Papa.parse<WorklistLine>(new TextDecoder().decode(await store.get(key)), { header: true, skipEmptyLines: true }).data;
  return new Map(rows.map((r) => [r.person_id, r.status]));
}

/** admissions (one per claim with an admission date) and ED visits (one per day) of the timeline window */
function clinicalEvents(lines: readonly NonNullable<(typeof claimLines)['__row']>[]): ClinicalEvent[] {
  const admissions = new Map<string, ClinicalEvent>();
  const ed = new Set<string>();
  for (const l of lines) {
    if (l.setting === 'inpatient' && l.admission_date) {
      admissions.set(l.admission_date, { kind: 'admission', start: l.admission_date, end: l.discharge_date ?? null });
    } else if (l.setting === 'ed') ed.add(l.claim_start_date);
  }
  const edVisits = [...ed].map((d): ClinicalEvent => ({ kind: 'ED visit', start: d, end: null }));
  return [...admissions.values(), ...edVisits].sort((a, b) => a.start.localeCompare(b.start));
}

export async function loadReportData(store: ObjectStore, asOf: string, config: StratifyConfig): Promise<ReportData> {
  const stored = await readTableRows(store, scores, asOf);
  const scoreRows = stored.filter(isScored);
  const flagRows = await readTableRows(store, flags, asOf);
  const flagged = new Set(flagRows.map((f) => f.person_id));

  const featureRows = await readTableRows(store, features, asOf);
  const statuses = new Map<string, Map<string, string>>();
  const feedback = new Map<string, Map<string, Feedback[]>>();
  const scorecards: Scorecard[] = [];
  for (const { name } of config.partners) {
    statuses.set(name, await worklistStatuses(store, asOf, name));
    const reports = (await readFeedback(store, name)).records.filter((f) => f.reported_on <= asOf);
    feedback.set(name, groupBy(reports, (f) => f.person_id));
    const sent = (await readLedger(store, name)).records.filter((e) => e.as_of_date <= asOf);
    scorecards.push(scorecard(name, sent, reports));
  }

  // readings: the READING_DAYS days ending with the as-of date (instants before the next midnight UTC)
  const readingsFrom = dayOf(addDays(asOf, 1 - READING_DAYS)) * MS_PER_DAY;
  const readingsTo = (dayOf(asOf) + 1) * MS_PER_DAY;
  const obs = await latestCommittedRows<NonNullable<(typeof readings)['__row']>>(store, readings, (r) => flagged.has(r.person_id), (r) => flagged.has(r.person_id) && r.observed_at >= readingsFrom && r.observed_at < readingsTo);
  const readingsOf = groupBy(
    obs.sort((a, b) => a.observed_at - b.observed_at).map((r) => ({ person: r.person_id, at: r.observed_at, loinc: r.loinc_code, value: r.value })),
    (r) => r.person,
  );

  const timelineFrom = addDays(asOf, 1 - TIMELINE_DAYS);
  const claims = await latestCommittedRows<NonNullable<(typeof claimLines)['__row']>>(store, claimLines, (r) => flagged.has(r.person_id), (r) => flagged.has(r.person_id) && r.claim_start_date >= timelineFrom && r.claim_start_date <= asOf);
  const events = new Map([...groupBy(claims, (c) => c.person_id)].map(([p, lines]) => [p, clinicalEvents(lines)]));

  const dates = (await asOfDates(store, scores.prefix)).filter((d) => d <= asOf);
  const flagDates = new Set(await asOfDates(store, flags.prefix));
  const history = new Map<string, { asOf: string; score: number; tier: string }[]>();
  const runs: RunPoint[] = [];
  for (const date of dates) {
    const rows = date === asOf ? scoreRows : await readTableRows(store, scoreHistory, date);
    const tiers: Record<string, number> = {};
    for (const r of rows) {
      if (r.score === null || r.tier === null) continue; // set aside that day
      tiers[r.tier] = (tiers[r.tier] ?? 0) + 1;
      if (!flagged.has(r.person_id)) continue;
      const h = history.get(r.person_id) ?? [];
      h.push({ asOf: date, score: r.score, tier: r.tier });
      history.set(r.person_id, h);
    }
    const flaggedThen = date === asOf ? flagRows.length : flagDates.has(date) ? (await readTableRows(store, flagHistory, date)).length : 0;
    runs.push({ asOf: date, tiers, flagged: flaggedThen });
  }

  return {
    asOf,
    config,
    scores: scoreRows,
    setAside: stored.length - scoreRows.length,
    flags: flagRows,
    features: new Map(featureRows.map((f) => [f.person_id, f])),
    previous: await previousScores(store, asOf),
    statuses,
    scorecards,
    feedback,
    readings: new Map([...readingsOf].map(([p, rs]) => [p, rs.map(({ at, loinc, value }) => ({ at, loinc, value }))])),
    events,
    history,
    runs,
    ingest: await quarantineTotals({ store }),
  };
}
