/**
 * A 1 GiB object copies from S3 to GCS and Azure at once with bounded memory: the replicator runs as its own
 * process and its peak resident set (the kernel's VmHWM) stays far below the object's size, so nothing buffers it
 * whole. The data is generated as a stream on both ends (never a 1 GiB buffer in the test either).
 */
import { fileKey, manifestKey, type VersionRef } from '../../../services/replicator/src/layout';
import { digestAt, MiB, publishVersion, replicateConfig, startEmulators, stores, waitFor, type Emulators } from './emulators';
import { startReplicatorProcess } from './process';

jest.setTimeout(120_000);

/**
 * The bound asserted, under a third of the object. Measured: 180–235 MiB (the idle process alone: about 107 MiB;
 * more when the test shares the CPUs and the garbage collector runs later); buffering the object would need 1 GiB.
 */
const PEAK_RSS_BOUND_MiB = 300;

let emulators: Emulators;

beforeAll(async () => {
  emulators = await startEmulators();
}, 60_000);

afterAll(() => emulators?.stop());

it('copies a 1 GiB object to GCS and Azure with a peak RSS under 300 MiB', async () => {
  const ref: VersionRef = { model: 'big', version: '1' };
  const [file] = await publishVersion(emulators.s3, ref, [{ path: 'weights.bin', size: 1024 * MiB }]);
  const { gcs, azure } = stores(emulators);

  const replicator = startReplicatorProcess(replicateConfig(emulators, { copy: { multipartThresholdMiB: 16, partSizeMiB: 8, concurrencyPerDestination: 4 } }), emulators.env);
  let peakMiB = 0;
  await waitFor(
    'the manifest at both destinations',
    async () => {
      peakMiB = replicator.peakRssMiB();
      return (await gcs.stat(manifestKey(ref))) && (await azure.stat(manifestKey(ref))) ? true : undefined;
    },
    90_000,
    250,
  );
  peakMiB = replicator.peakRssMiB();
  await replicator.terminate();

  process.stdout.write(`1 GiB copy to GCS and Azure: peak RSS ${peakMiB.toFixed(0)} MiB\n`);
  expect(peakMiB).toBeLessThan(PEAK_RSS_BOUND_MiB);
  const [atGcs, atAzure] = await Promise.all([digestAt(gcs, fileKey(ref, 'weights.bin')), digestAt(azure, fileKey(ref, 'weights.bin'))]);
  expect(atGcs).toEqual({ sha256: file.sha256, size: 1024 * MiB });
  expect(atAzure).toEqual({ sha256: file.sha256, size: 1024 * MiB });
});
