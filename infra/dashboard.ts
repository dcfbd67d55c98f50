/**
 * One CloudWatch dashboard per deployment (`Stratify-<deploy.name>`): the alarms' states, then the daily run from
 * landing to partner — records per file format and quarantine rates, members with features and scored per tier,
 * flagged / sent / failed per partner, Athena bytes scanned and query time, each stage's duration — then the state
 * machine's executions and every queue's depth. Per-format and per-tier lines are SEARCH expressions (a new format
 * or tier shows up without a deploy); partners, stages and queues are known at synth time.
 */
import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import type * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import { METRIC, type MetricName, type StageName } from '../lib/pipeline/metrics.js';
import { metricsNamespace, stageMetric } from './alarms.js';

export interface DashboardProps {
  readonly deployName: string;
  readonly partners: readonly string[];
  readonly stateMachine: sfn.IStateMachine;
  /** name → queue, dead-letter queues included */
  readonly queues: ReadonlyMap<string, sqs.IQueue>;
  readonly alarms: readonly cloudwatch.IAlarm[];
}

const HOUR = Duration.hours(1);
const STAGES: readonly StageName[] = ['ingest', 'feedback', 'features', 'score', 'dispatch'];
const WIDTH = 8;
const HEIGHT = 6;

export class Dashboard extends Construct {
  public readonly dashboard: cloudwatch.Dashboard;

  constructor(scope: Construct, id: string, props: DashboardProps) {
    super(scope, id);
    const { deployName } = props;
    const namespace = metricsNamespace(deployName);
    /** every series of `name` split by `dimension` (with `service` of `stage`), found by a SEARCH expression */
    const search = (stage: StageName, name: MetricName, dimension: string, statistic: string, label: string) =>
      new cloudwatch.MathExpression({
        expression: `SEARCH('{${namespace},${dimension},service} MetricName="${name}" service="stratify-${stage}"', '${statistic}', ${HOUR.toSeconds()})`,
        usingMetrics: {},
        label,
        period: HOUR,
      });
    const own = (stage: StageName, name: MetricName, statistic: string, label: string, dimensions: Record<string, string> = {}) =>
      stageMetric(deployName, stage, name, { statistic, period: HOUR, dimensions, label });
    const graph = (title: string, left: cloudwatch.IMetric[], more: Partial<cloudwatch.GraphWidgetProps> = {}) =>
      new cloudwatch.GraphWidget({ title, left, width: WIDTH, height: HEIGHT, ...more });

    const perPartner = (name: MetricName, statistic: string) => props.partners.map((p) => own('dispatch', name, statistic, `${p}`, { partner: p }));
    const sm = props.stateMachine;
    this.dashboard = new cloudwatch.Dashboard(this, 'Dashboard', {
      dashboardName: `Stratify-${deployName}`,
      defaultInterval: Duration.days(7),
      widgets: [
        [new cloudwatch.AlarmStatusWidget({ title: 'Alarms', alarms: [...props.alarms], width: 24, height: 4 })],
        [
          graph('Records read per file format', [search('ingest', METRIC.recordsRead, 'format', 'Sum', 'read')]),
          graph('Records quarantined and skipped per file format', [
            search('ingest', METRIC.recordsQuarantined, 'format', 'Sum', 'quarantined'),
            search('ingest', METRIC.recordsSkipped, 'format', 'Sum', 'skipped'),
          ]),
          graph('Quarantine rate per file format (highest file, %)', [search('ingest', METRIC.quarantineRate, 'format', 'Maximum', 'rate')], {
            leftYAxis: { min: 0, max: 100 },
          }),
        ],
        [
          graph('Members with features and scored', [
            own('features', METRIC.membersWithFeatures, 'Sum', 'with features'),
            own('score', METRIC.membersScored, 'Sum', 'scored'),
          ]),
          graph('Members scored per tier', [search('score', METRIC.membersScored, 'tier', 'Sum', 'scored')]),
          graph('Members flagged per partner', perPartner(METRIC.membersFlagged, 'Sum')),
        ],
        [
          graph('Messages sent per partner', perPartner(METRIC.messagesSent, 'Sum')),
          graph('Messages failed per partner', perPartner(METRIC.messagesFailed, 'Sum')),
          // the features query, and the ingest queries of the SQL-format files the function drives (lib/ingest/athena/)
          graph(
            'Athena bytes scanned and query time',
            [own('features', METRIC.athenaBytesScanned, 'Sum', 'bytes scanned: features'), own('ingest', METRIC.athenaBytesScanned, 'Sum', 'bytes scanned: ingest')],
            { right: [own('features', METRIC.athenaQueryTime, 'Maximum', 'query time (ms): features'), own('ingest', METRIC.athenaQueryTime, 'Maximum', 'query time (ms): ingest')] },
          ),
        ],
        [
          graph(
            'Stage duration (ms, longest)',
            STAGES.map((s) => own(s, METRIC.stageDuration, 'Maximum', s, { stage: s })),
          ),
          graph('Daily run executions', [
            sm.metricStarted({ period: HOUR, statistic: 'Sum', label: 'started' }),
            sm.metricSucceeded({ period: HOUR, statistic: 'Sum', label: 'succeeded' }),
            sm.metricFailed({ period: HOUR, statistic: 'Sum', label: 'failed' }),
            sm.metricTimedOut({ period: HOUR, statistic: 'Sum', label: 'timed out' }),
          ]),
          graph(
            'Queue depths (messages visible)',
            [...props.queues].map(([name, q]) => q.metricApproximateNumberOfMessagesVisible({ period: Duration.minutes(5), statistic: 'Maximum', label: name })),
          ),
        ],
      ],
    });
  }
}
