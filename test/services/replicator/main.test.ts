/**
 * The replicator as a process (the package.json script with `--config PATH`, as in the image): a bad config exits
 * 2 with every problem listed; a good one serves /healthz, /readyz and /metrics and drains on SIGTERM with exit 0;
 * killed (SIGKILL) in the middle of a version it leaves no manifest at any destination, and a restart completes it.
 */
import { fileKey, manifestKey, type VersionRef } from '../../../services/replicator/src/layout';
import type { ObjectStore } from '../../../services/replicator/src/stores/object-store';
import { freePort, httpRequest } from '../../helpers/peers';
import { digestAt, MiB, publishVersion, replicateConfig, startEmulators, stores, waitFor, watchManifests, type Emulators } from './emulators';
import { startReplicatorProcess } from './process';

jest.setTimeout(60_000);

let emulators: Emulators;
let gcs: ObjectStore;
let azure: ObjectStore;

beforeAll(async () => {
  emulators = await startEmulators();
  ({ gcs, azure } = stores(emulators));
}, 60_000);

afterAll(() => emulators?.stop());

describe('the replicator process', () => {
  it('refuses a bad config with exit code 2, naming each field, value and fix', async () => {
    const process = startReplicatorProcess(
      { mode: 'replicate', stores: [{ name: 'us-west-2', kind: 's3', bucket: 'Bad_Bucket', region: 'us-west-2' }], copy: { partSizeMiB: 0 } },
      emulators.env,
    );
    expect(await process.exited).toBe(2);
    expect(process.stderr()).toContain('Invalid config');
    expect(process.stderr()).toContain('stores: must list at least two stores: a source and a destination');
    expect(process.stderr()).toContain('stores[0].bucket: must be a bucket name: 3-63 lowercase letters, digits, dots or hyphens (got "Bad_Bucket")');
    expect(process.stderr()).toContain('copy.partSizeMiB: must be more than 0 MiB');
  });

  it('serves health, readiness and metrics, and drains on SIGTERM with exit code 0', async () => {
    const port = await freePort();
    const process = startReplicatorProcess(replicateConfig(emulators, { server: { host: '127.0.0.1', port }, logLevel: 'info' }), emulators.env);
    const url = `http://127.0.0.1:${port}`;
    await waitFor('/readyz to answer 200', async () => ((await httpRequest(`${url}/readyz`).catch(() => undefined))?.status === 200 ? true : undefined), 20_000);
    expect((await httpRequest(`${url}/healthz`)).status).toBe(200);
    const metrics = (await httpRequest(`${url}/metrics`)).body;
    expect(metrics).toContain('skyline_replicator_lag_seconds{source="us-west-2",destination="europe-west1",service="replicator"} 0');
    expect(metrics).toContain('skyline_replicator_pending_objects{source="us-west-2",destination="centralindia",service="replicator"} 0');
    expect(metrics).toContain('# TYPE skyline_replicator_objects_copied_total counter');
    expect(metrics).toContain('skyline_replicator_reconciles_total{result="ok",service="replicator"} 1');

    expect(await process.terminate()).toBe(0);
    const messages = process.logs().map((line) => line.msg);
    expect(messages).toEqual(expect.arrayContaining(['listening', 'reconcile pass done', 'draining', 'drained, exiting']));
    expect(process.logs().every((line) => line.service === 'replicator' && typeof line.time === 'string')).toBe(true);
  });

  it('killed mid-version leaves no manifest at any destination; a restart completes the version', async () => {
    const ref: VersionRef = { model: 'llama', version: '7' };
    const files = await publishVersion(
      emulators.s3,
      ref,
      Array.from({ length: 6 }, (_, index) => ({ path: `shard-${index}.bin`, size: 4 * MiB })),
    );
    const watcher = watchManifests([gcs, azure], ref, files, 20);
    // Slowed down (48 MiB at 16 MiB/s, one copy at a time per destination) so that the kill lands mid-version.
    const slow = startReplicatorProcess(replicateConfig(emulators, { copy: { concurrencyPerDestination: 1, bandwidthLimitMiBps: 16, multipartThresholdMiB: 8, partSizeMiB: 5 } }), emulators.env);
    await waitFor('the first file at GCS', async () => ((await gcs.list(fileKey(ref, ''), { metadata: false })).length > 0 ? true : undefined), 30_000, 20);
    await slow.kill();

    const [atGcs, atAzure] = await Promise.all([gcs.list(fileKey(ref, ''), { metadata: false }), azure.list(fileKey(ref, ''), { metadata: false })]);
    expect(atGcs.map((object) => object.key)).not.toContain(manifestKey(ref));
    expect(atAzure.map((object) => object.key)).not.toContain(manifestKey(ref));
    expect(atGcs.length).toBeLessThan(files.length);

    const restarted = startReplicatorProcess(replicateConfig(emulators), emulators.env);
    await waitFor('the manifest at both destinations', async () => ((await gcs.stat(manifestKey(ref))) && (await azure.stat(manifestKey(ref))) ? true : undefined), 30_000);
    const watched = await watcher.stop();
    await restarted.terminate();

    expect(watched.violations).toEqual([]);
    expect(watched.polls).toBeGreaterThan(10);
    for (const destination of [gcs, azure]) {
      for (const file of files) expect(await digestAt(destination, fileKey(ref, file.path))).toEqual({ sha256: file.sha256, size: file.size });
    }
  });
});
