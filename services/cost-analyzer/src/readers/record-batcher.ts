/**
 * Groups flattened records into batches that share one header. Rows of one export almost always share their
 * fields; when a record brings a different set, the batch is closed and a new one starts with its header.
 */
import type { RawValue } from '../formats/cells';
import { BATCH_ROWS, type RawBatch } from '../sources/billing-source';
import type { FlatRecord } from './flatten-record';

export class RecordBatcher {
  private columns: string[] = [];
  private rows: RawValue[][] = [];
  private lines: number[] = [];

  /** Adds one record; returns the batch it closed, if any. */
  add(record: FlatRecord, line: number): RawBatch | undefined {
    let closed: RawBatch | undefined;
    if (!this.fits(record)) {
      closed = this.flush();
      this.columns = [...record.keys()];
    }
    this.rows.push(this.columns.map((column) => record.get(column) ?? null));
    this.lines.push(line);
    if (this.rows.length >= BATCH_ROWS) closed ??= this.flush();
    return closed;
  }

  /** The rows not yet returned, if any. */
  flush(): RawBatch | undefined {
    if (this.rows.length === 0) return undefined;
    const batch = { columns: this.columns, rows: this.rows, lines: this.lines };
    this.rows = [];
    this.lines = [];
    return batch;
  }

  private fits(record: FlatRecord): boolean {
    if (record.size !== this.columns.length) return false;
    return this.columns.every((column) => record.has(column));
  }
}
