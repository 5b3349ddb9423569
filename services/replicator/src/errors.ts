/** What kind of failure a storage error is: the `reason` label of failure metrics, and whether to retry. */

export type FailureKind = 'throttled' | 'denied' | 'unavailable' | 'error';

const THROTTLING_CODES = new Set(['SlowDown', 'Throttling', 'ThrottlingException', 'TooManyRequests', 'RequestThrottled', 'ServerBusy']);

/** Classifies an error of any of the three SDKs (or of the network under them). */
export function classifyError(error: unknown): FailureKind {
  if (!(error instanceof Error)) return 'error';
  const details = error as Error & { $metadata?: { httpStatusCode?: number }; statusCode?: unknown; code?: unknown; Code?: unknown };
  const status = details.$metadata?.httpStatusCode ?? (typeof details.statusCode === 'number' ? details.statusCode : typeof details.code === 'number' ? details.code : undefined);
  const code = typeof details.code === 'string' ? details.code : typeof details.Code === 'string' ? details.Code : error.name;
  if (status === 429 || THROTTLING_CODES.has(code) || THROTTLING_CODES.has(error.name)) return 'throttled';
  if (status === 401 || status === 403) return 'denied';
  if ((status !== undefined && status >= 500) || /ECONNRESET|ECONNREFUSED|EPIPE|ETIMEDOUT|socket hang up|network/i.test(`${code} ${error.message}`)) return 'unavailable';
  return 'error';
}

/** Throttling, 5xx and lost connections may pass; access and request errors will not. */
export function isTransient(error: unknown): boolean {
  const kind = classifyError(error);
  return kind === 'throttled' || kind === 'unavailable';
}
