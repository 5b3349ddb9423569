/**
 * Replication scenarios against the real emulators (moto S3, fake-gcs-server, Azurite), the replicator assembled
 * in-process: a new version in S3 appears byte for byte in GCS and Azure with its manifest last; a corrupted
 * destination copy is found and repaired by the reconcile; a source object deleted during the copy is skipped;
 * versions that are not publishable are reported, not copied.
 */
import { DeleteObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { createHash } from 'node:crypto';
import { fileKey, manifestKey, type VersionRef } from '../../../services/replicator/src/layout';
import type { ObjectStore } from '../../../services/replicator/src/stores/object-store';
import { AZURE_CONTAINER, content, digestAt, GCS_STORE, MiB, publishVersion, putManifest, replicateConfig, S3_STORE, sourceManifestBytes, startEmulators, stores, watchManifests, type Emulators } from './emulators';
import { buildReplicator } from './in-process';

jest.setTimeout(60_000);

let emulators: Emulators;
let gcs: ObjectStore;
let azure: ObjectStore;

beforeAll(async () => {
  emulators = await startEmulators();
  ({ gcs, azure } = stores(emulators));
}, 60_000);

afterAll(() => emulators?.stop());

const sha256 = (data: Buffer): string => createHash('sha256').update(data).digest('hex');

describe('replication from S3 to GCS and Azure', () => {
  const ref: VersionRef = { model: 'resnet', version: '1' };

  it('copies a new version byte for byte, files first and the manifest last', async () => {
    const files = await publishVersion(emulators.s3, ref, [
      { path: 'model.onnx', size: 20 * MiB + 123 },
      { path: 'config/labels.txt', size: 1000 },
      { path: 'empty.bin', size: 0 },
    ]);
    const { replicator, metric } = buildReplicator(replicateConfig(emulators));
    const watcher = watchManifests([gcs, azure], ref, files);
    const report = await replicator.reconcile();
    const watched = await watcher.stop();

    expect(watched.violations).toEqual([]);
    expect(watched.sawFilesWithoutManifest).toBe(true);
    expect(report.routes.map((route) => [route.destination, route.results.map((result) => result.outcome)]).sort()).toEqual([
      ['centralindia', ['replicated']],
      ['europe-west1', ['replicated']],
    ]);
    const manifest = await sourceManifestBytes(emulators.s3, ref);
    for (const destination of [gcs, azure]) {
      for (const file of files) {
        expect(await digestAt(destination, fileKey(ref, file.path))).toEqual({ sha256: file.sha256, size: file.size });
        expect((await destination.stat(fileKey(ref, file.path)))?.sha256).toBe(file.sha256);
      }
      expect(await digestAt(destination, manifestKey(ref))).toEqual({ sha256: sha256(manifest), size: manifest.length });
    }
    expect(await metric('skyline_replicator_objects_copied_total', { destination: 'europe-west1' })).toBe(4);
    expect(await metric('skyline_replicator_bytes_copied_total', { destination: 'centralindia' })).toBe(20 * MiB + 123 + 1000 + manifest.length);
    expect(await metric('skyline_replicator_pending_objects')).toBe(0);
    expect(await metric('skyline_replicator_lag_seconds')).toBe(0);
    expect(await metric('skyline_replicator_failures_total')).toBe(0);

    // A second pass finds everything in place and copies nothing.
    const again = await replicator.reconcile();
    expect(again.routes.map((route) => [route.inSync, route.results.length])).toEqual([
      [1, 0],
      [1, 0],
    ]);
    expect(await metric('skyline_replicator_objects_copied_total')).toBe(8);
  });

  it('finds corrupted and missing destination copies, withdraws the manifest, repairs them and reports it', async () => {
    const model = fileKey(ref, 'model.onnx');
    const labels = fileKey(ref, 'config/labels.txt');
    const expected = await digestAt(gcs, model);
    // GCS: overwritten with other bytes of the same size, by a writer that sets no metadata.
    await emulators.storage.bucket(GCS_STORE.bucket).file(model).save(content('junk', expected.size), { resumable: false });
    // Azure: cut short, still claiming the right hash in its metadata; and a file deleted.
    const truncated = content('resnet/1/model.onnx', 4096);
    await emulators.blobs.getContainerClient(AZURE_CONTAINER).getBlockBlobClient(model).upload(truncated, truncated.length, { metadata: { sha256: expected.sha256 } });
    await emulators.blobs.getContainerClient(AZURE_CONTAINER).deleteBlob(labels);

    const { replicator, metric, logs } = buildReplicator(replicateConfig(emulators, { logLevel: 'info' }));
    const report = await replicator.reconcile();

    const repaired = Object.fromEntries(report.routes.map((route) => [route.destination, route.results.flatMap((result) => result.copied.map((object) => `${object.key} ${object.reason}`))]));
    expect(repaired).toEqual({
      'europe-west1': [`${model} differs`, `${manifestKey(ref)} missing`],
      centralindia: [`${model} differs`, `${labels} missing`, `${manifestKey(ref)} missing`],
    });
    for (const destination of [gcs, azure]) {
      expect(await digestAt(destination, model)).toEqual(expected);
      expect(await destination.stat(manifestKey(ref))).toBeDefined();
    }
    expect(await digestAt(azure, labels)).toEqual({ size: 1000, sha256: sha256(content('resnet/1/config/labels.txt', 1000)) });
    expect(await metric('skyline_replicator_repairs_total', { destination: 'centralindia', reason: 'differs' })).toBe(1);
    expect(await metric('skyline_replicator_repairs_total', { destination: 'centralindia', reason: 'missing' })).toBe(2);
    expect(logs().filter((line) => line.msg === 'withdrawing the destination manifest: files under it do not verify')).toHaveLength(2);
    expect(logs().filter((line) => line.msg === 'reconcile repaired').map((line) => [line.destination, line.repaired]).sort()).toEqual([
      ['centralindia', { differs: 1, missing: 2 }],
      ['europe-west1', { differs: 1, missing: 1 }],
    ]);
  });

  it('skips a source object deleted during the copy, and writes no manifest for its version', async () => {
    const vanishing: VersionRef = { model: 'resnet', version: '2' };
    const files = await publishVersion(emulators.s3, vanishing, [
      { path: 'big.bin', size: 24 * MiB },
      { path: 'small.txt', size: 1024 },
    ]);
    // One copy at a time per destination, and 48 MiB through a 16 MiB/s limit: small.txt is copied 2 s after the
    // start at the earliest, and deleted at 0.3 s.
    const { replicator, metric, logs } = buildReplicator(replicateConfig(emulators, { copy: { multipartThresholdMiB: 8, partSizeMiB: 5, concurrencyPerDestination: 1, bandwidthLimitMiBps: 16 } }));
    const watcher = watchManifests([gcs, azure], vanishing, files);
    const reconciling = replicator.reconcile();
    await new Promise((resolve) => setTimeout(resolve, 300));
    await emulators.s3.send(new DeleteObjectCommand({ Bucket: S3_STORE.bucket, Key: fileKey(vanishing, 'small.txt') }));
    const report = await reconciling;
    const watched = await watcher.stop();

    const results = report.routes.flatMap((route) => route.results.filter((result) => result.ref.version === '2'));
    expect(results.map((result) => [result.outcome, result.copied.map((object) => object.key)])).toEqual([
      ['incomplete', [fileKey(vanishing, 'big.bin')]],
      ['incomplete', [fileKey(vanishing, 'big.bin')]],
    ]);
    expect(watched.violations).toEqual([]);
    for (const destination of [gcs, azure]) expect(await destination.stat(manifestKey(vanishing))).toBeUndefined();
    expect(await metric('skyline_replicator_skipped_objects_total', { reason: 'source-vanished' })).toBe(2);
    expect(await metric('skyline_replicator_failures_total')).toBe(0);
    expect(logs().filter((line) => line.msg === 'source object vanished during the copy; skipped')).toHaveLength(2);
    // The version stays pending: it lags until its source is whole again.
    expect(await metric('skyline_replicator_pending_objects', { destination: 'europe-west1' })).toBe(2);

    // The next pass sees a manifest listing a file the source no longer has: reported, not copied.
    const next = await replicator.reconcile();
    expect(next.routes.flatMap((route) => route.skipped.filter((skipped) => skipped.ref.version === '2').map((skipped) => skipped.reason))).toEqual(['source-missing', 'source-missing']);
    expect(await metric('skyline_replicator_skipped_versions', { destination: 'centralindia', reason: 'source-missing' })).toBe(1);
    for (const destination of [gcs, azure]) expect(await destination.stat(manifestKey(vanishing))).toBeUndefined();
  });

  it('copies nothing of a version without a manifest or with an invalid one, and reports the invalid one', async () => {
    const unpublished: VersionRef = { model: 'bert', version: '1' };
    const invalid: VersionRef = { model: 'bert', version: '2' };
    await publishVersion(emulators.s3, unpublished, [{ path: 'weights.bin', size: 4096 }], { manifest: false });
    await publishVersion(emulators.s3, invalid, [{ path: 'weights.bin', size: 4096 }], { manifest: false });
    await emulators.s3.send(new PutObjectCommand({ Bucket: S3_STORE.bucket, Key: manifestKey(invalid), Body: '{"files": "not a list"}' }));

    const { replicator, metric, logs } = buildReplicator(replicateConfig(emulators));
    const report = await replicator.reconcile();

    const skipped = report.routes.flatMap((route) => route.skipped.filter((entry) => entry.ref.model === 'bert').map((entry) => `${route.destination} ${entry.ref.version} ${entry.reason}`));
    expect(skipped.sort()).toEqual(['centralindia 1 incomplete', 'centralindia 2 bad-manifest', 'europe-west1 1 incomplete', 'europe-west1 2 bad-manifest']);
    for (const destination of [gcs, azure]) expect(await destination.list('models/bert/', { metadata: false })).toEqual([]);
    expect(await metric('skyline_replicator_skipped_versions', { destination: 'europe-west1', reason: 'bad-manifest' })).toBe(1);
    expect(logs().some((line) => line.msg === 'invalid manifest: its version is not replicated' && String(line.key) === manifestKey(invalid))).toBe(true);

    // Once its manifest is there, the version is replicated.
    await putManifest(emulators.s3, unpublished, [{ path: 'weights.bin', size: 4096, sha256: sha256(content('bert/1/weights.bin', 4096)) }]);
    const after = await replicator.reconcile();
    expect(after.routes.flatMap((route) => route.results.filter((result) => result.ref.model === 'bert').map((result) => result.outcome))).toEqual(['replicated', 'replicated']);
  });
});
