/**
 * The customer-managed KMS keys, both rotated yearly. `data` encrypts everything that may hold PHI or its metadata:
 * the landing, lake and Athena-results buckets, the partner queues and their dead-letter queues, the log groups and
 * the alarm topic. `notifications` encrypts only the two queues S3 sends object-created events to: S3 must be allowed
 * to use the key of such a queue, and using the buckets' own key there makes the bucket, its notification, the queue
 * policy and the key policy depend on each other in a cycle CloudFormation cannot order.
 */
import { Aws, RemovalPolicy } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';

export class Keys extends Construct {
  public readonly data: kms.IKey;
  public readonly notifications: kms.IKey;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    const data = new kms.Key(this, 'Data', {
      description: 'Stratify: buckets, partner queues, logs and alarm topic (PHI at rest)',
      enableKeyRotation: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    // CloudWatch Logs encrypts the log groups with this key; scoped to this account's log groups
    data.addToResourcePolicy(
      new iam.PolicyStatement({
        principals: [new iam.ServicePrincipal(`logs.${Aws.REGION}.amazonaws.com`)],
        actions: ['kms:Encrypt', 'kms:Decrypt', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:Describe*'],
        resources: ['*'],
        conditions: { ArnLike: { 'kms:EncryptionContext:aws:logs:arn': `arn:${Aws.PARTITION}:logs:${Aws.REGION}:${Aws.ACCOUNT_ID}:log-group:*` } },
      }),
    );
    // CloudWatch alarms publish to the encrypted alarm topic
    data.addToResourcePolicy(
      new iam.PolicyStatement({
        principals: [new iam.ServicePrincipal('cloudwatch.amazonaws.com')],
        actions: ['kms:Decrypt', 'kms:GenerateDataKey*'],
        resources: ['*'],
        conditions: { StringEquals: { 'aws:SourceAccount': Aws.ACCOUNT_ID } },
      }),
    );
    this.data = data;
    this.notifications = new kms.Key(this, 'Notifications', {
      description: 'Stratify: the S3 event notification queues of the landing bucket',
      enableKeyRotation: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });
  }
}
