/**
 * The sync sidecar against real stores: it installs the newest version whose every file verifies, switches
 * `current` atomically while another process reads it, keeps the previous version until the next switch,
 * refuses a version that does not verify, rolls back when the newest version is withdrawn, and signals the
 * serving container (file or HTTP). In-process against fake-gcs-server; as a process against Azurite.
 */
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { createLogger } from '../../../services/common/src/logger';
import { createMetricsRegistry } from '../../../services/common/src/metrics';
import { parseReplicatorConfig, type SyncConfig } from '../../../services/replicator/src/config';
import { fileKey, manifestKey, type VersionRef } from '../../../services/replicator/src/layout';
import { buildManifest } from '../../../services/replicator/src/manifest';
import { createObjectStore } from '../../../services/replicator/src/stores/factory';
import { LocalVersions } from '../../../services/replicator/src/sync/local-versions';
import { createSignal } from '../../../services/replicator/src/sync/signal';
import { SyncMetrics } from '../../../services/replicator/src/sync/sync-metrics';
import { Syncer } from '../../../services/replicator/src/sync/syncer';
import { PROJECT_ROOT } from '../../helpers/app-command';
import { freePort, httpRequest } from '../../helpers/peers';
import { AZURE_CONTAINER, content, GCS_STORE, MiB, startEmulators, waitFor, type Emulators } from './emulators';
import { startReplicatorProcess } from './process';

jest.setTimeout(60_000);

let emulators: Emulators;
let dir: string;

beforeAll(async () => {
  emulators = await startEmulators();
  dir = mkdtempSync(join(tmpdir(), 'skyline-sync-'));
}, 60_000);

afterAll(async () => {
  await emulators?.stop();
  rmSync(dir, { recursive: true, force: true });
});

const sha256 = (data: Buffer): string => createHash('sha256').update(data).digest('hex');

interface Published {
  readonly manifestSha256: string;
}

/** Writes a version the way a producer does, files then manifest, through `put`. */
async function publish(put: (key: string, data: Buffer) => Promise<void>, ref: VersionRef, files: readonly { readonly path: string; readonly data: Buffer }[]): Promise<Published> {
  for (const file of files) await put(fileKey(ref, file.path), file.data);
  const manifest = buildManifest(files.map((file) => ({ path: file.path, size: file.data.length, sha256: sha256(file.data) })));
  await put(manifestKey(ref), manifest);
  return { manifestSha256: sha256(manifest) };
}

const gcsPut = (key: string, data: Buffer): Promise<void> => emulators.storage.bucket(GCS_STORE.bucket).file(key).save(data, { resumable: false });

function versionFiles(version: string): { path: string; data: Buffer }[] {
  return [
    { path: 'model.bin', data: content(`ocr/${version}/model`, 3 * MiB) },
    { path: 'tokenizer/vocab.txt', data: content(`ocr/${version}/vocab`, 200_000) },
  ];
}

function buildSyncer(directory: string): { syncer: Syncer; registry: ReturnType<typeof createMetricsRegistry>; signalFile: string } {
  const signalFile = join(directory, '..', `${Math.random().toString(36).slice(2)}.reload`);
  const config = parseReplicatorConfig({ mode: 'sync', store: { kind: 'gcs', bucket: GCS_STORE.bucket }, model: 'ocr', directory, signal: { kind: 'file', path: signalFile }, retry: { attempts: 3, baseDelaySeconds: 0.05, maxDelaySeconds: 0.5 } }) as SyncConfig;
  const registry = createMetricsRegistry({ service: 'replicator', processMetrics: false });
  const quiet = new Writable({ write: (_chunk, _encoding, callback) => callback() });
  const store = createObjectStore(config.store, { retry: { attempts: 3, baseDelayMs: 50, maxDelayMs: 500 }, upload: { multipartThresholdBytes: 8 * MiB, partSizeBytes: 5 * MiB } });
  const syncer = new Syncer(config, { store, local: new LocalVersions(directory), signal: createSignal(config.signal), metrics: new SyncMetrics(registry), logger: createLogger({ service: 'replicator', level: 'silent', destination: quiet }) });
  return { syncer, registry, signalFile };
}

async function metric(registry: ReturnType<typeof createMetricsRegistry>, name: string, labels: Record<string, string> = {}): Promise<number> {
  const { values } = await (registry.getSingleMetric(name) as NonNullable<ReturnType<typeof registry.getSingleMetric>>).get();
  return values.filter((value) => Object.entries(labels).every(([label, expected]) => value.labels[label] === expected)).reduce((sum, value) => sum + value.value, 0);
}

describe('sync mode', () => {
  it('switches `current` atomically while a reader reads, keeping the previous version until the next switch', async () => {
    const directory = join(dir, 'switch');
    const { syncer, registry, signalFile } = buildSyncer(directory);
    await syncer.prepare();
    const v1 = await publish(gcsPut, { model: 'ocr', version: '1' }, versionFiles('1'));
    expect(await syncer.poll()).toEqual({ kind: 'switched', to: { version: '1', manifestSha256: v1.manifestSha256 }, downloaded: true });
    expect(readFileSync(signalFile, 'utf8')).toBe('1\n');

    const reader = spawn(process.execPath, ['--require', './scripts/register-ts.js', 'test/services/replicator/sync-reader.ts', directory], { cwd: PROJECT_ROOT });
    let output = '';
    reader.stdout.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
    const exited = new Promise<number | null>((resolve) => reader.once('exit', resolve));
    await new Promise((resolve) => setTimeout(resolve, 500));
    for (const version of ['2', '10']) {
      await publish(gcsPut, { model: 'ocr', version }, versionFiles(version));
      const result = await syncer.poll();
      expect(result.kind === 'switched' && result.to.version).toBe(version);
      await new Promise((resolve) => setTimeout(resolve, 300));
    }
    reader.kill('SIGTERM');
    expect(await exited).toBe(0);
    const summary = JSON.parse(output) as { reads: number; versions: string[] };
    expect(summary.versions.map((name) => name.split('@')[0]).sort()).toEqual(['1', '10', '2']);
    expect(summary.reads).toBeGreaterThan(10);

    // `10` is newer than `2` (numeric order); the previous version stays, the one before is gone.
    expect(readlinkSync(join(directory, 'current'))).toMatch(/^versions\/10@[0-9a-f]{12}$/);
    expect(readdirSync(join(directory, 'versions')).map((name) => name.split('@')[0]).sort()).toEqual(['10', '2']);
    expect(readdirSync(join(directory, '.staging'))).toEqual([]);
    expect(readFileSync(signalFile, 'utf8')).toBe('10\n');
    expect(await metric(registry, 'skyline_replicator_sync_switches_total')).toBe(3);
    expect(await metric(registry, 'skyline_replicator_sync_current_version_info', { version: '10' })).toBe(1);
    expect(await metric(registry, 'skyline_replicator_sync_current_version_info', { version: '2' })).toBe(0);
  });

  it('refuses a newer version that does not verify, installs it once repaired, and rolls back when it is withdrawn', async () => {
    const directory = join(dir, 'verify');
    const { syncer, registry } = buildSyncer(directory);
    await syncer.prepare();
    await syncer.poll(); // 10, from the test before
    const broken: VersionRef = { model: 'ocr', version: '11' };
    const files = versionFiles('11');
    await publish(gcsPut, broken, files);
    // The model file is overwritten after its manifest was written: same size, other bytes.
    await gcsPut(fileKey(broken, 'model.bin'), content('tampered', 3 * MiB));

    expect(await syncer.poll()).toEqual({ kind: 'unchanged', current: expect.objectContaining({ version: '10' }) });
    expect(await metric(registry, 'skyline_replicator_sync_failures_total', { reason: 'source-mismatch' })).toBe(1);
    expect(readdirSync(join(directory, '.staging'))).toEqual([]);
    const downloaded = await metric(registry, 'skyline_replicator_sync_bytes_downloaded_total');
    // Not downloaded again while nothing about it changed.
    await syncer.poll();
    expect(await metric(registry, 'skyline_replicator_sync_bytes_downloaded_total')).toBe(downloaded);

    await gcsPut(fileKey(broken, 'model.bin'), files[0].data);
    const repaired = await syncer.poll();
    expect(repaired.kind === 'switched' && repaired.to.version).toBe('11');

    // Withdrawn (its manifest deleted): back to 10, from the copy kept on disk.
    await emulators.storage.bucket(GCS_STORE.bucket).file(manifestKey(broken)).delete();
    expect(await syncer.poll()).toEqual({ kind: 'switched', to: expect.objectContaining({ version: '10' }), downloaded: false });
    expect(readlinkSync(join(directory, 'current'))).toMatch(/^versions\/10@/);
  });

  it('runs as a process against Azure Blob, POSTs the switch to the serving container, and drains on SIGTERM', async () => {
    const notices: unknown[] = [];
    const server: Server = createServer((request, response) => {
      let body = '';
      request.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
      request.on('end', () => {
        notices.push({ method: request.method, url: request.url, body: JSON.parse(body) as unknown });
        response.writeHead(204).end();
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const reloadUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v2/repository/models/asr/load`;
    const container = emulators.blobs.getContainerClient(AZURE_CONTAINER);
    const azurePut = async (key: string, data: Buffer): Promise<void> => void (await container.getBlockBlobClient(key).upload(data, data.length));
    await publish(azurePut, { model: 'asr', version: '2024-06-01' }, [{ path: 'model.bin', data: content('asr', 100_000) }]);

    const directory = join(dir, 'process');
    const port = await freePort();
    const sidecar = startReplicatorProcess(
      {
        mode: 'sync',
        store: { kind: 'azure-blob', accountUrl: emulators.azurite.blobAccountUrl, container: AZURE_CONTAINER },
        model: 'asr',
        directory,
        pollIntervalSeconds: 0.2,
        signal: { kind: 'http', url: reloadUrl },
        server: { host: '127.0.0.1', port },
      },
      emulators.env,
    );
    await waitFor('the first reload call', async () => (notices.length > 0 ? true : undefined), 20_000);
    expect((await httpRequest(`http://127.0.0.1:${port}/readyz`)).status).toBe(200);
    await publish(azurePut, { model: 'asr', version: '2024-06-02' }, [{ path: 'model.bin', data: content('asr-2', 100_000) }]);
    await waitFor('the second reload call', async () => (notices.length > 1 ? true : undefined), 20_000);
    expect(await sidecar.terminate()).toBe(0);
    server.close();

    expect(notices).toEqual([
      { method: 'POST', url: '/v2/repository/models/asr/load', body: { model: 'asr', version: '2024-06-01', path: join(directory, 'current') } },
      { method: 'POST', url: '/v2/repository/models/asr/load', body: { model: 'asr', version: '2024-06-02', path: join(directory, 'current') } },
    ]);
    expect(readFileSync(join(directory, 'current', 'model.bin')).equals(content('asr-2', 100_000))).toBe(true);
    expect(existsSync(join(directory, 'current', 'MANIFEST.json'))).toBe(true);
  });
});
