/**
 * Retrying with exponential backoff and full jitter (delay drawn from 0..min(max, base·2^attempt)), the scheme the
 * AWS SDKs use, for the retries the SDK cannot do itself: SQS batch entries that failed inside a successful call,
 * Athena starts refused for concurrency, and the pacing of Athena status polls.
 */
export interface BackoffOptions {
  /** first delay ceiling, ms @default 200 */
  readonly baseMs?: number;
  /** largest delay ceiling, ms @default 5_000 */
  readonly maxMs?: number;
}

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** the delay before retry number `attempt` (0-based) */
export function backoffDelay(attempt: number, { baseMs = 200, maxMs = 5_000 }: BackoffOptions = {}): number {
  return Math.random() * Math.min(maxMs, baseMs * 2 ** attempt);
}

export interface RetryOptions extends BackoffOptions {
  /** calls in all, the first included @default 5 */
  readonly attempts?: number;
  /** whether an error is worth another call; others are thrown at once */
  readonly retryable: (error: unknown) => boolean;
}

/** Calls `fn` until it succeeds, a non-retryable error is thrown, or `attempts` calls have failed (the last error is thrown). */
export async function withRetries<T>(fn: () => Promise<T>, options: RetryOptions): Promise<T> {
  const attempts = options.attempts ?? 5;
  for (let attempt = 0; ; attempt++) {
    try {
      return await fn();
    } catch (e) {
      if (attempt + 1 >= attempts || !options.retryable(e)) throw e;
      await sleep(backoffDelay(attempt, options));
    }
  }
}
