/**
 * Export files in S3 (AWS Data Exports, CUR). Credentials and endpoint come from the SDK's standard settings
 * (IRSA in the cluster; AWS_ENDPOINT_URL_S3 for moto), so the same code reads AWS or an emulator.
 */
import { GetObjectCommand, ListObjectsV2Command, NoSuchKey, S3Client } from '@aws-sdk/client-s3';
import type { Readable } from 'node:stream';
import { PartGoneError } from './billing-source';
import type { ExportObject, ExportObjectStore } from './export-object-store';

export interface S3StoreOptions {
  readonly bucket: string;
  readonly prefix: string;
  readonly client: S3Client;
}

export class S3Store implements ExportObjectStore {
  readonly description: string;

  constructor(private readonly options: S3StoreOptions) {
    this.description = `s3://${options.bucket}/${options.prefix}`;
  }

  async *list(): AsyncIterable<ExportObject> {
    let continuationToken: string | undefined;
    do {
      const page = await this.options.client.send(new ListObjectsV2Command({ Bucket: this.options.bucket, Prefix: this.options.prefix || undefined, ContinuationToken: continuationToken }));
      for (const object of page.Contents ?? []) {
        if (object.Key === undefined) continue;
        yield { key: object.Key, sizeBytes: object.Size ?? 0, location: `s3://${this.options.bucket}/${object.Key}`, lastModifiedMs: object.LastModified?.getTime() ?? 0 };
      }
      continuationToken = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (continuationToken);
  }

  async stream(object: ExportObject): Promise<Readable> {
    const response = await this.get(object);
    return response.Body as Readable;
  }

  async readRange(object: ExportObject, start: number, end: number): Promise<ArrayBuffer> {
    const response = await this.get(object, `bytes=${start}-${end - 1}`);
    const bytes = await response.Body!.transformToByteArray();
    return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
  }

  private async get(object: ExportObject, range?: string) {
    try {
      return await this.options.client.send(new GetObjectCommand({ Bucket: this.options.bucket, Key: object.key, Range: range }));
    } catch (error) {
      if (error instanceof NoSuchKey) throw new PartGoneError(object.location, error);
      throw error;
    }
  }
}
