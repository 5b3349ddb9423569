/**
 * Export files in an Azure storage container (Cost Management exports). Azure workload identity
 * (DefaultAzureCredential) in the cluster; a shared key only when one is configured (an emulator, Azurite).
 */
import type { ContainerClient } from '@azure/storage-blob';
import type { Readable } from 'node:stream';
import { PartGoneError } from './billing-source';
import type { ExportObject, ExportObjectStore } from './export-object-store';

export interface AzureBlobStoreOptions {
  readonly container: ContainerClient;
  readonly prefix: string;
}

export class AzureBlobStore implements ExportObjectStore {
  readonly description: string;

  constructor(private readonly options: AzureBlobStoreOptions) {
    this.description = `${options.container.url}/${options.prefix}`;
  }

  async *list(): AsyncIterable<ExportObject> {
    for await (const blob of this.options.container.listBlobsFlat({ prefix: this.options.prefix || undefined })) {
      yield { key: blob.name, sizeBytes: blob.properties.contentLength ?? 0, location: `${this.options.container.url}/${blob.name}`, lastModifiedMs: blob.properties.lastModified.getTime() };
    }
  }

  async stream(object: ExportObject): Promise<Readable> {
    const response = await this.download(object, 0);
    return response.readableStreamBody as Readable;
  }

  async readRange(object: ExportObject, start: number, end: number): Promise<ArrayBuffer> {
    const response = await this.download(object, start, end - start);
    const chunks: Buffer[] = [];
    for await (const chunk of response.readableStreamBody as Readable) chunks.push(chunk as Buffer);
    const bytes = Buffer.concat(chunks);
    return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
  }

  private async download(object: ExportObject, offset: number, count?: number) {
    try {
      return await this.options.container.getBlobClient(object.key).download(offset, count);
    } catch (error) {
      if ((error as { statusCode?: number }).statusCode === 404) throw new PartGoneError(object.location, error);
      throw error;
    }
  }
}
