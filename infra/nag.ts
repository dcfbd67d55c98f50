/**
 * cdk-nag: the AwsSolutions and HIPAA Security packs check every resource at synth time, and any finding that is not
 * acknowledged fails the synth. Acknowledgements sit next to what they excuse (grants.ts: one per granted prefix;
 * pipeline.ts: the state machine role; storage.ts: the access-log bucket); this file holds the ones that concern the
 * whole stack or resources CDK creates for us. Each states why the finding is acceptable for this app.
 */
import { Stack, Validations, type App } from 'aws-cdk-lib';
import { AwsSolutionsChecks, HIPAASecurityChecks } from 'cdk-nag';
import type { IConstruct } from 'constructs';

export function attachNag(app: App): { readonly packs: readonly [AwsSolutionsChecks, HIPAASecurityChecks] } {
  const packs = [new AwsSolutionsChecks(app), new HIPAASecurityChecks(app)] as const;
  Validations.of(app).addPlugins(...packs);
  return { packs };
}

const STACK_WIDE: readonly { id: string; reason: string }[] = [
  {
    id: 'HIPAA.Security-IAMNoInlinePolicy',
    reason:
      'Every role of this stack belongs to exactly one function, the state machine or the schedule, and its policy is generated for that role ' +
      'from infra/layout.ts; a policy shared through a managed policy would only widen what each role can do',
  },
  {
    id: 'HIPAA.Security-LambdaInsideVPC',
    reason:
      'The functions reach only S3, Athena, Glue and SQS over their TLS-only public endpoints, authorised by IAM and encrypted with the CMK; ' +
      'they serve no network and hold no database connection, so a VPC would add NAT or endpoint cost without shrinking the attack surface',
  },
  {
    id: 'HIPAA.Security-LambdaDLQ',
    reason:
      'No function is invoked asynchronously: ingest and feedback are driven by SQS event sources whose queues have dead-letter queues, and the ' +
      'stages by Step Functions, which retries and alarms on failed executions; a function DLQ would never receive a message',
  },
  {
    id: 'HIPAA.Security-S3BucketReplicationEnabled',
    reason:
      'Single-region deployment by design: the landing files can be delivered again and every lake object is rebuilt from them, buckets are ' +
      'versioned and retained on stack deletion; replicating PHI to a second region is a covered-entity decision left to the operator',
  },
];

/** the Lambda CDK adds to write the landing bucket's notification configuration (s3.Bucket.addEventNotification) */
const NOTIFICATIONS_HANDLER = 'BucketNotificationsHandler050a0587b7544547bf325f094a3db834';

export function acknowledgeStackWide(stack: Stack): void {
  for (const a of STACK_WIDE) Validations.of(stack).acknowledge(a);
  const handler = stack.node.tryFindChild(NOTIFICATIONS_HANDLER);
  if (handler !== undefined) {
    Validations.of(handler).acknowledge({
      id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
      reason:
        "CDK's own deploy-time function that sets the landing bucket's event notifications; it reads no object and its managed policy " +
        'only lets it write its own logs',
    });
  }
}

/** the CloudFormation logical id of a construct's default resource, as cdk-nag prints it in a finding */
export function logicalIdOf(construct: IConstruct): string {
  const cfn = construct.node.defaultChild ?? construct;
  const stack = Stack.of(construct);
  return stack.resolve(stack.getLogicalId(cfn as Parameters<Stack['getLogicalId']>[0])) as string;
}
