/**
 * The operational metrics of each stage, derived from the stage's own result: on AWS the handlers publish them as
 * CloudWatch EMF through Powertools (functions/shared/powertools.ts), locally `stratify ingest --json` and
 * `stratify run --json` print the same list, so tests assert them without AWS. infra/alarms.ts and
 * infra/dashboard.ts name the metrics through METRIC, the one place their names are written.
 *
 * Counts that alarms watch across files, tiers or partners come twice: by their dimension (format, tier, partner)
 * for the dashboard, and once without it (the total), because a CloudWatch alarm reads one exact dimension set and
 * cannot sum a set of dimensions it does not know in advance.
 */
import type { IngestReport } from '../ingest/types.js';
import type { QueryStatistics } from '../sql/port.js';
import type { TableCompaction } from './compact.js';
import type { DispatchResult } from './dispatch.js';
import type { FeaturesResult } from './features.js';
import type { RunResult } from './run.js';
import type { ScoreResult } from './score.js';

export type MetricUnit = 'Count' | 'Percent' | 'Bytes' | 'Milliseconds';

export interface MetricDatum {
  readonly name: MetricName;
  readonly unit: MetricUnit;
  readonly value: number;
  /** besides `service`, which Powertools adds to every metric */
  readonly dimensions: Readonly<Record<string, string>>;
}

export const METRIC = {
  /** per landing file read: records read, accepted, quarantined, skipped (read = accepted + quarantined + skipped) */
  recordsRead: 'RecordsRead',
  recordsAccepted: 'RecordsAccepted',
  recordsQuarantined: 'RecordsQuarantined',
  recordsSkipped: 'RecordsSkipped',
  /** per landing file read: 100 × quarantined / read */
  quarantineRate: 'QuarantineRate',
  /** features rows written: the members enrolled on the as-of date */
  membersWithFeatures: 'MembersWithFeatures',
  /** members scored, in total and per tier */
  membersScored: 'MembersScored',
  /** members the model cannot score (a feature out of its type or range), stored in scores with their error */
  membersSetAside: 'MembersSetAside',
  /** per partner (and in total): members on the worklist, messages sent, suppressed, not accepted by the queue */
  membersFlagged: 'MembersFlagged',
  messagesSent: 'MessagesSent',
  messagesSuppressed: 'MessagesSuppressed',
  messagesFailed: 'MessagesFailed',
  /** per Athena query: bytes scanned (what Athena bills) and engine time */
  athenaBytesScanned: 'AthenaBytesScanned',
  athenaQueryTime: 'AthenaQueryTime',
  /** Parquet objects of each curated table after the features function's compaction (dimension `table`) */
  curatedObjects: 'CuratedObjects',
  /** wall time of a stage (dimension `stage`) */
  stageDuration: 'StageDuration',
} as const;

export type MetricName = (typeof METRIC)[keyof typeof METRIC];

const count = (name: MetricName, value: number, dimensions: Record<string, string> = {}): MetricDatum => ({ name, unit: 'Count', value, dimensions });

/** Nothing for a file that was not read this time (already ingested, not a kind Stratify reads, failed, or waiting). */
export function ingestMetrics(r: IngestReport): MetricDatum[] {
  if (r.skipped !== undefined || r.error !== undefined || r.read === 0) return [];
  const rate: MetricDatum = { name: METRIC.quarantineRate, unit: 'Percent', value: (100 * r.quarantined) / r.read, dimensions: {} };
  const counts = [
    count(METRIC.recordsRead, r.read),
    count(METRIC.recordsAccepted, r.accepted),
    count(METRIC.recordsQuarantined, r.quarantined),
    count(METRIC.recordsSkipped, r.skippedRecords),
  ];
  const byFormat = [...counts, rate].map((d) => ({ ...d, dimensions: { format: r.format } }));
  return [...byFormat, ...counts, rate];
}

export function featuresMetrics(r: FeaturesResult): MetricDatum[] {
  return [count(METRIC.membersWithFeatures, r.members)];
}

export function scoreMetrics(r: Pick<ScoreResult, 'members' | 'byTier' | 'setAside'>): MetricDatum[] {
  return [
    count(METRIC.membersScored, r.members),
    ...Object.entries(r.byTier).map(([tier, n]) => count(METRIC.membersScored, n, { tier })),
    count(METRIC.membersSetAside, r.setAside.length),
  ];
}

type PartnerCounts = Pick<DispatchResult['partners'][number], 'partner' | 'flagged' | 'sent' | 'suppressed' | 'failed'>;

export function dispatchMetrics(r: { readonly partners: readonly PartnerCounts[] }): MetricDatum[] {
  return [...partnerDispatchMetrics(r.partners), ...dispatchTotalMetrics(r.partners)];
}

/** the per-partner half (what a state machine's one-partner dispatch task publishes) */
export function partnerDispatchMetrics(partners: readonly PartnerCounts[]): MetricDatum[] {
  return partners.flatMap(({ partner, flagged, sent, suppressed, failed }) => [
    count(METRIC.membersFlagged, flagged, { partner }),
    count(METRIC.messagesSent, sent, { partner }),
    count(METRIC.messagesSuppressed, suppressed, { partner }),
    count(METRIC.messagesFailed, failed, { partner }),
  ]);
}

/** the totals over the partners (published once, by the task that sees every partner's counts) */
export function dispatchTotalMetrics(partners: readonly PartnerCounts[]): MetricDatum[] {
  const total = (k: 'flagged' | 'sent' | 'failed') => partners.reduce((n, p) => n + p[k], 0);
  return [count(METRIC.membersFlagged, total('flagged')), count(METRIC.messagesSent, total('sent')), count(METRIC.messagesFailed, total('failed'))];
}

export function athenaMetrics(s: QueryStatistics): MetricDatum[] {
  return [
    { name: METRIC.athenaBytesScanned, unit: 'Bytes', value: s.dataScannedBytes, dimensions: {} },
    { name: METRIC.athenaQueryTime, unit: 'Milliseconds', value: s.engineExecutionTimeMs, dimensions: {} },
  ];
}

export function compactionMetrics(tables: readonly TableCompaction[]): MetricDatum[] {
  return tables.map((t) => count(METRIC.curatedObjects, t.partsAfter, { table: t.table }));
}

export type StageName = 'ingest' | 'feedback' | 'features' | 'score' | 'dispatch';

export function durationMetric(stage: StageName, ms: number): MetricDatum {
  return { name: METRIC.stageDuration, unit: 'Milliseconds', value: Math.round(ms), dimensions: { stage } };
}

/** every metric of a local run, as `stratify run --json` prints them (no Athena locally: DuckDB bills nothing) */
export function runMetrics(run: RunResult): MetricDatum[] {
  return [
    ...run.ingest.flatMap(ingestMetrics),
    ...featuresMetrics(run.features),
    ...scoreMetrics(run.score),
    ...dispatchMetrics(run.dispatch),
    ...Object.entries(run.durationsMs).map(([stage, ms]) => durationMetric(stage as StageName, ms)),
  ];
}
