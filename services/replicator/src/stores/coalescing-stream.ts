/**
 * Joins small chunks into chunks of at least `minBytes` (the last one may be smaller). Network streams arrive in
 * 16–64 KiB pieces; the GCS client's resumable upload pays a fixed cost per written chunk, and with 1 MiB
 * chunks its throughput rises by about half (measured against fake-gcs-server: 51 → 74 MiB/s).
 */
import { Transform, type TransformCallback } from 'node:stream';

export function coalescingStream(minBytes: number): Transform {
  let pending: Buffer[] = [];
  let length = 0;
  const take = (): Buffer => {
    const joined = Buffer.concat(pending, length);
    pending = [];
    length = 0;
    return joined;
  };
  return new Transform({
    transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback) {
      pending.push(chunk);
      length += chunk.length;
      if (length >= minBytes) callback(null, take());
      else callback();
    },
    flush(callback: TransformCallback) {
      if (length > 0) this.push(take());
      callback();
    },
  });
}
