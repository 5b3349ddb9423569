/**
 * The port every billing export is read through (DESIGN § 6): a source yields its parts (export files, blobs,
 * one query), each part its raw rows in batches, streaming: nothing holds a whole export in memory.
 */
import type { Provider, SourceFormat } from '../config';
import type { RawValues } from '../formats/cells';

/** Raw rows of one part that share their columns. */
export interface RawBatch {
  readonly columns: readonly string[];
  readonly rows: readonly RawValues[];
  /** Where each row is in its part, 1-based: the line of a text file, the row of a Parquet file or a query. */
  readonly lines: readonly number[];
}

/** One unit of an export: read whole or not at all (a failure discards what it had contributed). */
export interface BillingPart {
  /** Where the part is, as reported: `s3://bucket/key`, `https://account.blob.core.windows.net/container/blob`, a file path, `bigquery://project.dataset.table`. */
  readonly location: string;
  /** `line` or `row`: what the numbers of `RawBatch.lines` count. */
  readonly positionUnit: 'line' | 'row';
  batches(): AsyncIterable<RawBatch>;
}

export interface ReadWindow {
  /** Charges before this instant are not needed: parts wholly before it are not read. */
  readonly fromMs: number;
}

export interface BillingSource {
  readonly name: string;
  readonly provider: Provider;
  readonly format: SourceFormat;
  /** Where the source reads, for logs and the report. */
  readonly description: string;
  parts(window: ReadWindow): AsyncIterable<BillingPart>;
}

/** A part that disappeared between listing and reading (an export rewritten meanwhile): skipped, not an error. */
export class PartGoneError extends Error {
  constructor(readonly location: string, cause?: unknown) {
    super(`${location} is gone`, { cause });
    this.name = 'PartGoneError';
  }
}

/** Rows per batch: large enough to amortise the per-batch work, small enough to keep memory flat. */
export const BATCH_ROWS = 2048;
