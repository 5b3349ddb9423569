/**
 * Retry with exponential backoff and full jitter (AWS Architecture Blog, "Exponential Backoff And Jitter"):
 * the delay before attempt n+1 is uniform in [0, min(maxDelay, baseDelay * 2^(n-1))]. Full jitter spreads the
 * retries of many clients that failed together (a throttled API, a restarted peer), so they do not retry in
 * lockstep and fail together again.
 */
import { systemClock, type Clock } from './clock';

export interface RetryPolicy {
  /** Attempts in all, the first included; 1 means no retry. */
  readonly attempts: number;
  readonly baseDelayMs: number;
  readonly maxDelayMs: number;
}

export interface RetryOptions extends RetryPolicy {
  /** Whether the error is worth another attempt; others are thrown at once. */
  readonly isRetryable: (error: unknown) => boolean;
  /** Called before each wait, e.g. to log or count the retry. */
  readonly onRetry?: (error: unknown, attempt: number, delayMs: number) => void;
  /** @default systemClock */
  readonly clock?: Clock;
  /** A uniform random number in [0, 1). @default Math.random */
  readonly random?: () => number;
  /** Stops waiting and throws the last error when aborted (a draining service). */
  readonly signal?: AbortSignal;
}

/** The wait before the attempt after `attempt` (1-based), full jitter. */
export function backoffDelayMs(policy: Pick<RetryPolicy, 'baseDelayMs' | 'maxDelayMs'>, attempt: number, random: () => number): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1));
  return Math.floor(random() * ceiling);
}

/** Runs `operation` until it succeeds, throws a non-retryable error, or has used every attempt. */
export async function retry<T>(operation: (attempt: number) => Promise<T>, options: RetryOptions): Promise<T> {
  const clock = options.clock ?? systemClock;
  const random = options.random ?? Math.random;
  for (let attempt = 1; ; attempt++) {
    try {
      return await operation(attempt);
    } catch (error) {
      if (attempt >= options.attempts || !options.isRetryable(error) || options.signal?.aborted) throw error;
      const delayMs = backoffDelayMs(options, attempt, random);
      options.onRetry?.(error, attempt, delayMs);
      await clock.sleep(delayMs, options.signal);
      if (options.signal?.aborted) throw error;
    }
  }
}
