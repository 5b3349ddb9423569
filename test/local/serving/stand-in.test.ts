/**
 * The model server stand-in, in process, over a sync directory laid out by the sync sidecar's own code
 * (LocalVersions): it serves only a version that verifies against its manifest, and reloads on the signal.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { createLogger } from '../../../services/common/src/logger';
import { buildManifest, sha256Hex } from '../../../services/replicator/src/manifest';
import { LocalVersions } from '../../../services/replicator/src/sync/local-versions';
import { ServingStandIn, type ModelsStatus, type ReloadSignal } from '../../../scripts/local/serving/stand-in';

jest.setTimeout(15_000);

let directory: string;
const logs: string[] = [];
const running: ServingStandIn[] = [];

beforeEach(async () => {
  directory = mkdtempSync(join(tmpdir(), 'skyline-stand-in-'));
  logs.length = 0;
  await new LocalVersions(directory).prepare();
});

afterEach(async () => {
  await Promise.all(running.splice(0).map((standIn) => standIn.stop()));
  rmSync(directory, { recursive: true, force: true });
});

async function start(reload: ReloadSignal): Promise<{ url: string; standIn: ServingStandIn }> {
  const destination = new Writable({
    write(chunk: Buffer, _encoding, done) {
      logs.push(chunk.toString('utf8'));
      done();
    },
  });
  const standIn = new ServingStandIn({ region: 'europe-west1', cloud: 'gcp', model: 'resnet', directory, reload, host: '127.0.0.1', port: 0, logger: createLogger({ service: 'model-serving', level: 'info', destination }) });
  running.push(standIn);
  return { url: await standIn.start(), standIn };
}

/** Installs a version as the sidecar does; `corrupt` writes a file that differs from what the manifest says. */
async function install(version: string, options: { corrupt?: boolean } = {}): Promise<void> {
  const content = Buffer.from(`weights of ${version}`);
  const manifest = buildManifest([{ path: 'model.onnx', size: content.length, sha256: sha256Hex(content) }]);
  const local = new LocalVersions(directory);
  const installed = { version, manifestSha256: sha256Hex(manifest) };
  const staging = await local.staging(installed);
  writeFileSync(join(staging, 'model.onnx'), options.corrupt ? Buffer.from(`WEIGHTS OF ${version}`) : content);
  writeFileSync(join(staging, 'MANIFEST.json'), manifest);
  await local.install(staging, installed);
}

async function status(url: string): Promise<ModelsStatus> {
  return (await (await fetch(`${url}/v1/models`)).json()) as ModelsStatus;
}

async function until(what: string, check: () => Promise<boolean>): Promise<void> {
  const deadline = Date.now() + 5_000;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe('with a file signal', () => {
  const signalFile = (): string => join(directory, '.reload');

  it('is not ready before a version is current, then loads each version the sidecar signals', async () => {
    const { url } = await start({ kind: 'file', path: signalFile() });
    expect((await fetch(`${url}/health`)).status).toBe(503);

    await install('1');
    writeFileSync(signalFile(), '1\n');
    await until('version 1', async () => (await status(url)).loaded?.version === '1');
    expect((await fetch(`${url}/health`)).status).toBe(200);
    expect(await status(url)).toMatchObject({ region: 'europe-west1', cloud: 'gcp', loaded: { model: 'resnet', version: '1', files: 1, bytes: 'weights of 1'.length }, loads: 1 });

    await install('2');
    writeFileSync(signalFile(), '2\n');
    await until('version 2', async () => (await status(url)).loaded?.version === '2');
    const metrics = await (await fetch(`${url}/metrics`)).text();
    expect(metrics).toMatch(/skyline_serving_model_loaded\{model="resnet",version="2",service="model-serving"\} 1/);
    expect(metrics).not.toMatch(/version="1"/);
    expect(metrics).toMatch(/http_requests_total\{handler="\/health",method="GET",status="2xx",service="model-serving"\} 1/);
  });

  it('keeps serving the version it has when the signalled one does not match its manifest', async () => {
    await install('1');
    const { url, standIn } = await start({ kind: 'file', path: signalFile() });
    // What main.ts does at start: load what is current already (a restarted server gets no signal for it).
    expect(await standIn.loadCurrent()).toMatchObject({ version: '1' });
    await install('2', { corrupt: true });
    writeFileSync(signalFile(), '2\n');
    await until('the refusal in the log', async () => logs.some((line) => line.includes('the signalled version does not load')));
    expect((await status(url)).loaded?.version).toBe('1');
    expect(logs.join('')).toContain('model.onnx of resnet 2 does not match its manifest');
  });
});

describe('with an http signal', () => {
  it('loads the current version on POST, and answers 409 for one that does not verify', async () => {
    const { url } = await start({ kind: 'http', path: '/admin/reload' });
    await install('1');
    const loaded = await fetch(`${url}/admin/reload`, { method: 'POST', body: JSON.stringify({ model: 'resnet', version: '1' }) });
    expect(loaded.status).toBe(200);
    expect(await loaded.json()).toMatchObject({ version: '1' });

    await install('2', { corrupt: true });
    const refused = await fetch(`${url}/admin/reload`, { method: 'POST', body: '{}' });
    expect(refused.status).toBe(409);
    expect(((await refused.json()) as { error: string }).error).toContain('does not match its manifest');
    expect((await status(url)).loaded?.version).toBe('1');
    expect((await fetch(`${url}/admin/reload`)).status).toBe(404);
  });
});
