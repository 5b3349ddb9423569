/**
 * ObjectStore on Amazon S3 (SDK v3). The client takes its endpoint (AWS_ENDPOINT_URL_S3 / AWS_ENDPOINT_URL) and
 * credentials (IRSA web identity in EKS) from the SDK's standard settings. Objects below the multipart threshold
 * go in one PutObject; larger ones stream through lib-storage's multipart Upload, which aborts the upload (nothing
 * committed) when the body fails. ListObjectsV2 carries no user metadata: a listing with metadata HEADs each object.
 */
import { DeleteObjectCommand, GetObjectCommand, HeadObjectCommand, ListObjectsV2Command, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { Readable } from 'node:stream';
import { mapConcurrent } from '../concurrency';
import { collect } from './collect';
import { PARTS_IN_FLIGHT, SHA256_METADATA_KEY, type ListOptions, type ObjectStore, type StoredObject, type UploadTuning, type WriteOptions } from './object-store';

export interface S3StoreOptions extends UploadTuning {
  readonly client: S3Client;
  readonly bucket: string;
}

/** HEADs in flight while listing with metadata. */
const HEAD_CONCURRENCY = 16;

export function isS3NotFound(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const status = (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
  return error.name === 'NoSuchKey' || error.name === 'NotFound' || status === 404;
}

export class S3Store implements ObjectStore {
  readonly description: string;

  constructor(private readonly options: S3StoreOptions) {
    this.description = `s3://${options.bucket}`;
  }

  async list(prefix: string, options: ListOptions): Promise<StoredObject[]> {
    const found: StoredObject[] = [];
    let token: string | undefined;
    do {
      const page = await this.options.client.send(new ListObjectsV2Command({ Bucket: this.options.bucket, Prefix: prefix, ContinuationToken: token }));
      for (const entry of page.Contents ?? []) {
        if (entry.Key === undefined) continue;
        found.push({ key: entry.Key, size: entry.Size ?? 0, lastModified: entry.LastModified ?? new Date(0) });
      }
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token !== undefined);
    if (!options.metadata) return found;
    // An object deleted between the listing and its HEAD is simply not there any more.
    const stats = await mapConcurrent(found, HEAD_CONCURRENCY, (entry) => this.stat(entry.key));
    return stats.filter((stat): stat is StoredObject => stat !== undefined);
  }

  async stat(key: string): Promise<StoredObject | undefined> {
    try {
      const head = await this.options.client.send(new HeadObjectCommand({ Bucket: this.options.bucket, Key: key }));
      return { key, size: head.ContentLength ?? 0, sha256: head.Metadata?.[SHA256_METADATA_KEY], lastModified: head.LastModified ?? new Date(0) };
    } catch (error) {
      if (isS3NotFound(error)) return undefined;
      throw error;
    }
  }

  async read(key: string): Promise<Readable> {
    const output = await this.options.client.send(new GetObjectCommand({ Bucket: this.options.bucket, Key: key }));
    if (!(output.Body instanceof Readable)) throw new Error(`${this.description}/${key}: GetObject answered without a stream body`);
    return output.Body;
  }

  async write(key: string, body: Readable, options: WriteOptions): Promise<StoredObject | undefined> {
    const { client, bucket, multipartThresholdBytes, partSizeBytes } = this.options;
    const Metadata = { [SHA256_METADATA_KEY]: options.sha256 };
    if (options.size < multipartThresholdBytes) {
      const content = await collect(body, multipartThresholdBytes);
      await client.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: content, ContentLength: content.length, Metadata }));
    } else {
      const upload = new Upload({ client, params: { Bucket: bucket, Key: key, Body: body, Metadata }, partSize: partSizeBytes, queueSize: PARTS_IN_FLIGHT, leavePartsOnError: false });
      await upload.done();
    }
    // S3 answers a write with its ETag only: the size and metadata come from a HEAD.
    return this.stat(key);
  }

  async delete(key: string): Promise<void> {
    await this.options.client.send(new DeleteObjectCommand({ Bucket: this.options.bucket, Key: key }));
  }
}
