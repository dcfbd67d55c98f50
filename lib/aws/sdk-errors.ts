/** Reading AWS SDK v3 service errors without depending on each client's exception classes. */

/** the service's error code (`NoSuchKey`, `AccessDenied`, `TooManyRequestsException`, …), or the JS error name */
export function errorCode(e: unknown): string {
  if (typeof e !== 'object' || e === null) return 'Unknown';
  const { Code, name } = e as { Code?: unknown; name?: unknown };
  return typeof Code === 'string' ? Code : typeof name === 'string' ? name : 'Unknown';
}

/** the HTTP status of the failed call, when the SDK recorded one */
export function httpStatus(e: unknown): number | undefined {
  return (e as { $metadata?: { httpStatusCode?: number } } | null)?.$metadata?.httpStatusCode;
}

const THROTTLING = new Set([
  'TooManyRequestsException',
  'ThrottlingException',
  'Throttling',
  'RequestLimitExceeded',
  'SlowDown',
  // SQS: its own rate limit, and the KMS calls it makes for an encrypted queue
  'RequestThrottled',
  'KmsThrottled',
]);

/** a refusal for rate or concurrency, worth retrying after a pause */
export function isThrottling(e: unknown): boolean {
  return THROTTLING.has(errorCode(e)) || httpStatus(e) === 429;
}

/** timeouts and the Node socket errors of a request that never got an answer (the codes the SDK's own retries treat so) */
const NETWORK = new Set(['TimeoutError', 'RequestTimeout', 'RequestTimeoutException', 'ECONNRESET', 'ECONNREFUSED', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN']);

/**
 * Worth calling again: throttling, a 5xx (the service's fault) or a network error. Any other 4xx (AccessDenied, a
 * missing queue, a key the role may not use) answers the same until someone changes the deployment.
 */
export function isTransient(e: unknown): boolean {
  const code = (e as { code?: unknown } | null)?.code;
  if (isThrottling(e) || NETWORK.has(errorCode(e)) || (typeof code === 'string' && NETWORK.has(code))) return true;
  const status = httpStatus(e);
  return status !== undefined && status >= 500;
}

export function errorMessage(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
