/**
 * ObjectStore on Azure Blob Storage (@azure/storage-blob), over one container. The factory builds the client
 * from the account URL with the SDK's credentials (stores/factory.ts). Objects below the multipart threshold go in
 * one Put Blob; larger ones as staged blocks committed by one Put Block List, after the body ended cleanly, so a
 * failed body leaves only uncommitted blocks, which Azure discards.
 */
import type { BlobItem, ContainerClient } from '@azure/storage-blob';
import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import { collect } from './collect';
import { PARTS_IN_FLIGHT, SHA256_METADATA_KEY, type ListOptions, type ObjectStore, type StoredObject, type UploadTuning, type WriteOptions } from './object-store';

export interface AzureBlobStoreOptions extends UploadTuning {
  readonly container: ContainerClient;
}

export function isAzureNotFound(error: unknown): boolean {
  return (error as { statusCode?: unknown } | undefined)?.statusCode === 404;
}

export class AzureBlobStore implements ObjectStore {
  readonly description: string;

  constructor(private readonly options: AzureBlobStoreOptions) {
    this.description = options.container.url;
  }

  async list(prefix: string, options: ListOptions): Promise<StoredObject[]> {
    const found: StoredObject[] = [];
    for await (const blob of this.options.container.listBlobsFlat({ prefix, includeMetadata: options.metadata })) {
      found.push(toStoredObject(blob));
    }
    return found;
  }

  async stat(key: string): Promise<StoredObject | undefined> {
    try {
      const properties = await this.options.container.getBlobClient(key).getProperties();
      return { key, size: properties.contentLength ?? 0, sha256: properties.metadata?.[SHA256_METADATA_KEY], lastModified: properties.lastModified ?? new Date(0) };
    } catch (error) {
      if (isAzureNotFound(error)) return undefined;
      throw error;
    }
  }

  async read(key: string): Promise<Readable> {
    // The SDK resumes a broken download with ranged requests (maxRetryRequests), pinned to the blob's ETag.
    const response = await this.options.container.getBlobClient(key).download(0, undefined, { maxRetryRequests: 5 });
    const body = response.readableStreamBody;
    if (!(body instanceof Readable)) throw new Error(`${this.description}/${key}: download answered without a stream body`);
    return body;
  }

  async write(key: string, body: Readable, options: WriteOptions): Promise<StoredObject | undefined> {
    const { container, multipartThresholdBytes, partSizeBytes } = this.options;
    const blob = container.getBlockBlobClient(key);
    const metadata = { [SHA256_METADATA_KEY]: options.sha256 };
    if (options.size < multipartThresholdBytes) {
      const content = await collect(body, multipartThresholdBytes);
      // Azure answers a Put Blob with the MD5 it computed of what it stored: equal to the MD5 of these (verified)
      // bytes, it proves the copy holds exactly them, with the metadata of the same request. That answer verifies
      // the copy and spares a HEAD per object (profiled: most objects of a model version are small).
      const response = await blob.upload(content, content.length, { metadata });
      if (response.contentMD5 !== undefined) {
        const md5 = createHash('md5').update(content).digest();
        return Buffer.from(response.contentMD5).equals(md5) ? { key, size: content.length, sha256: options.sha256, lastModified: response.lastModified ?? new Date(0) } : undefined;
      }
    } else {
      await blob.uploadStream(body, partSizeBytes, PARTS_IN_FLIGHT, { metadata });
    }
    // A committed block list is answered with its ETag only: the size and metadata come from a HEAD.
    return this.stat(key);
  }

  async delete(key: string): Promise<void> {
    await this.options.container.getBlobClient(key).deleteIfExists();
  }
}

function toStoredObject(blob: BlobItem): StoredObject {
  return {
    key: blob.name,
    size: blob.properties.contentLength ?? 0,
    sha256: blob.metadata?.[SHA256_METADATA_KEY],
    lastModified: blob.properties.lastModified,
  };
}
