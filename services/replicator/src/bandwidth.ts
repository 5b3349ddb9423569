/**
 * An optional cap on the bytes read from the sources per second, over all copies at once: a token bucket holding
 * at most one second of rate, and a pass-through stream that waits for tokens before passing each chunk on
 * (backpressure then slows the source read itself).
 */
import { Transform, type TransformCallback } from 'node:stream';
import type { Clock } from '../../common/src/clock';

export class BandwidthLimiter {
  private tokens: number;
  private updatedAt: number;
  /** Waiters in arrival order, so one big reader cannot starve the others. */
  private queue: Promise<void> = Promise.resolve();

  constructor(
    private readonly bytesPerSecond: number,
    private readonly clock: Clock,
  ) {
    this.tokens = bytesPerSecond;
    this.updatedAt = clock.now();
  }

  /** Resolves once `bytes` may pass. */
  take(bytes: number): Promise<void> {
    const turn = this.queue.then(() => this.wait(bytes));
    this.queue = turn;
    return turn;
  }

  private async wait(bytes: number): Promise<void> {
    this.refill();
    this.tokens -= bytes;
    // In debt: wait until the debt is paid back at the configured rate.
    if (this.tokens < 0) await this.clock.sleep(Math.ceil((-this.tokens / this.bytesPerSecond) * 1000));
  }

  private refill(): void {
    const now = this.clock.now();
    this.tokens = Math.min(this.bytesPerSecond, this.tokens + ((now - this.updatedAt) / 1000) * this.bytesPerSecond);
    this.updatedAt = now;
  }

  /** A pass-through stream paced by this limiter. */
  stream(): Transform {
    return new Transform({
      transform: (chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback) => {
        this.take(chunk.length).then(() => callback(null, chunk), callback);
      },
    });
  }
}
