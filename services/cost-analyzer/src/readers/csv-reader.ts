/**
 * CSV export files, parsed as a stream with csv-parse: the header names the columns, each record is a row.
 * Records are taken from the parser synchronously while it has them (one await per chunk, not per record), and
 * line numbers are counted here: a record takes one line plus the line breaks inside its quoted fields.
 */
import type { Readable } from 'node:stream';
import { parse } from 'csv-parse';
import { BATCH_ROWS, type RawBatch } from '../sources/billing-source';

export async function* readCsv(input: Readable): AsyncIterable<RawBatch> {
  // relax_column_count: a row with a wrong number of fields is reported as bad by the analyzer, not a parse
  // error that would lose the rest of the file. Empty lines are kept (and skipped below) so lines stay counted.
  const parser = input.pipe(parse({ bom: true, relax_column_count: true, skip_empty_lines: false }));
  input.once('error', (error) => parser.destroy(error));
  let columns: readonly string[] | undefined;
  let rows: string[][] = [];
  let lines: number[] = [];
  let line = 0;
  for (;;) {
    let record: string[] | null;
    while ((record = parser.read() as string[] | null) !== null) {
      line += 1 + lineBreaksIn(record);
      if (record.length === 1 && record[0] === '') continue; // an empty line
      if (columns === undefined) {
        columns = record.map((name) => name.trim());
        continue;
      }
      rows.push(record);
      lines.push(line);
      if (rows.length >= BATCH_ROWS) {
        yield { columns, rows, lines };
        rows = [];
        lines = [];
      }
    }
    if (parser.readableEnded || !(await readableOrEnd(parser))) break;
  }
  if (columns !== undefined && rows.length > 0) yield { columns, rows, lines };
}

function lineBreaksIn(record: readonly string[]): number {
  let count = 0;
  for (const field of record) {
    if (field.length === 0 || field.indexOf('\n') < 0) continue;
    for (let index = field.indexOf('\n'); index >= 0; index = field.indexOf('\n', index + 1)) count++;
  }
  return count;
}

/** Resolves true when the parser has records to read, false when it ended; rejects when it failed. */
function readableOrEnd(stream: Readable): Promise<boolean> {
  return new Promise((resolve, reject) => {
    const settle = (result: boolean | Error): void => {
      stream.off('readable', onReadable).off('end', onEnd).off('error', settle);
      if (result instanceof Error) reject(result);
      else resolve(result);
    };
    const onReadable = (): void => settle(true);
    const onEnd = (): void => settle(false);
    stream.on('readable', onReadable).on('end', onEnd).on('error', settle);
  });
}
