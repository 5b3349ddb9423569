/**
 * The emulated clouds, on 127.0.0.1, started through the test harness (test/helpers/peers.ts) so that they run
 * exactly as in the service tests: moto (S3, SQS, Route53), fake-gcs-server (GCS), Azurite (Blob).
 * `cloudEnvironment` is what every service process needs to reach them through its SDK's standard settings.
 */
import { AZURITE_ACCOUNT, startAzurite, startFakeGcs, startMoto, type AzuritePeer, type Peer, type PeerProcess } from '../../test/helpers/peers';
import { EMULATOR_CREDENTIALS } from './dns-records';
import { runTask, type Output } from './output';

export interface Emulators {
  readonly moto: Peer;
  readonly gcs: PeerProcess;
  readonly azurite: AzuritePeer;
}

/** A local GCS accepts any project; the SDK wants one. */
export const EMULATOR_GCP_PROJECT = 'skyline-local';

/** Starts the three emulators side by side; if one fails, the others are stopped before the error is thrown. */
export async function startEmulators(output: Output): Promise<Emulators> {
  const results = await Promise.allSettled([
    runTask(output, 'moto (S3, SQS, Route53)', () => startMoto(), (peer) => peer.url),
    runTask(output, 'fake-gcs-server (GCS)', () => startFakeGcs(), (peer) => peer.url),
    runTask(output, 'Azurite (Blob)', () => startAzurite(), (peer) => peer.blobAccountUrl),
  ]);
  const [moto, gcs, azurite] = results;
  if (moto.status === 'fulfilled' && gcs.status === 'fulfilled' && azurite.status === 'fulfilled') {
    return { moto: moto.value, gcs: gcs.value, azurite: azurite.value };
  }
  await Promise.all(results.map((result) => (result.status === 'fulfilled' ? result.value.stop() : undefined)));
  throw (results.find((result) => result.status === 'rejected') as PromiseRejectedResult).reason;
}

export async function stopEmulators(emulators: Emulators): Promise<void> {
  await Promise.all([emulators.moto.stop(), emulators.gcs.stop(), emulators.azurite.stop()]);
}

/**
 * The SDKs' standard settings pointing at the emulators (DESIGN § 6: no test mode in the services): AWS's
 * endpoint variable for every AWS service, GCS's emulator host, Azure's connection string and account key (the
 * emulator's well-known development account).
 */
export function cloudEnvironment(emulators: Emulators): Record<string, string> {
  return {
    AWS_ENDPOINT_URL: emulators.moto.url,
    AWS_ACCESS_KEY_ID: EMULATOR_CREDENTIALS.accessKeyId,
    AWS_SECRET_ACCESS_KEY: EMULATOR_CREDENTIALS.secretAccessKey,
    AWS_REGION: 'us-east-1',
    STORAGE_EMULATOR_HOST: emulators.gcs.url,
    GOOGLE_CLOUD_PROJECT: EMULATOR_GCP_PROJECT,
    AZURE_STORAGE_CONNECTION_STRING: emulators.azurite.connectionString,
    // The cost analyzer takes the account key (services/cost-analyzer/src/config.ts, azureAccountKey).
    SKYLINE_COST_AZURE_ACCOUNT_KEY: AZURITE_ACCOUNT.key,
  };
}
