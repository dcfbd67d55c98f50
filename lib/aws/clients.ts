/**
 * The SDK clients the AWS adapters use, built with one shared configuration. Region, credentials and endpoints come
 * from the standard SDK environment (AWS_REGION, the Lambda role, AWS_ENDPOINT_URL_S3 / _SQS for an emulator).
 * maxAttempts is raised from the SDK's 3: the SDK retries throttling (Athena's TooManyRequestsException, S3's
 * SlowDown) and transient network errors itself, with backoff and jitter, before an adapter sees the error.
 */
import { AthenaClient } from '@aws-sdk/client-athena';
import { S3Client } from '@aws-sdk/client-s3';
import { SFNClient } from '@aws-sdk/client-sfn';
import { SQSClient } from '@aws-sdk/client-sqs';

export const SDK_MAX_ATTEMPTS = 8;

export interface AwsClients {
  readonly s3: S3Client;
  readonly athena: AthenaClient;
  readonly sqs: SQSClient;
  /** the ingest function starts the ingest state machine of the large files */
  readonly sfn: SFNClient;
}

export function makeAwsClients(): AwsClients {
  const common = { maxAttempts: SDK_MAX_ATTEMPTS };
  return { s3: new S3Client(common), athena: new AthenaClient(common), sqs: new SQSClient(common), sfn: new SFNClient(common) };
}
