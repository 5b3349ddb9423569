/**
 * Where file exports land (S3, Azure Blob, a local directory), as the analyzer needs it: list the objects under
 * the source's prefix, stream one, read a byte range of one (Parquet). One adapter per store.
 */
import type { Readable } from 'node:stream';

export interface ExportObject {
  /** The key (blob name, path) under the store. */
  readonly key: string;
  readonly sizeBytes: number;
  /** Where the object is, as reported. */
  readonly location: string;
  /** When it was last written (milliseconds since the epoch). */
  readonly lastModifiedMs: number;
}

export interface ExportObjectStore {
  /** Where the store reads, e.g. `s3://bucket/prefix`. */
  readonly description: string;
  /** Every object under the prefix, in key order. */
  list(): AsyncIterable<ExportObject>;
  /** The object's bytes as a stream; PartGoneError when it no longer exists. */
  stream(object: ExportObject): Promise<Readable>;
  /** Bytes [start, end) of the object; PartGoneError when it no longer exists. */
  readRange(object: ExportObject, start: number, end: number): Promise<ArrayBuffer>;
}
