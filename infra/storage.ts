/**
 * The four buckets. landing (raw files as delivered under `landing/`, partner feedback under `feedback/<partner>/`),
 * lake (everything the pipeline writes), athena-results (query results) and access-logs (S3 server access logs of
 * the other three). All block public access, refuse plain HTTP, keep versions and retain their data when the stack
 * is deleted. The three PHI buckets are encrypted with the data CMK (with an S3 bucket key, which cuts KMS requests);
 * access logs are SSE-S3 because S3 log delivery cannot write to an SSE-KMS bucket.
 */
import { Duration, RemovalPolicy, Validations } from 'aws-cdk-lib';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import type { DeployConfig } from '../lib/config/deploy.js';
import { RESULTS_PREFIX } from './layout.js';

export interface StorageProps {
  readonly key: kms.IKey;
  readonly deploy: DeployConfig;
}

const ABORT_UPLOADS = { id: 'abort-incomplete-uploads', abortIncompleteMultipartUploadAfter: Duration.days(7) };

export class Storage extends Construct {
  public readonly accessLogs: s3.Bucket;
  public readonly landing: s3.Bucket;
  public readonly lake: s3.Bucket;
  public readonly athenaResults: s3.Bucket;

  constructor(scope: Construct, id: string, { key, deploy }: StorageProps) {
    super(scope, id);
    const noncurrent = { id: 'expire-old-versions', noncurrentVersionExpiration: Duration.days(deploy.noncurrent_versions_expire_days) };
    const secure = {
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      minimumTLSVersion: 1.2,
      versioned: true,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      removalPolicy: RemovalPolicy.RETAIN,
    } satisfies s3.BucketProps;

    this.accessLogs = new s3.Bucket(this, 'AccessLogs', {
      ...secure,
      encryption: s3.BucketEncryption.S3_MANAGED,
      lifecycleRules: [ABORT_UPLOADS, noncurrent, { id: 'expire-logs', expiration: Duration.days(731) }],
    });
    Validations.of(this.accessLogs).acknowledge({
      id: 'HIPAA.Security-S3DefaultEncryptionKMS',
      reason:
        'S3 server access log delivery writes only to SSE-S3 buckets; the logs hold request records (key names, requester, time), ' +
        'never object content, and the keys Stratify writes are content hashes, dates and partner names',
    });
    const phi = (name: string, lifecycleRules: s3.LifecycleRule[]): s3.Bucket =>
      new s3.Bucket(this, name, {
        ...secure,
        encryption: s3.BucketEncryption.KMS,
        encryptionKey: key,
        bucketKeyEnabled: true,
        serverAccessLogsBucket: this.accessLogs,
        serverAccessLogsPrefix: `${name.toLowerCase()}/`,
        lifecycleRules: [ABORT_UPLOADS, noncurrent, ...lifecycleRules],
      });

    const ia = deploy.landing_infrequent_access_after_days;
    this.landing = phi('Landing', [
      {
        id: 'archive-delivered-files',
        transitions: [
          { storageClass: s3.StorageClass.INFREQUENT_ACCESS, transitionAfter: Duration.days(ia) },
          { storageClass: s3.StorageClass.GLACIER_INSTANT_RETRIEVAL, transitionAfter: Duration.days(ia + 90) },
        ],
      },
    ]);
    this.lake = phi('Lake', []);
    this.athenaResults = phi('AthenaResults', [
      { id: 'expire-results', prefix: RESULTS_PREFIX, expiration: Duration.days(deploy.athena_results_expire_days) },
    ]);
  }
}
