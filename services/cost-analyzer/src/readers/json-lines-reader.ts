/**
 * Newline-delimited JSON, as `bq extract --destination_format NEWLINE_DELIMITED_JSON` writes a BigQuery billing
 * table: one row object per line, nested fields flattened like the BigQuery adapter's rows. A line that is not
 * a JSON object fails the part (with its line number): the file is not a row export.
 */
import type { Readable } from 'node:stream';
import { createInterface } from 'node:readline';
import type { RawBatch } from '../sources/billing-source';
import { flattenRecord } from './flatten-record';
import { RecordBatcher } from './record-batcher';

export async function* readJsonLines(input: Readable, location: string): AsyncIterable<RawBatch> {
  const batcher = new RecordBatcher();
  let line = 0;
  for await (const text of createInterface({ input, crlfDelay: Infinity })) {
    line++;
    if (text.trim() === '') continue;
    let record: unknown;
    try {
      record = JSON.parse(text);
    } catch (error) {
      throw new Error(`${location}:${line}: not JSON (${(error as Error).message})`);
    }
    if (record === null || typeof record !== 'object' || Array.isArray(record)) throw new Error(`${location}:${line}: not a JSON object`);
    const batch = batcher.add(flattenRecord(record as Record<string, unknown>), line);
    if (batch) yield batch;
  }
  const rest = batcher.flush();
  if (rest) yield rest;
}
