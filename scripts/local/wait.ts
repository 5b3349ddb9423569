/** Waiting for the platform to reach a state, with a bound and a message that says what never happened. */
import { systemClock } from '../../services/common/src/clock';

export interface WaitOptions {
  readonly timeoutMs: number;
  /** @default 100 */
  readonly everyMs?: number;
  /** Stops waiting (with its reason as the error) when aborted. */
  readonly signal?: AbortSignal;
}

/** Polls `check` until it returns a value other than undefined; throws after timeoutMs, naming `what` and the last error. */
export async function waitFor<T>(what: string, options: WaitOptions, check: () => Promise<T | undefined>): Promise<T> {
  const deadline = Date.now() + options.timeoutMs;
  let lastError: Error | undefined;
  for (;;) {
    options.signal?.throwIfAborted();
    try {
      const value = await check();
      if (value !== undefined) return value;
    } catch (error) {
      lastError = error as Error;
    }
    if (Date.now() > deadline) {
      throw new Error(`timed out after ${(options.timeoutMs / 1000).toFixed(0)} s waiting for ${what}${lastError ? ` (last error: ${lastError.message})` : ''}`);
    }
    await systemClock.sleep(options.everyMs ?? 100, options.signal);
  }
}
