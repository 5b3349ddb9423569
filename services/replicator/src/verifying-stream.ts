/**
 * A pass-through stream that hashes every byte with SHA-256 and, at the end, compares the size and digest with
 * what the manifest promises. On a mismatch it fails instead of ending: an upload fed by it is then never
 * committed (each adapter commits only after its body ended cleanly), so a bad copy never exists at all.
 */
import { createHash, type Hash } from 'node:crypto';
import { Transform, type TransformCallback } from 'node:stream';

export interface ExpectedContent {
  readonly size: number;
  readonly sha256: string;
}

export class ContentMismatchError extends Error {
  constructor(readonly expected: ExpectedContent, readonly actual: ExpectedContent) {
    super(
      actual.size !== expected.size
        ? `content is ${actual.size} bytes, the manifest says ${expected.size}`
        : `content SHA-256 is ${actual.sha256}, the manifest says ${expected.sha256}`,
    );
    this.name = 'ContentMismatchError';
  }
}

export class VerifyingStream extends Transform {
  private readonly hash: Hash = createHash('sha256');
  private bytes = 0;
  /** Set when the content ended and did not match. */
  mismatch: ContentMismatchError | undefined;

  constructor(private readonly expected: ExpectedContent) {
    super();
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    this.bytes += chunk.length;
    if (this.bytes > this.expected.size) {
      // Fail early: a source that grew is not the version the manifest describes, and it might be huge.
      this.mismatch = new ContentMismatchError(this.expected, { size: this.bytes, sha256: '(not finished)' });
      callback(this.mismatch);
      return;
    }
    this.hash.update(chunk);
    callback(null, chunk);
  }

  override _flush(callback: TransformCallback): void {
    const actual = { size: this.bytes, sha256: this.hash.digest('hex') };
    if (actual.size !== this.expected.size || actual.sha256 !== this.expected.sha256) {
      this.mismatch = new ContentMismatchError(this.expected, actual);
      callback(this.mismatch);
      return;
    }
    callback();
  }
}
