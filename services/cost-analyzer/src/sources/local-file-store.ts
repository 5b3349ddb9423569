/** Export files on a local path: one file, or a directory read recursively (a mounted volume, a download). */
import { createReadStream } from 'node:fs';
import { open, readdir, stat } from 'node:fs/promises';
import { join, relative } from 'node:path';
import type { Readable } from 'node:stream';
import { PartGoneError } from './billing-source';
import type { ExportObject, ExportObjectStore } from './export-object-store';

export class LocalFileStore implements ExportObjectStore {
  readonly description: string;

  constructor(private readonly path: string) {
    this.description = path;
  }

  async *list(): AsyncIterable<ExportObject> {
    const root = await stat(this.path);
    if (root.isFile()) {
      yield { key: this.path, sizeBytes: root.size, location: this.path, lastModifiedMs: root.mtimeMs };
      return;
    }
    const entries = await readdir(this.path, { recursive: true, withFileTypes: true });
    const files = entries.filter((entry) => entry.isFile()).map((entry) => join(entry.parentPath, entry.name)).sort();
    // The whole listing first, like a bucket's: a file removed later is gone when read, not silently unlisted.
    const listed: ExportObject[] = [];
    for (const file of files) {
      const info = await stat(file).catch(() => undefined); // removed while listing
      if (info) listed.push({ key: relative(this.path, file), sizeBytes: info.size, location: file, lastModifiedMs: info.mtimeMs });
    }
    yield* listed;
  }

  async stream(object: ExportObject): Promise<Readable> {
    const stream = createReadStream(object.location);
    await new Promise<void>((resolve, reject) => {
      stream.once('open', () => resolve()).once('error', (error: NodeJS.ErrnoException) => reject(gone(object, error)));
    });
    return stream;
  }

  async readRange(object: ExportObject, start: number, end: number): Promise<ArrayBuffer> {
    const handle = await open(object.location, 'r').catch((error: NodeJS.ErrnoException) => {
      throw gone(object, error);
    });
    try {
      const buffer = Buffer.alloc(end - start);
      const { bytesRead } = await handle.read(buffer, 0, buffer.length, start);
      return buffer.buffer.slice(buffer.byteOffset, buffer.byteOffset + bytesRead);
    } finally {
      await handle.close();
    }
  }
}

function gone(object: ExportObject, error: NodeJS.ErrnoException): Error {
  return error.code === 'ENOENT' ? new PartGoneError(object.location, error) : error;
}
