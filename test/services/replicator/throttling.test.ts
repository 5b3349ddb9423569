/**
 * Faults injected by proxies in front of the emulators: S3 `SlowDown` (503) on the source, GCS 429 and Azure
 * `ServerBusy` (503) on the destinations. Retried with backoff and jitter, the copy completes; throttling that
 * outlasts every retry fails the version (no manifest, counted, lagging) until a later pass completes it; a
 * destination that cannot be listed fails only its route; a written copy the destination reports with another
 * hash is deleted and copied again.
 */
import { fileKey, manifestKey, type VersionRef } from '../../../services/replicator/src/layout';
import { createObjectStore } from '../../../services/replicator/src/stores/factory';
import type { ObjectStore } from '../../../services/replicator/src/stores/object-store';
import { AZURITE_ACCOUNT, startFaultProxy, type FaultProxy, type InjectedResponse } from '../../helpers/peers';
import { AZURE_CONTAINER, digestAt, GCS_STORE, MiB, publishVersion, replicateConfig, S3_STORE, startEmulators, type Emulators } from './emulators';
import { buildReplicator } from './in-process';

jest.setTimeout(60_000);

const S3_SLOW_DOWN: InjectedResponse = {
  status: 503,
  contentType: 'application/xml',
  body: '<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>SlowDown</Code><Message>Please reduce your request rate.</Message><RequestId>0</RequestId></Error>',
};
const GCS_RATE_LIMITED: InjectedResponse = {
  status: 429,
  contentType: 'application/json',
  body: JSON.stringify({ error: { code: 429, message: 'The rate of change requests to the object is too high.', errors: [{ reason: 'rateLimitExceeded' }] } }),
};
const AZURE_SERVER_BUSY: InjectedResponse = {
  status: 503,
  contentType: 'application/xml',
  body: '<?xml version="1.0" encoding="utf-8"?><Error><Code>ServerBusy</Code><Message>Egress is over the account limit.</Message></Error>',
};

let emulators: Emulators;
let s3Proxy: FaultProxy;
let gcsProxy: FaultProxy;
let azureProxy: FaultProxy;
let gcs: ObjectStore;
let azure: ObjectStore;

beforeAll(async () => {
  emulators = await startEmulators();
  [s3Proxy, gcsProxy, azureProxy] = await Promise.all([startFaultProxy(emulators.moto.url), startFaultProxy(emulators.gcs.url), startFaultProxy(emulators.azurite.url)]);
  // The replicator reaches S3 and GCS through the proxies, by the SDKs' standard settings; Azure by its account URL.
  process.env.AWS_ENDPOINT_URL_S3 = s3Proxy.url;
  process.env.STORAGE_EMULATOR_HOST = gcsProxy.url;
  const direct = { retry: { attempts: 3, baseDelayMs: 50, maxDelayMs: 500 }, upload: { multipartThresholdBytes: 8 * MiB, partSizeBytes: 5 * MiB }, azureConnectionString: emulators.azurite.connectionString };
  gcs = createObjectStore({ kind: 'gcs', bucket: GCS_STORE.bucket }, { ...direct });
  azure = createObjectStore({ kind: 'azure-blob', accountUrl: emulators.azurite.blobAccountUrl, container: AZURE_CONTAINER }, direct);
}, 60_000);

afterAll(() => emulators?.stop());

function throttledConfig(): ReturnType<typeof replicateConfig> {
  const accountUrl = `${azureProxy.url}/${AZURITE_ACCOUNT.name}`;
  return replicateConfig(emulators, {
    stores: [S3_STORE, GCS_STORE, { name: 'centralindia', kind: 'azure-blob', accountUrl, container: AZURE_CONTAINER }],
    azureStorageConnectionString: `DefaultEndpointsProtocol=http;AccountName=${AZURITE_ACCOUNT.name};AccountKey=${AZURITE_ACCOUNT.key};BlobEndpoint=${accountUrl};`,
  });
}

describe('replication under throttling', () => {
  it('retries S3 SlowDown, GCS 429 and Azure 503 with backoff and completes the version', async () => {
    const ref: VersionRef = { model: 'throttled', version: '1' };
    const files = await publishVersion(emulators.s3, ref, [
      { path: 'weights.bin', size: 10 * MiB },
      { path: 'a.json', size: 300 },
      { path: 'b.json', size: 500 },
    ]);
    const { replicator, metric } = buildReplicator(throttledConfig());
    s3Proxy.injectErrors(3, S3_SLOW_DOWN);
    gcsProxy.injectErrors(3, GCS_RATE_LIMITED);
    azureProxy.injectErrors(3, AZURE_SERVER_BUSY);

    const report = await replicator.reconcile();

    expect([s3Proxy.injected, gcsProxy.injected, azureProxy.injected]).toEqual([3, 3, 3]);
    expect(report.routes.flatMap((route) => route.results.map((result) => result.outcome))).toEqual(['replicated', 'replicated']);
    for (const destination of [gcs, azure]) {
      for (const file of files) expect(await digestAt(destination, fileKey(ref, file.path))).toEqual({ sha256: file.sha256, size: file.size });
      expect(await destination.stat(manifestKey(ref))).toBeDefined();
    }
    expect(await metric('skyline_replicator_failures_total')).toBe(0);
  });

  it('fails a version whose throttling outlasts every retry, without a manifest, and completes it on a later pass', async () => {
    const ref: VersionRef = { model: 'throttled', version: '2' };
    const files = await publishVersion(emulators.s3, ref, [{ path: 'weights.bin', size: 2048 }]);
    const { replicator, metric } = buildReplicator(throttledConfig());
    azureProxy.injectErrors(1_000, AZURE_SERVER_BUSY, (method) => method === 'PUT');

    const report = await replicator.reconcile();
    azureProxy.injectErrors(0, AZURE_SERVER_BUSY);

    const outcomes = Object.fromEntries(report.routes.flatMap((route) => route.results.filter((result) => result.ref.version === '2').map((result) => [route.destination, result.outcome])));
    expect(outcomes).toEqual({ 'europe-west1': 'replicated', centralindia: 'failed' });
    expect(await azure.stat(manifestKey(ref))).toBeUndefined();
    expect(await metric('skyline_replicator_failures_total', { destination: 'centralindia', reason: 'throttled' })).toBeGreaterThan(0);
    expect(await metric('skyline_replicator_pending_objects', { destination: 'centralindia' })).toBe(2);
    expect(await metric('skyline_replicator_lag_seconds', { destination: 'centralindia' })).toBeGreaterThan(0);

    const retried = await replicator.reconcile();
    expect(retried.routes.flatMap((route) => route.results.filter((result) => result.ref.version === '2').map((result) => [route.destination, result.outcome]))).toEqual([['centralindia', 'replicated']]);
    expect(await digestAt(azure, fileKey(ref, 'weights.bin'))).toEqual({ sha256: files[0].sha256, size: 2048 });
    expect(await metric('skyline_replicator_pending_objects', { destination: 'centralindia' })).toBe(0);
    expect(await metric('skyline_replicator_lag_seconds', { destination: 'centralindia' })).toBe(0);
  });

  it('reconciles the other destinations when one cannot be listed, and reports that one', async () => {
    const ref: VersionRef = { model: 'throttled', version: '3' };
    await publishVersion(emulators.s3, ref, [{ path: 'weights.bin', size: 1024 }]);
    const { replicator, metric } = buildReplicator(throttledConfig());
    azureProxy.injectErrors(1_000, AZURE_SERVER_BUSY, (method) => method === 'GET');

    const report = await replicator.reconcile();
    azureProxy.injectErrors(0, AZURE_SERVER_BUSY);

    const azureRoute = report.routes.find((route) => route.destination === 'centralindia');
    expect(azureRoute?.error).toMatch(/Egress is over the account limit|ServerBusy/);
    expect(azureRoute?.results).toEqual([]);
    expect(report.routes.find((route) => route.destination === 'europe-west1')?.results.map((result) => result.outcome)).toEqual(['replicated']);
    expect(replicator.ready).toBe(false);
    expect(await metric('skyline_replicator_objects_copied_total', { destination: 'europe-west1' })).toBe(2);
  });

  it('deletes a written copy that does not verify and copies the object again', async () => {
    const ref: VersionRef = { model: 'throttled', version: '4' };
    const [file] = await publishVersion(emulators.s3, ref, [{ path: 'weights.bin', size: 4096 }]);
    const { replicator, metric } = buildReplicator(throttledConfig());
    const injectedBefore = azureProxy.injected;
    // The Put Blob of the first copy is answered with another MD5 than that of the bytes sent, as if Azure had stored
    // something else (the upload's answer is what verifies a single-request copy on Azure).
    const otherMd5 = Buffer.alloc(16, 7).toString('base64');
    azureProxy.injectErrors(1, { status: 201, body: '', headers: { 'content-md5': otherMd5, etag: '"0x1"', 'last-modified': new Date().toUTCString() } }, (method) => method === 'PUT');

    const report = await replicator.reconcile();

    expect(azureProxy.injected - injectedBefore).toBe(1);
    expect(report.routes.flatMap((route) => route.results.filter((result) => result.ref.version === '4').map((result) => [route.destination, result.outcome])).sort()).toEqual([
      ['centralindia', 'replicated'],
      ['europe-west1', 'replicated'],
    ]);
    expect(await metric('skyline_replicator_failures_total', { destination: 'centralindia', reason: 'verify-mismatch' })).toBe(1);
    expect(await digestAt(azure, fileKey(ref, 'weights.bin'))).toEqual({ sha256: file.sha256, size: 4096 });
  });
});
