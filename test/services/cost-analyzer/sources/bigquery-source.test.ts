/**
 * The BigQuery adapter's own logic, without BigQuery (no emulator exists): the table schema → column names the
 * format detection sees, and query rows → raw batches. The rows are built as the client library returns them
 * (TIMESTAMP as BigQueryTimestamp, RECORDs as objects, repeated RECORDs as arrays), from the JSON-lines fixture, and
 * must map to the same FOCUS rows as that fixture does. (`cost` is FLOAT64 in the export's schema: a number.)
 */
import { BigQuery } from '@google-cloud/bigquery';
import { readFileSync } from 'node:fs';
import { Readable } from 'node:stream';
import { compileMapper, detectFormat } from '../../../../services/cost-analyzer/src/formats/format-mapper';
import { RowNormalizer } from '../../../../services/cost-analyzer/src/focus/normalize';
import { DEFAULT_SERVICE_CATEGORIES } from '../../../../services/cost-analyzer/src/focus/service-categories';
import { fieldNames, streamRows } from '../../../../services/cost-analyzer/src/sources/bigquery-source';
import { fixture, readLocal } from '../fixtures';

/** A fixture row as the client returns it from a query. */
function asClientRow(row: Record<string, unknown>): Record<string, unknown> {
  return {
    ...row,
    usage_start_time: BigQuery.timestamp(String(row.usage_start_time).replace(' UTC', 'Z').replace(' ', 'T')),
    usage_end_time: BigQuery.timestamp(String(row.usage_end_time).replace(' UTC', 'Z').replace(' ', 'T')),
  };
}

describe('BigQuery source', () => {
  it('names the columns of a standard export table as its flattened rows do, and detects the format', () => {
    const schema = [
      { name: 'billing_account_id', type: 'STRING' },
      { name: 'service', type: 'RECORD', fields: [{ name: 'id', type: 'STRING' }, { name: 'description', type: 'STRING' }] },
      { name: 'usage_start_time', type: 'TIMESTAMP' },
      { name: 'cost', type: 'FLOAT' },
      { name: 'credits', type: 'RECORD', mode: 'REPEATED', fields: [{ name: 'amount', type: 'FLOAT' }] },
    ];
    expect(fieldNames(schema)).toEqual(['billing_account_id', 'service.id', 'service.description', 'usage_start_time', 'cost', 'credits']);
    expect(detectFormat(fieldNames(schema))).toBe('gcp-standard');
  });

  it('maps client rows to the same FOCUS rows as the exported JSON lines', async () => {
    const lines = readFileSync(fixture('gcp-standard.jsonl'), 'utf8').trim().split('\n').map((line) => JSON.parse(line) as Record<string, unknown>);
    const normalizer = new RowNormalizer({ provider: 'gcp', categories: DEFAULT_SERVICE_CATEGORIES });
    const fromQuery = [];
    for await (const batch of streamRows(Readable.from(lines.map(asClientRow)))) {
      const mapper = compileMapper('gcp-standard', batch.columns);
      for (const values of batch.rows) fromQuery.push(normalizer.normalize(mapper(values)));
    }
    const { rows: fromFile } = await readLocal(fixture('gcp-standard.jsonl'), 'gcp');
    expect(fromQuery.map((result) => (result.bad === undefined ? result.row.values : result.detail))).toEqual(fromFile.map((row) => row.values));
  });
});
