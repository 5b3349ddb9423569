/**
 * The configured retry policy (exponential backoff, full jitter: services/common/src/retry.ts) as an AWS SDK v3
 * retry strategy, so that one policy governs every store call, multipart parts included: the SDK retries a part
 * from the buffer it holds, where a retry around a whole streamed upload would restart it from the first byte.
 * The SDK classifies errors: `SlowDown`, `Throttling`... are THROTTLING, 5xx SERVER_ERROR, lost connections
 * TRANSIENT; all three are retried, client errors (4xx) never.
 */
import type { S3ClientConfig } from '@aws-sdk/client-s3';
import { backoffDelayMs, type RetryPolicy } from '../../../common/src/retry';

type RetryStrategyV2 = Extract<NonNullable<S3ClientConfig['retryStrategy']>, { acquireInitialRetryToken: unknown }>;
type RetryToken = Awaited<ReturnType<RetryStrategyV2['acquireInitialRetryToken']>>;
type RetryErrorType = Parameters<RetryStrategyV2['refreshRetryTokenForRetry']>[1]['errorType'];

const RETRYABLE: ReadonlySet<RetryErrorType> = new Set<RetryErrorType>(['THROTTLING', 'SERVER_ERROR', 'TRANSIENT']);

export interface AwsRetryStrategyOptions extends RetryPolicy {
  /** Called before each retry's wait (metrics, logs). */
  readonly onRetry?: (errorType: string, attempt: number, delayMs: number) => void;
  /** @default Math.random */
  readonly random?: () => number;
}

export function awsRetryStrategy(options: AwsRetryStrategyOptions): RetryStrategyV2 {
  const random = options.random ?? Math.random;
  const token = (retryCount: number, delayMs: number): RetryToken => ({ getRetryCount: () => retryCount, getRetryDelay: () => delayMs });
  return {
    acquireInitialRetryToken: async () => token(0, 0),
    refreshRetryTokenForRetry: async (previous, errorInfo) => {
      const attempt = previous.getRetryCount() + 1;
      if (attempt >= options.attempts || !RETRYABLE.has(errorInfo.errorType)) {
        throw errorInfo.error ?? new Error(`no retry left (${errorInfo.errorType})`);
      }
      const delayMs = backoffDelayMs(options, attempt, random);
      options.onRetry?.(errorInfo.errorType, attempt, delayMs);
      return token(attempt, delayMs);
    },
    recordSuccess: () => undefined,
  };
}
