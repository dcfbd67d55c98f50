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

const THROTTLING = new Set(['TooManyRequestsException', 'ThrottlingException', 'Throttling', 'RequestLimitExceeded', 'SlowDown']);

/** a refusal for rate or concurrency, worth retrying after a pause */
export function isThrottling(e: unknown): boolean {
  return THROTTLING.has(errorCode(e)) || httpStatus(e) === 429;
}

export function errorMessage(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
