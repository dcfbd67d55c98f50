/**
 * Powertools for AWS Lambda in every handler, one instance of each per container:
 * - Logger: one JSON line per entry with the Lambda context (cold_start, function_request_id, function_name), the
 *   X-Ray trace id (xray_trace_id), `service` (POWERTOOLS_SERVICE_NAME, stratify-<stage>), the level set by
 *   POWERTOOLS_LOG_LEVEL, and the correlation keys a handler appends: `landing_key` of the file being ingested,
 *   `as_of` of a pipeline task. Entries carry counts, keys and errors, never a record's content (PHI stays in the
 *   lake's quarantine/); the event is never logged.
 * - Metrics: CloudWatch EMF on stdout in the namespace POWERTOOLS_METRICS_NAMESPACE (Stratify/<deployment>), with
 *   `service` on every metric, a ColdStart metric, and the stage metrics of lib/pipeline/metrics.ts.
 * - Tracer: the handler as an X-Ray subsegment (the function's tracing is Active, infra/stage-function.ts) and the
 *   AWS SDK clients captured (wiring.ts), so each S3, Athena and SQS call is a subsegment. Outside Lambda it is off.
 */
import { Logger } from '@aws-lambda-powertools/logger';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { Metrics } from '@aws-lambda-powertools/metrics';
import { Tracer } from '@aws-lambda-powertools/tracer';
import { captureLambdaHandler } from '@aws-lambda-powertools/tracer/middleware';
import middy from '@middy/core';
import type { Context } from 'aws-lambda';
import type { ProgressEvent } from '../../lib/pipeline/context.js';
import { durationMetric, type MetricDatum, type StageName } from '../../lib/pipeline/metrics.js';

/** stratify-<stage> on AWS (infra/stage-function.ts) */
const serviceName = process.env['POWERTOOLS_SERVICE_NAME'] ?? 'stratify';
export const logger = new Logger({ serviceName });
export const metrics = new Metrics({ serviceName, namespace: process.env['POWERTOOLS_METRICS_NAMESPACE'] ?? 'Stratify' });
export const tracer = new Tracer({ serviceName });

/** the stages' progress events as info lines (their messages hold counts and keys, no person data) */
export function logProgress(event: ProgressEvent): void {
  logger.info(event.message, { stage: event.stage, ...(event.done === undefined ? {} : { done: event.done, total: event.total }) });
}

/**
 * Publishes the metrics now, one EMF document per dimension set (Powertools gives a document one dimension set, and
 * a stage's metrics have several: by format and in total, per partner, …).
 */
export function publishMetrics(data: readonly MetricDatum[]): void {
  const groups = new Map<string, MetricDatum[]>();
  for (const d of data) {
    const key = JSON.stringify(Object.entries(d.dimensions).sort());
    groups.set(key, [...(groups.get(key) ?? []), d]);
  }
  for (const group of groups.values()) {
    for (const [name, value] of Object.entries(group[0]!.dimensions)) metrics.addDimension(name, value);
    for (const d of group) metrics.addMetric(d.name, d.unit, d.value);
    metrics.publishStoredMetrics();
  }
}

/**
 * A handler wrapped with Powertools' middy middlewares: the trace and the Lambda context in the logs; the cold start
 * metric on the first invocation. Powertools' logMetrics middleware is not used: each handler publishes its metrics
 * itself (publishMetrics), and logMetrics would warn of "no metrics" on every invocation after that.
 */
export function instrumented<E, R>(handler: (event: E, context: Context) => Promise<R>) {
  return middy(handler)
    .use(captureLambdaHandler(tracer, { captureResponse: false }))
    .use(injectLambdaContext(logger, { resetKeys: true }))
    .use({ before: (request) => metrics.captureColdStartMetric(request.context.functionName) });
}

/** runs `stage`, then publishes its metrics with its StageDuration, also when it fails (what it measured so far) */
export async function measured<T>(stage: StageName, run: (collect: (data: readonly MetricDatum[]) => void) => Promise<T>): Promise<T> {
  const data: MetricDatum[] = [];
  const started = performance.now();
  try {
    return await run((more) => data.push(...more));
  } finally {
    publishMetrics([...data, durationMetric(stage, performance.now() - started)]);
  }
}
