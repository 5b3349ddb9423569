/** The copy path's streams: SHA-256 verification at the end of the content, the bandwidth limit, coalescing. */
import { createHash } from 'node:crypto';
import { Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { Clock } from '../../../services/common/src/clock';
import { BandwidthLimiter } from '../../../services/replicator/src/bandwidth';
import { coalescingStream } from '../../../services/replicator/src/stores/coalescing-stream';
import { ContentMismatchError, VerifyingStream } from '../../../services/replicator/src/verifying-stream';

const sha256 = (data: Buffer): string => createHash('sha256').update(data).digest('hex');

async function drain(source: Readable, stage: NodeJS.ReadWriteStream): Promise<{ chunks: Buffer[]; ended: boolean }> {
  const chunks: Buffer[] = [];
  let ended = false;
  const sink = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      chunks.push(chunk);
      callback();
    },
    final(callback) {
      ended = true;
      callback();
    },
  });
  await pipeline(source, stage, sink);
  return { chunks, ended };
}

describe('VerifyingStream', () => {
  const data = Buffer.from('the model weights, in three chunks');
  const chunks = (): Readable => Readable.from([data.subarray(0, 10), data.subarray(10, 20), data.subarray(20)]);

  it('passes content that matches the manifest through, unchanged, and ends', async () => {
    const result = await drain(chunks(), new VerifyingStream({ size: data.length, sha256: sha256(data) }));
    expect(Buffer.concat(result.chunks)).toEqual(data);
    expect(result.ended).toBe(true);
  });

  it('fails instead of ending when the digest differs, so the consumer never sees a clean end', async () => {
    const verifier = new VerifyingStream({ size: data.length, sha256: 'f'.repeat(64) });
    const sink = { ended: false };
    await expect(
      pipeline(
        chunks(),
        verifier,
        new Writable({
          write: (_chunk, _encoding, callback) => callback(),
          final: (callback) => {
            sink.ended = true;
            callback();
          },
        }),
      ),
    ).rejects.toThrow(ContentMismatchError);
    expect(sink.ended).toBe(false);
    expect(verifier.mismatch?.message).toBe(`content SHA-256 is ${sha256(data)}, the manifest says ${'f'.repeat(64)}`);
  });

  it('fails as soon as the content outgrows the size, and on a short content at its end', async () => {
    await expect(drain(chunks(), new VerifyingStream({ size: 15, sha256: sha256(data) }))).rejects.toThrow('content is 20 bytes, the manifest says 15');
    await expect(drain(chunks(), new VerifyingStream({ size: 100, sha256: sha256(data) }))).rejects.toThrow(`content is ${data.length} bytes, the manifest says 100`);
  });
});

/** A clock whose time moves only when someone sleeps: the limiter's waits are measured, not lived. */
function virtualClock(): Clock & { readonly slept: number[] } {
  let now = 0;
  const slept: number[] = [];
  return {
    slept,
    now: () => now,
    sleep: async (ms) => {
      slept.push(ms);
      now += ms;
    },
  };
}

describe('BandwidthLimiter', () => {
  it('lets one second of rate through at once, then paces the rest at the rate', async () => {
    const clock = virtualClock();
    const limiter = new BandwidthLimiter(1000, clock);
    for (let index = 0; index < 5; index++) await limiter.take(500);
    // 2500 bytes at 1000 B/s, the first 1000 free: 1.5 s of waiting in all.
    expect(clock.slept.reduce((sum, ms) => sum + ms, 0)).toBe(1500);
    expect(clock.now()).toBe(1500);
  });

  it('is shared: two streams through one limiter together get the rate', async () => {
    const clock = virtualClock();
    const limiter = new BandwidthLimiter(1024, clock);
    const payload = (): Readable => Readable.from(Array.from({ length: 8 }, () => Buffer.alloc(256)));
    await Promise.all([drain(payload(), limiter.stream()), drain(payload(), limiter.stream())]);
    // 4096 bytes, 1024 free, then 1024 B/s.
    expect(clock.now()).toBe(3000);
  });
});

describe('coalescingStream', () => {
  it('joins small chunks into chunks of at least the minimum, keeping every byte in order', async () => {
    const parts = Array.from({ length: 10 }, (_, index) => Buffer.alloc(300, index));
    const { chunks } = await drain(Readable.from(parts), coalescingStream(1000));
    expect(chunks.map((chunk) => chunk.length)).toEqual([1200, 1200, 600]);
    expect(Buffer.concat(chunks)).toEqual(Buffer.concat(parts));
  });
});
