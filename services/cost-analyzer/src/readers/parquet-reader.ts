/**
 * Parquet export files (AWS Data Exports, Azure exports), one row group at a time with hyparquet: only the
 * row group being read is in memory, fetched through ranged reads. Compression codecs from
 * hyparquet-compressors (snappy, gzip, zstd, brotli, lz4).
 */
import { parquetMetadataAsync, parquetRead, parquetSchema, type AsyncBuffer, type FileMetaData } from 'hyparquet';
import { compressors } from 'hyparquet-compressors';
import type { RawBatch } from '../sources/billing-source';
import { flattenRecord, jsonText } from './flatten-record';
import { RecordBatcher } from './record-batcher';

export async function* readParquet(file: AsyncBuffer): AsyncIterable<RawBatch> {
  const metadata = await parquetMetadataAsync(file);
  const maps = mapColumns(metadata);
  let rowStart = 0;
  for (const rowGroup of metadata.row_groups) {
    const rowEnd = rowStart + Number(rowGroup.num_rows);
    let rows: Record<string, unknown>[] = [];
    await parquetRead({ file, metadata, compressors, rowStart, rowEnd, rowFormat: 'object', onComplete: (read) => (rows = read) });
    const batcher = new RecordBatcher();
    for (const [index, row] of rows.entries()) {
      for (const column of maps) row[column] = jsonText(row[column]);
      const batch = batcher.add(flattenRecord(row), rowStart + index + 1);
      if (batch) yield batch;
    }
    const rest = batcher.flush();
    if (rest) yield rest;
    rowStart = rowEnd;
  }
}

/**
 * Top-level MAP columns (FOCUS Tags, CUR 2.0 resource_tags and product): one JSON object each, as in a CSV export.
 * hyparquet reads a map as a plain object, which would otherwise be flattened like a struct, one column per key.
 */
function mapColumns(metadata: FileMetaData): string[] {
  return parquetSchema(metadata)
    .children.filter(({ element }) => element.converted_type === 'MAP' || element.converted_type === 'MAP_KEY_VALUE' || element.logical_type?.type === 'MAP')
    .map(({ element }) => element.name);
}
