/**
 * The ObjectStore port: what the replicator and the sync sidecar need of a bucket or container, in domain terms.
 * One adapter per cloud (s3.ts, gcs.ts, azure-blob.ts) over the official SDK; the endpoint and the credentials
 * come from the SDKs' standard settings, so the same code talks to a cloud or an emulator.
 */
import type { Readable } from 'node:stream';

/** The metadata key holding the SHA-256 of the object's content (hex), written by the replicator. */
export const SHA256_METADATA_KEY = 'sha256';

export interface StoredObject {
  readonly key: string;
  readonly size: number;
  /** The SHA-256 in the object's metadata, when it has one (and the listing asked for metadata). */
  readonly sha256?: string;
  readonly lastModified: Date;
}

export interface ListOptions {
  /** Also read each object's metadata (`sha256`). S3 listings do not carry it: one HEAD per object. */
  readonly metadata: boolean;
}

export interface WriteOptions {
  /** The exact size of the content: below the store's multipart threshold it is sent in one request. */
  readonly size: number;
  /** Written as the object's `sha256` metadata. */
  readonly sha256: string;
}

export interface ObjectStore {
  /** `s3://bucket`, `gs://bucket`, `https://acct.blob.core.windows.net/container`: for logs. */
  readonly description: string;
  /** Every object whose key starts with `prefix`, in no particular order. */
  list(prefix: string, options: ListOptions): Promise<StoredObject[]>;
  /** The object with its metadata, or undefined when there is none. */
  stat(key: string): Promise<StoredObject | undefined>;
  /**
   * The content as a stream. When the object is gone this fails, at once or on the stream, depending on the SDK:
   * callers that must tell "gone" from "broken" ask `stat` after a failure.
   */
  read(key: string): Promise<Readable>;
  /**
   * Streams `body` into `key` with the `sha256` metadata: in one request below the multipart threshold (at most
   * that many bytes buffered), in parts above it (a few parts buffered). If `body` fails, including at its very
   * end, nothing is committed: the copier's verifying stream relies on it to keep a bad copy from ever existing.
   * Returns the object as the store reports it once written (size, `sha256` metadata), for the copier to verify:
   * from the write's own answer where it vouches for them (GCS; an Azure Put Blob whose answered MD5 is that of
   * the bytes sent), else from a HEAD (S3, Azure block lists); undefined if the store does not have it or answered
   * with another content's MD5.
   */
  write(key: string, body: Readable, options: WriteOptions): Promise<StoredObject | undefined>;
  /** Removes the object; removing one that is not there is no error. */
  delete(key: string): Promise<void>;
}

/** Upload shape shared by the adapters. */
export interface UploadTuning {
  /** Objects at least this large are uploaded in parts. */
  readonly multipartThresholdBytes: number;
  readonly partSizeBytes: number;
}

/** Parts of one object uploaded at once: memory per object in flight is about (this + 1) × part size. */
export const PARTS_IN_FLIGHT = 2;
