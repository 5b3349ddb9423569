/**
 * Reads one export file, whatever its encoding: Parquet by its name (it needs ranged reads, not a stream);
 * otherwise a stream, gunzipped when its first bytes are the gzip magic (exports name them `.csv.gz`, but the
 * bytes decide), then JSON lines (`.json`, `.jsonl`, `.ndjson`) or CSV.
 */
import type { Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import type { AsyncBuffer } from 'hyparquet';
import type { RawBatch } from '../sources/billing-source';
import type { ExportObject, ExportObjectStore } from '../sources/export-object-store';
import { readCsv } from './csv-reader';
import { readJsonLines } from './json-lines-reader';
import { readParquet } from './parquet-reader';

const EXPORT_FILE = /\.(csv|parquet|json|jsonl|ndjson)(\.gz)?$/i;
const PARQUET = /\.parquet$/i;
const JSON_LINES = /\.(json|jsonl|ndjson)(\.gz)?$/i;
/** Export manifests (AWS `*-Manifest.json`, Azure `manifest.json`) describe files; they hold no rows. */
const MANIFEST = /manifest[^/]*\.json$/i;

/** Whether the analyzer reads an object of this name: row files, not manifests, checksums or folders. */
export function isExportFile(key: string): boolean {
  return EXPORT_FILE.test(key) && !MANIFEST.test(key);
}

/** What the positions of the object's rows count: rows of a Parquet file, lines of a text file. */
export function positionUnitOf(key: string): 'line' | 'row' {
  return PARQUET.test(key) ? 'row' : 'line';
}

export function readExportObject(store: ExportObjectStore, object: ExportObject): AsyncIterable<RawBatch> {
  if (PARQUET.test(object.key)) return readParquet(asyncBuffer(store, object));
  return readStream(store, object, JSON_LINES.test(object.key));
}

async function* readStream(store: ExportObjectStore, object: ExportObject, json: boolean): AsyncIterable<RawBatch> {
  const input = await decompressed(await store.stream(object));
  yield* json ? readJsonLines(input, object.location) : readCsv(input);
}

/** The stream, gunzipped if it starts with the gzip magic bytes 1f 8b. */
export async function decompressed(stream: Readable): Promise<Readable> {
  const head = await firstChunk(stream);
  if (head === undefined || head.length < 2 || head[0] !== 0x1f || head[1] !== 0x8b) return stream;
  const gunzip = createGunzip();
  stream.once('error', (error) => gunzip.destroy(error));
  return stream.pipe(gunzip);
}

/** Reads the first chunk and puts it back, so the stream still starts at byte 0. */
async function firstChunk(stream: Readable): Promise<Buffer | undefined> {
  for (;;) {
    const chunk: unknown = stream.read();
    if (chunk !== null) {
      const buffer = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk as string);
      stream.unshift(buffer);
      return buffer;
    }
    if (stream.readableEnded) return undefined;
    await readableOrEnd(stream);
  }
}

function readableOrEnd(stream: Readable): Promise<void> {
  return new Promise((resolve, reject) => {
    const settle = (error?: Error): void => {
      stream.off('readable', onReady).off('end', onReady).off('error', settle);
      if (error) reject(error);
      else resolve();
    };
    const onReady = (): void => settle();
    stream.on('readable', onReady).on('end', onReady).on('error', settle);
  });
}

function asyncBuffer(store: ExportObjectStore, object: ExportObject): AsyncBuffer {
  return { byteLength: object.sizeBytes, slice: (start, end) => store.readRange(object, start, end ?? object.sizeBytes) };
}
