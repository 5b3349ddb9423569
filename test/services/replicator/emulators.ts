/**
 * The replicator tests' world: moto (S3 and SQS), fake-gcs-server and Azurite (Blob, and Queue when asked), each
 * started on 127.0.0.1 by the test file, one bucket or container per region, and the environment the SDKs read
 * their endpoints from (DESIGN § 6): the replicator under test is configured exactly as in a cluster.
 */
import { CreateBucketCommand, GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { BlobServiceClient } from '@azure/storage-blob';
import { Storage } from '@google-cloud/storage';
import { createCipheriv, createHash } from 'node:crypto';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { NamedStoreConfig, ReplicatorConfigInput } from '../../../services/replicator/src/config';
import { fileKey, manifestKey, versionPrefix, type VersionRef } from '../../../services/replicator/src/layout';
import { buildManifest, type ManifestFile } from '../../../services/replicator/src/manifest';
import { createObjectStore } from '../../../services/replicator/src/stores/factory';
import type { ObjectStore } from '../../../services/replicator/src/stores/object-store';
import { startAzurite, startFakeGcs, startMoto, type AzuritePeer, type Peer, type PeerProcess } from '../../helpers/peers';

export const MiB = 1024 * 1024;

export const S3_STORE = { name: 'us-west-2', kind: 's3', bucket: 'models-us-west-2', region: 'us-east-1' } as const satisfies NamedStoreConfig;
export const GCS_STORE = { name: 'europe-west1', kind: 'gcs', bucket: 'models-europe-west1' } as const satisfies NamedStoreConfig;
export const AZURE_CONTAINER = 'models';

export interface Emulators {
  readonly moto: Peer;
  readonly gcs: PeerProcess;
  readonly azurite: AzuritePeer;
  /** What a replicator process needs in its environment: endpoints and the emulators' test credentials. */
  readonly env: Record<string, string>;
  readonly azureStore: NamedStoreConfig;
  readonly s3: S3Client;
  readonly storage: Storage;
  readonly blobs: BlobServiceClient;
  stop(): Promise<void>;
}

export async function startEmulators(options: { readonly queue?: boolean } = {}): Promise<Emulators> {
  const [moto, gcs, azurite] = await Promise.all([startMoto(), startFakeGcs(), startAzurite({ queue: options.queue })]);
  const env = {
    AWS_ENDPOINT_URL_S3: moto.url,
    AWS_ENDPOINT_URL_SQS: moto.url,
    AWS_ACCESS_KEY_ID: 'testing',
    AWS_SECRET_ACCESS_KEY: 'testing',
    AWS_REGION: 'us-east-1',
    STORAGE_EMULATOR_HOST: gcs.url,
    AZURE_STORAGE_CONNECTION_STRING: azurite.connectionString,
  };
  // The test's own clients, given their endpoints explicitly (this Storage before STORAGE_EMULATOR_HOST is set: the
  // variable would override its apiEndpoint).
  const s3 = new S3Client({ region: 'us-east-1', endpoint: moto.url, forcePathStyle: true, credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' } });
  const storage = new Storage({ apiEndpoint: gcs.url, projectId: 'skyline-test' });
  const blobs = BlobServiceClient.fromConnectionString(azurite.connectionString);
  // The in-process replicator reads the same variables as a replicator process (the SDKs do, when a client is made).
  Object.assign(process.env, env);
  await Promise.all([
    s3.send(new CreateBucketCommand({ Bucket: S3_STORE.bucket })),
    storage.createBucket(GCS_STORE.bucket),
    blobs.getContainerClient(AZURE_CONTAINER).create(),
  ]);
  const azureStore: NamedStoreConfig = { name: 'centralindia', kind: 'azure-blob', accountUrl: azurite.blobAccountUrl, container: AZURE_CONTAINER };
  return {
    moto,
    gcs,
    azurite,
    env,
    azureStore,
    s3,
    storage,
    blobs,
    stop: async () => {
      s3.destroy();
      await Promise.all([moto.stop(), gcs.stop(), azurite.stop()]);
    },
  };
}

/** A replicate config from S3 to GCS and Azure (the DESIGN § 8 default topology), with the given overrides. */
export function replicateConfig(emulators: Emulators, overrides: Partial<Extract<ReplicatorConfigInput, { mode: 'replicate' }>> = {}): Extract<ReplicatorConfigInput, { mode: 'replicate' }> {
  return {
    mode: 'replicate',
    stores: [S3_STORE, GCS_STORE, emulators.azureStore],
    reconcile: { intervalSeconds: 3600 },
    copy: { multipartThresholdMiB: 8, partSizeMiB: 5 },
    retry: { attempts: 6, baseDelaySeconds: 0.05, maxDelaySeconds: 0.5 },
    server: { host: '127.0.0.1', port: 0 },
    azureStorageConnectionString: emulators.azurite.connectionString,
    logLevel: 'warn',
    ...overrides,
  };
}

/** The three stores through the replicator's own factory (so through the SDKs' standard endpoint settings). */
export function stores(emulators: Emulators): { readonly s3: ObjectStore; readonly gcs: ObjectStore; readonly azure: ObjectStore } {
  const dependencies = {
    retry: { attempts: 3, baseDelayMs: 50, maxDelayMs: 500 },
    upload: { multipartThresholdBytes: 8 * MiB, partSizeBytes: 5 * MiB },
    azureConnectionString: emulators.azurite.connectionString,
  };
  return { s3: createObjectStore(S3_STORE, dependencies), gcs: createObjectStore(GCS_STORE, dependencies), azure: createObjectStore(emulators.azureStore, dependencies) };
}

/** Deterministic pseudo-random bytes (AES-128-CTR of zeros), as a stream of `size` bytes: never held whole. */
export function contentStream(seed: string, size: number): Readable {
  const key = createHash('sha256').update(seed).digest().subarray(0, 16);
  const cipher = createCipheriv('aes-128-ctr', key, Buffer.alloc(16));
  const chunk = Buffer.alloc(MiB);
  let left = size;
  return new Readable({
    read() {
      if (left === 0) {
        this.push(null);
        return;
      }
      const length = Math.min(left, chunk.length);
      left -= length;
      this.push(cipher.update(chunk.subarray(0, length)));
    },
  });
}

export function content(seed: string, size: number): Buffer {
  const key = createHash('sha256').update(seed).digest().subarray(0, 16);
  return createCipheriv('aes-128-ctr', key, Buffer.alloc(16)).update(Buffer.alloc(size));
}

export interface FileSpec {
  readonly path: string;
  readonly size: number;
  /** @default `${ref.model}/${ref.version}/${path}` */
  readonly seed?: string;
}

const seedOf = (ref: VersionRef, file: FileSpec): string => file.seed ?? `${ref.model}/${ref.version}/${file.path}`;

/** Uploads a version to the source S3 bucket the way a producer does: the files, then MANIFEST.json. */
export async function publishVersion(s3: S3Client, ref: VersionRef, files: readonly FileSpec[], options: { readonly manifest?: boolean } = {}): Promise<ManifestFile[]> {
  const entries: ManifestFile[] = [];
  for (const file of files) {
    const hash = createHash('sha256');
    const hashing = new Transform({
      transform(chunk: Buffer, _encoding, callback) {
        hash.update(chunk);
        callback(null, chunk);
      },
    });
    const body = contentStream(seedOf(ref, file), file.size).pipe(hashing);
    await new Upload({ client: s3, params: { Bucket: S3_STORE.bucket, Key: fileKey(ref, file.path), Body: body }, partSize: 16 * MiB, queueSize: 2 }).done();
    entries.push({ path: file.path, size: file.size, sha256: hash.digest('hex') });
  }
  if (options.manifest ?? true) await putManifest(s3, ref, entries);
  return entries;
}

export async function putManifest(s3: S3Client, ref: VersionRef, entries: readonly ManifestFile[]): Promise<void> {
  await s3.send(new PutObjectCommand({ Bucket: S3_STORE.bucket, Key: manifestKey(ref), Body: buildManifest(entries, { model: ref.model, version: ref.version }) }));
}

export async function sourceManifestBytes(s3: S3Client, ref: VersionRef): Promise<Buffer> {
  const output = await s3.send(new GetObjectCommand({ Bucket: S3_STORE.bucket, Key: manifestKey(ref) }));
  return Buffer.from(await (output.Body as Readable & { transformToByteArray(): Promise<Uint8Array> }).transformToByteArray());
}

/** SHA-256 and size of an object's content at a store, read through the store's stream. */
export async function digestAt(store: ObjectStore, key: string): Promise<{ readonly sha256: string; readonly size: number }> {
  const hash = createHash('sha256');
  let size = 0;
  await pipeline(await store.read(key), async function* (source: AsyncIterable<Buffer>) {
    for await (const chunk of source) {
      hash.update(chunk);
      size += chunk.length;
    }
    yield* [];
  });
  return { sha256: hash.digest('hex'), size };
}

export async function waitFor<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 30_000, intervalMs = 100): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}

/**
 * Polls destinations while a copy runs and records every moment a manifest is visible beside a file it lists that
 * is missing or does not verify (size and `sha256` metadata): the invariant "no destination ever shows a manifest
 * for an incomplete version". `stop()` returns those violations (none expected) and how many polls were made.
 */
export function watchManifests(targets: readonly ObjectStore[], ref: VersionRef, files: readonly ManifestFile[], intervalMs = 25): { stop(): Promise<{ readonly violations: string[]; readonly polls: number; readonly sawFilesWithoutManifest: boolean }> } {
  const violations: string[] = [];
  let polls = 0;
  let sawFilesWithoutManifest = false;
  let running = true;
  const loop = (async () => {
    while (running) {
      for (const store of targets) {
        const objects = new Map((await store.list(versionPrefix(ref), { metadata: true })).map((object) => [object.key, object]));
        if (!objects.has(manifestKey(ref))) {
          if (objects.size > 0) sawFilesWithoutManifest = true;
          continue;
        }
        for (const file of files) {
          const found = objects.get(fileKey(ref, file.path));
          if (found === undefined || found.size !== file.size || found.sha256 !== file.sha256) violations.push(`${store.description}: manifest visible while ${file.path} is ${found === undefined ? 'missing' : 'not verified'}`);
        }
      }
      polls++;
      await new Promise((resolve) => setTimeout(resolve, intervalMs));
    }
  })();
  return {
    stop: async () => {
      running = false;
      await loop;
      return { violations, polls, sawFilesWithoutManifest };
    },
  };
}
