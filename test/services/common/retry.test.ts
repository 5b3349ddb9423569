/** Exponential backoff with full jitter, driven by an injected clock and random source. */
import type { Clock } from '../../../services/common/src/clock';
import { backoffDelayMs, retry } from '../../../services/common/src/retry';

/** A clock that records every wait and advances at once. */
function fakeClock(): Clock & { waits: number[] } {
  let now = 0;
  const waits: number[] = [];
  return {
    waits,
    now: () => now,
    sleep: async (ms) => {
      waits.push(ms);
      now += ms;
    },
  };
}

class Throttled extends Error {
  override name = 'Throttling';
}

const POLICY = { attempts: 5, baseDelayMs: 100, maxDelayMs: 1_000 };

describe('backoffDelayMs', () => {
  it('doubles the ceiling each attempt up to the maximum, and jitters over the whole range', () => {
    expect([1, 2, 3, 4, 5, 6].map((attempt) => backoffDelayMs(POLICY, attempt, () => 0.999999))).toEqual([99, 199, 399, 799, 999, 999]);
    expect([1, 2, 3].map((attempt) => backoffDelayMs(POLICY, attempt, () => 0))).toEqual([0, 0, 0]);
    expect(backoffDelayMs(POLICY, 3, () => 0.5)).toBe(200);
  });
});

describe('retry', () => {
  it('retries retryable errors with full-jitter delays until success', async () => {
    const clock = fakeClock();
    const randoms = [0.5, 0.25, 1 - 1e-9];
    const attempts: number[] = [];
    const result = await retry(
      async (attempt) => {
        attempts.push(attempt);
        if (attempt < 4) throw new Throttled('rate exceeded');
        return 'ok';
      },
      { ...POLICY, isRetryable: (error) => error instanceof Throttled, clock, random: () => randoms.shift() ?? 0 },
    );
    expect(result).toBe('ok');
    expect(attempts).toEqual([1, 2, 3, 4]);
    expect(clock.waits).toEqual([50, 50, 399]);
  });

  it('throws a non-retryable error at once', async () => {
    const clock = fakeClock();
    const operation = jest.fn(async () => {
      throw new Error('AccessDenied');
    });
    await expect(retry(operation, { ...POLICY, isRetryable: (error) => error instanceof Throttled, clock })).rejects.toThrow('AccessDenied');
    expect(operation).toHaveBeenCalledTimes(1);
    expect(clock.waits).toEqual([]);
  });

  it('gives up after the last attempt with the last error, telling onRetry about each retry', async () => {
    const clock = fakeClock();
    const retries: [number, number][] = [];
    let calls = 0;
    await expect(
      retry(
        async () => {
          calls++;
          throw new Throttled(`attempt ${calls}`);
        },
        { ...POLICY, attempts: 3, isRetryable: () => true, clock, random: () => 0.5, onRetry: (_error, attempt, delayMs) => retries.push([attempt, delayMs]) },
      ),
    ).rejects.toThrow('attempt 3');
    expect(retries).toEqual([[1, 50], [2, 100]]);
  });

  it('stops retrying when aborted (a draining service)', async () => {
    const abort = new AbortController();
    const clock = fakeClock();
    let calls = 0;
    await expect(
      retry(
        async () => {
          calls++;
          abort.abort();
          throw new Throttled('rate exceeded');
        },
        { ...POLICY, isRetryable: () => true, clock, signal: abort.signal },
      ),
    ).rejects.toThrow('rate exceeded');
    expect(calls).toBe(1);
  });
});
