/**
 * A billing export table in BigQuery (the GCP standard usage cost export, or a FOCUS table or view), read with
 * one streamed query: rows arrive page by page as they are consumed. Kept thin on purpose (no BigQuery emulator
 * exists to test it against): the table's schema names the format, the query selects the window, and each row is
 * flattened exactly like a JSON-lines row, so the row → FOCUS mapping is the one the tests exercise.
 */
import type { BigQuery } from '@google-cloud/bigquery';
import type { Readable } from 'node:stream';
import type { Provider, SourceFormat } from '../config';
import { detectFormat, FORMAT_SIGNATURES } from '../formats/format-mapper';
import { flattenRecord } from '../readers/flatten-record';
import { RecordBatcher } from '../readers/record-batcher';
import type { BillingPart, BillingSource, RawBatch, ReadWindow } from './billing-source';

export interface BigQueryTableRef {
  readonly project: string;
  readonly dataset: string;
  readonly table: string;
  readonly location?: string;
}

/** The column a format's window filter reads. */
const TIME_COLUMNS: Readonly<Record<string, string>> = { 'gcp-standard': 'usage_start_time', focus: 'ChargePeriodStart' };

export class BigQuerySource implements BillingSource {
  readonly description: string;

  constructor(
    readonly name: string,
    readonly provider: Provider,
    readonly format: SourceFormat,
    private readonly table: BigQueryTableRef,
    private readonly client: BigQuery,
  ) {
    this.description = `bigquery://${table.project}.${table.dataset}.${table.table}`;
  }

  async *parts(window: ReadWindow): AsyncIterable<BillingPart> {
    const format = this.format === 'auto' ? await this.detect() : this.format;
    const timeColumn = TIME_COLUMNS[format];
    if (timeColumn === undefined) throw new Error(`${this.description}: format ${format} is not read from BigQuery; use gcp-standard or focus`);
    const { project, dataset, table, location } = this.table;
    const query = `SELECT * FROM \`${project}.${dataset}.${table}\` WHERE ${timeColumn} >= @from`;
    const client = this.client;
    yield {
      location: this.description,
      positionUnit: 'row',
      batches: () => streamRows(client.createQueryStream({ query, params: { from: new Date(window.fromMs) }, location })),
    };
  }

  private async detect(): Promise<Exclude<SourceFormat, 'auto'>> {
    const [metadata] = await this.client.dataset(this.table.dataset, { projectId: this.table.project }).table(this.table.table).getMetadata();
    const columns = fieldNames((metadata as { schema?: { fields?: SchemaField[] } }).schema?.fields ?? []);
    const format = detectFormat(columns);
    if (format === undefined) throw new Error(`${this.description}: the table's columns match no known export layout (${FORMAT_SIGNATURES}); set format`);
    return format;
  }
}

interface SchemaField {
  readonly name: string;
  readonly type?: string;
  readonly mode?: string;
  readonly fields?: SchemaField[];
}

/** Column names as flattenRecord names them: nested RECORD fields with dots; repeated ones stay whole. */
export function fieldNames(fields: readonly SchemaField[], prefix = ''): string[] {
  return fields.flatMap((field) =>
    (field.type === 'RECORD' || field.type === 'STRUCT') && field.mode !== 'REPEATED' && field.fields ? fieldNames(field.fields, `${prefix}${field.name}.`) : [`${prefix}${field.name}`],
  );
}

/** Query result rows (BigQuery's row objects) as raw batches, flattened like JSON-lines rows. */
export async function* streamRows(rows: Readable | AsyncIterable<unknown>): AsyncIterable<RawBatch> {
  const batcher = new RecordBatcher();
  let position = 0;
  for await (const row of rows) {
    position++;
    const batch = batcher.add(flattenRecord(row as Record<string, unknown>), position);
    if (batch) yield batch;
  }
  const rest = batcher.flush();
  if (rest) yield rest;
}
