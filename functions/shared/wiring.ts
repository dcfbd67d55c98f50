/**
 * The AWS adapters of the ports, built once per cold start (on the first invocation, so a handler module can be
 * imported without its environment) and reused by every invocation the container serves. The SDK clients are
 * captured by the Powertools Tracer (each call an X-Ray subsegment); Athena's statistics of each query are published
 * as metrics when it finishes.
 */
import { makeAwsClients, type AwsClients } from '../../lib/aws/clients.js';
import { loadConfig, type StratifyConfig } from '../../lib/config/index.js';
import type { PipelineContext } from '../../lib/pipeline/context.js';
import type { Queue } from '../../lib/queue/port.js';
import { AthenaEngine } from '../../lib/sql/athena.js';
import { S3ObjectStore } from '../../lib/store/s3.js';
import { athenaMetrics } from '../../lib/pipeline/metrics.js';
import { readEnv } from './env.js';
import { logProgress, publishMetrics, tracer } from './powertools.js';

/** `make` runs on the first call only; a failure is not kept, so the next invocation tries again */
export function once<T>(make: () => T): () => T {
  let value: { v: T } | undefined;
  return () => (value ??= { v: make() }).v;
}

export const clients = once<AwsClients>(() => {
  const made = makeAwsClients();
  for (const client of Object.values(made)) tracer.captureAWSv3Client(client);
  return made;
});

/** the configuration file the CDK app shipped in the bundle (config/stratify.json under the task root) */
export const shippedConfig = once<StratifyConfig>(() => loadConfig());

export function lakeStore(): S3ObjectStore {
  return new S3ObjectStore({ client: clients().s3, bucket: readEnv(['STRATIFY_LAKE_BUCKET']).STRATIFY_LAKE_BUCKET });
}

export function landingStore(): S3ObjectStore {
  return new S3ObjectStore({ client: clients().s3, bucket: readEnv(['STRATIFY_LANDING_BUCKET']).STRATIFY_LANDING_BUCKET });
}

export function athenaEngine(lake: S3ObjectStore): AthenaEngine {
  const env = readEnv(['STRATIFY_ATHENA_WORKGROUP', 'STRATIFY_GLUE_DATABASE']);
  return new AthenaEngine({
    client: clients().athena,
    workgroup: env.STRATIFY_ATHENA_WORKGROUP,
    database: env.STRATIFY_GLUE_DATABASE,
    store: lake,
    onStatistics: (s) => publishMetrics(athenaMetrics(s)),
  });
}

/** the queue of functions that send nothing (ingest, features, score) */
export const NO_QUEUE: Queue = {
  location: 'none',
  send: () => Promise.reject(new Error('this function has no partner queue')),
};

/** a pipeline context over the lake with Athena; the queue is NO_QUEUE unless one is given */
export function pipelineContext(queue: Queue = NO_QUEUE): PipelineContext {
  const store = lakeStore();
  return { store, engine: athenaEngine(store), queue, progress: logProgress };
}
