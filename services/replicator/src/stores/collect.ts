/** Reading a small stream whole, bounded: for single-request uploads and manifests. */
import type { Readable } from 'node:stream';

/** The stream's bytes; fails once more than `maxBytes` arrive, so a wrong size can never grow memory unbounded. */
export async function collect(stream: Readable, maxBytes: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let total = 0;
  for await (const chunk of stream) {
    const buffer = typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer);
    total += buffer.length;
    if (total > maxBytes) {
      stream.destroy();
      throw new Error(`stream is larger than the ${maxBytes} bytes expected`);
    }
    chunks.push(buffer);
  }
  return Buffer.concat(chunks, total);
}
