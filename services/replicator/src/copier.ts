/**
 * Copies one object of a version from a source store to a destination store, streaming: source → optional
 * bandwidth limit → SHA-256 verification against the manifest → destination upload, with the manifest's SHA-256
 * as the destination's `sha256` metadata. Then the written copy is checked (size and metadata, as the destination
 * reports them); a copy that does not verify is deleted and the object copied again. A source object that is gone
 * is skipped, not an error: the version it belongs to is then incomplete and gets no manifest.
 */
import { pipeline } from 'node:stream/promises';
import type { Clock } from '../../common/src/clock';
import type { Logger } from '../../common/src/logger';
import { backoffDelayMs, type RetryPolicy } from '../../common/src/retry';
import type { BandwidthLimiter } from './bandwidth';
import { classifyError, isTransient } from './errors';
import type { ObjectStore, StoredObject } from './stores/object-store';
import { VerifyingStream, type ExpectedContent } from './verifying-stream';

export type CopyOutcome =
  | { readonly kind: 'copied'; readonly bytes: number }
  /** The source object is gone: skipped. */
  | { readonly kind: 'vanished' }
  /** The source's content does not match the manifest, every attempt: the version is unverifiable. */
  | { readonly kind: 'source-mismatch'; readonly detail: string };

export interface CopyRequest {
  readonly source: ObjectStore;
  readonly destination: ObjectStore;
  readonly key: string;
  readonly expected: ExpectedContent;
}

export interface CopierOptions {
  /** Copy attempts of one object: a copy that fails verification or breaks mid-stream is tried again. */
  readonly attempts: number;
  /** Backoff between attempts (full jitter). */
  readonly retry: Pick<RetryPolicy, 'baseDelayMs' | 'maxDelayMs'>;
  readonly limiter?: BandwidthLimiter;
  readonly clock: Clock;
  readonly logger: Logger;
  /** A destination copy that failed verification and was deleted. */
  readonly onVerifyMismatch?: (request: CopyRequest) => void;
  /** Stops between attempts when the service drains. */
  readonly signal?: AbortSignal;
  /** @default Math.random */
  readonly random?: () => number;
}

export class Copier {
  constructor(private readonly options: CopierOptions) {}

  async copy(request: CopyRequest): Promise<CopyOutcome> {
    const { attempts, clock, logger, signal } = this.options;
    const log = logger.child({ key: request.key, from: request.source.description, to: request.destination.description });
    for (let attempt = 1; ; attempt++) {
      let failure: unknown;
      try {
        const outcome = await this.attempt(request);
        if (outcome.kind === 'copied') return outcome;
        failure = outcome.detail;
        if (attempt >= attempts) return outcome;
        log.warn({ attempt, detail: outcome.detail }, 'source content does not match the manifest; trying again');
      } catch (error) {
        // Tell "gone" from "broken": a source that no longer exists is skipped, whatever the error looked like.
        if ((await request.source.stat(request.key)) === undefined) {
          log.warn('source object vanished during the copy; skipped');
          return { kind: 'vanished' };
        }
        failure = error;
        if (attempt >= attempts || !(isTransient(error) || error instanceof DestinationMismatchError)) throw error;
        log.warn({ attempt, err: error, kind: classifyError(error) }, 'copy attempt failed; trying again');
      }
      if (signal?.aborted) throw failure instanceof Error ? failure : new Error(String(failure));
      await clock.sleep(backoffDelayMs(this.options.retry, attempt, this.options.random ?? Math.random), signal);
    }
  }

  private async attempt(request: CopyRequest): Promise<Exclude<CopyOutcome, { kind: 'vanished' }>> {
    const { source, destination, key, expected } = request;
    const body = await source.read(key);
    const verifier = new VerifyingStream(expected);
    const limiter = this.options.limiter;
    const flowing = (limiter ? pipeline(body, limiter.stream(), verifier) : pipeline(body, verifier)).then(
      () => undefined,
      (error: unknown) => error,
    );
    let writeError: unknown;
    let written: StoredObject | undefined;
    try {
      written = await destination.write(key, verifier, expected);
    } catch (error) {
      writeError = error;
      // The upload stopped reading: end the source read too, or it would wait on backpressure forever.
      verifier.destroy();
    }
    const streamError = await flowing;
    if (verifier.mismatch !== undefined) {
      // Each adapter commits only after a clean end; should one have committed anyway, the bad copy goes now.
      if (writeError === undefined) await destination.delete(key);
      return { kind: 'source-mismatch', detail: verifier.mismatch.message };
    }
    if (writeError !== undefined) throw writeError;
    if (streamError !== undefined) {
      await destination.delete(key);
      throw streamError;
    }
    if (written === undefined || written.size !== expected.size || written.sha256 !== expected.sha256) {
      await destination.delete(key);
      this.options.onVerifyMismatch?.(request);
      throw new DestinationMismatchError(key, expected, written === undefined ? 'missing' : `${written.size} bytes, sha256 ${written.sha256 ?? '(none)'}`);
    }
    return { kind: 'copied', bytes: expected.size };
  }
}

/** The destination does not report what was written: the copy was deleted, and is made again. */
export class DestinationMismatchError extends Error {
  constructor(key: string, expected: ExpectedContent, found: string) {
    super(`${key}: the written copy does not verify (expected ${expected.size} bytes, sha256 ${expected.sha256}; found ${found}); deleted`);
    this.name = 'DestinationMismatchError';
  }
}
