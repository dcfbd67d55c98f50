/**
 * What pages someone: a message in any dead-letter queue (a landing file, a feedback file or a partner message that
 * failed three or five times), a failed or timed-out daily run, a schedule that could not start it, and any error of
 * any function. Every alarm fires at the first occurrence (> 0 in a 5-minute period) and notifies one SNS topic,
 * encrypted with the data key; `deploy.alarm_email` subscribes an address to it.
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

export interface AlarmsProps {
  readonly key: kms.IKey;
  /** name (used in the alarm's description) → dead-letter queue */
  readonly deadLetterQueues: ReadonlyMap<string, sqs.IQueue>;
  readonly functions: ReadonlyMap<string, lambda.IFunction>;
  readonly stateMachine: sfn.IStateMachine;
  readonly schedule: events.Rule;
  readonly email?: string | undefined;
}

const PERIOD = Duration.minutes(5);

/** the CloudWatch namespace of a deployment's own metrics (POWERTOOLS_METRICS_NAMESPACE of its functions) */
export function metricsNamespace(deployName: string): string {
  return `Stratify/${deployName}`;
}

export class Alarms extends Construct {
  public readonly topic: sns.Topic;
  public readonly alarms: cloudwatch.Alarm[] = [];

  constructor(scope: Construct, id: string, props: AlarmsProps) {
    super(scope, id);
    this.topic = new sns.Topic(this, 'Topic', { displayName: 'Stratify alarms', masterKey: props.key, enforceSSL: true });
    if (props.email !== undefined) this.topic.addSubscription(new subscriptions.EmailSubscription(props.email));

    for (const [name, dlq] of props.deadLetterQueues) {
      this.add(`Dlq${name}`, dlq.metricApproximateNumberOfMessagesVisible({ period: PERIOD, statistic: 'Maximum' }), `messages waiting in the ${name} dead-letter queue`);
    }
    for (const [name, fn] of props.functions) {
      this.add(`Errors${name}`, fn.metricErrors({ period: PERIOD, statistic: 'Sum' }), `errors of the ${name} function`);
    }
    this.add('RunFailed', props.stateMachine.metricFailed({ period: PERIOD, statistic: 'Sum' }), 'failed daily runs');
    this.add('RunTimedOut', props.stateMachine.metricTimedOut({ period: PERIOD, statistic: 'Sum' }), 'timed-out daily runs');
    this.add(
      'ScheduleFailed',
      new cloudwatch.Metric({
        namespace: 'AWS/Events',
        metricName: 'FailedInvocations',
        dimensionsMap: { RuleName: props.schedule.ruleName },
        period: PERIOD,
        statistic: 'Sum',
      }),
      'schedules that could not start the daily run',
    );
  }

  private add(id: string, metric: cloudwatch.IMetric, what: string): void {
    const alarm = new cloudwatch.Alarm(this, id, {
      metric,
      threshold: 0,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
      evaluationPeriods: 1,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      alarmDescription: `Stratify: ${what} (> 0 in 5 minutes)`,
    });
    alarm.addAlarmAction(new actions.SnsAction(this.topic));
    this.alarms.push(alarm);
  }
}
