/**
 * What pages someone, each alarm to one SNS topic encrypted with the data key (`deploy.alarm_email` subscribes an
 * address), the thresholds in `deploy.alarms`:
 * - at the first occurrence (> 0 in 5 minutes): a message in any dead-letter queue (a landing file, a feedback file
 *   or a partner message that failed three or five times), a failed or timed-out daily run, a schedule that could
 *   not start it, any error of any function;
 * - the data: a landing file whose quarantine rate is above `quarantine_rate_file_percent`, a UTC day whose
 *   quarantined records are above `quarantine_rate_day_percent` of those read; a day on which features were built
 *   for members but the score stage scored none, or dispatch flagged none; a member the model could not score (set
 *   aside with its error in `scores/`, > 0 in 5 minutes: the daily run goes on without them);
 * - the schedule: no run started for `run_started_within_hours`, none succeeded for `run_finished_within_hours`
 *   (24 + the slack of a daily schedule; missing data counts as no run);
 * - the bill: one Athena query scanning more than `athena_scan_percent_of_cutoff` of the workgroup's cutoff.
 * The data alarms read the functions' own EMF metrics (lib/pipeline/metrics.ts) in the deployment's namespace.
 */
import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import type * as events from 'aws-cdk-lib/aws-events';
import type * as kms from 'aws-cdk-lib/aws-kms';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import type * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import type { DeployConfig } from '../lib/config/deploy.js';
import { METRIC, type MetricName, type StageName } from '../lib/pipeline/metrics.js';

export interface AlarmsProps {
  readonly key: kms.IKey;
  /** name (used in the alarm's description) → dead-letter queue */
  readonly deadLetterQueues: ReadonlyMap<string, sqs.IQueue>;
  readonly functions: ReadonlyMap<string, lambda.IFunction>;
  readonly stateMachine: sfn.IStateMachine;
  /** the ingest state machine of the large files (infra/ingest.ts) */
  readonly ingestMachine: sfn.IStateMachine;
  readonly schedule: events.Rule;
  readonly deploy: DeployConfig;
}

const PERIOD = Duration.minutes(5);
const DAY = Duration.days(1);

/** the CloudWatch namespace of a deployment's own metrics (POWERTOOLS_METRICS_NAMESPACE of its functions) */
export function metricsNamespace(deployName: string): string {
  return `Stratify/${deployName}`;
}

/** one of the functions' EMF metrics: `service` is stratify-<stage>, as Powertools adds it to every metric */
export function stageMetric(
  deployName: string,
  stage: StageName,
  name: MetricName,
  options: { statistic: string; period: Duration; dimensions?: Record<string, string>; label?: string },
): cloudwatch.Metric {
  return new cloudwatch.Metric({
    namespace: metricsNamespace(deployName),
    metricName: name,
    dimensionsMap: { service: `stratify-${stage}`, ...options.dimensions },
    statistic: options.statistic,
    period: options.period,
    ...(options.label === undefined ? {} : { label: options.label }),
  });
}

interface AlarmSpec {
  readonly metric: cloudwatch.IMetric;
  readonly threshold: number;
  readonly what: string;
  readonly comparison?: cloudwatch.ComparisonOperator;
  readonly evaluationPeriods?: number;
  readonly missing?: cloudwatch.TreatMissingData;
}

export class Alarms extends Construct {
  public readonly topic: sns.Topic;
  public readonly alarms: cloudwatch.Alarm[] = [];

  constructor(scope: Construct, id: string, props: AlarmsProps) {
    super(scope, id);
    const { deploy } = props;
    const limits = deploy.alarms;
    this.topic = new sns.Topic(this, 'Topic', { displayName: 'Stratify alarms', masterKey: props.key, enforceSSL: true });
    if (deploy.alarm_email !== undefined) this.topic.addSubscription(new subscriptions.EmailSubscription(deploy.alarm_email));
    const first = (what: string) => `${what} (> 0 in 5 minutes)`;

    for (const [name, dlq] of props.deadLetterQueues) {
      const metric = dlq.metricApproximateNumberOfMessagesVisible({ period: PERIOD, statistic: 'Maximum' });
      this.add(`Dlq${name}`, { metric, threshold: 0, what: first(`messages waiting in the ${name} dead-letter queue`) });
    }
    for (const [name, fn] of props.functions) {
      this.add(`Errors${name}`, { metric: fn.metricErrors({ period: PERIOD, statistic: 'Sum' }), threshold: 0, what: first(`errors of the ${name} function`) });
    }
    this.add('RunFailed', { metric: props.stateMachine.metricFailed({ period: PERIOD, statistic: 'Sum' }), threshold: 0, what: first('failed daily runs') });
    this.add('RunTimedOut', { metric: props.stateMachine.metricTimedOut({ period: PERIOD, statistic: 'Sum' }), threshold: 0, what: first('timed-out daily runs') });
    // a large landing file whose Athena ingest failed (abandoned) or ran out of its time; its message was done with
    const ingestEnded = new cloudwatch.MathExpression({
      expression: 'failed + timedOut',
      usingMetrics: {
        failed: props.ingestMachine.metricFailed({ period: PERIOD, statistic: 'Sum' }),
        timedOut: props.ingestMachine.metricTimedOut({ period: PERIOD, statistic: 'Sum' }),
      },
      period: PERIOD,
    });
    this.add('LargeFileNotIngested', { metric: ingestEnded, threshold: 0, what: first('large landing files whose Athena ingest failed or timed out') });
    const scheduleFailed = new cloudwatch.Metric({
      namespace: 'AWS/Events',
      metricName: 'FailedInvocations',
      dimensionsMap: { RuleName: props.schedule.ruleName },
      period: PERIOD,
      statistic: 'Sum',
    });
    this.add('ScheduleFailed', { metric: scheduleFailed, threshold: 0, what: first('schedules that could not start the daily run') });

    const own = (stage: StageName, name: MetricName, statistic: string, period: Duration) => stageMetric(deploy.name, stage, name, { statistic, period });
    this.add('QuarantineRateFile', {
      metric: own('ingest', METRIC.quarantineRate, 'Maximum', PERIOD),
      threshold: limits.quarantine_rate_file_percent,
      what: `a landing file with more than ${limits.quarantine_rate_file_percent} % of its records quarantined`,
    });
    this.add('QuarantineRateDay', {
      metric: new cloudwatch.MathExpression({
        expression: '100 * quarantined / read',
        usingMetrics: { quarantined: own('ingest', METRIC.recordsQuarantined, 'Sum', DAY), read: own('ingest', METRIC.recordsRead, 'Sum', DAY) },
        period: DAY,
        label: 'quarantined % of records read in the day',
      }),
      threshold: limits.quarantine_rate_day_percent,
      what: `a day (UTC) with more than ${limits.quarantine_rate_day_percent} % of the records read quarantined`,
    });
    const members = own('features', METRIC.membersWithFeatures, 'Sum', DAY);
    const noneOnADayWithMembers = (metric: cloudwatch.IMetric, label: string) =>
      new cloudwatch.MathExpression({ expression: 'IF(members > 0 AND FILL(counted, 0) == 0, 1, 0)', usingMetrics: { members, counted: metric }, period: DAY, label });
    this.add('NothingScored', {
      metric: noneOnADayWithMembers(own('score', METRIC.membersScored, 'Sum', DAY), 'features built but no member scored'),
      threshold: 0,
      what: 'a day on which features were built for members but no member was scored',
    });
    this.add('NothingFlagged', {
      metric: noneOnADayWithMembers(own('dispatch', METRIC.membersFlagged, 'Sum', DAY), 'features built but no member flagged'),
      threshold: 0,
      what: 'a day on which features were built for members but no member was flagged for a partner',
    });
    this.add('MembersSetAside', {
      metric: own('score', METRIC.membersSetAside, 'Sum', PERIOD),
      threshold: 0,
      what: first('members the model could not score, set aside with their error in scores/'),
    });
    const noRunFor = (id: string, metric: cloudwatch.Metric, hours: number, what: string) =>
      this.add(id, {
        metric,
        threshold: 1,
        comparison: cloudwatch.ComparisonOperator.LESS_THAN_THRESHOLD,
        evaluationPeriods: hours,
        missing: cloudwatch.TreatMissingData.BREACHING,
        what: `no daily run ${what} in the last ${hours} hours`,
      });
    const hourly = { period: Duration.hours(1), statistic: 'Sum' };
    noRunFor('RunNotStarted', props.stateMachine.metricStarted(hourly), limits.run_started_within_hours, 'started');
    noRunFor('RunNotFinished', props.stateMachine.metricSucceeded(hourly), limits.run_finished_within_hours, 'succeeded');
    const scanLimit = Math.floor((deploy.athena_bytes_scanned_cutoff * limits.athena_scan_percent_of_cutoff) / 100);
    this.add('AthenaScanNearCutoff', {
      metric: own('features', METRIC.athenaBytesScanned, 'Maximum', PERIOD),
      threshold: scanLimit,
      what: `an Athena query that scanned more than ${limits.athena_scan_percent_of_cutoff} % of the workgroup's cutoff (${scanLimit} bytes)`,
    });
  }

  private add(id: string, spec: AlarmSpec): void {
    const alarm = new cloudwatch.Alarm(this, id, {
      metric: spec.metric,
      threshold: spec.threshold,
      comparisonOperator: spec.comparison ?? cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
      evaluationPeriods: spec.evaluationPeriods ?? 1,
      datapointsToAlarm: spec.evaluationPeriods ?? 1,
      treatMissingData: spec.missing ?? cloudwatch.TreatMissingData.NOT_BREACHING,
      alarmDescription: `Stratify: ${spec.what}`,
    });
    alarm.addAlarmAction(new actions.SnsAction(this.topic));
    this.alarms.push(alarm);
  }
}
