/**
 * The service as it runs: the `failover` script of package.json with `--config PATH`, in a child process (the
 * command `npm run failover` runs, and the image's entrypoint), against moto and a real endpoint, in dry-run mode: its HTTP port, its JSON logs, its
 * decisions written nowhere, a peer-token-protected observation endpoint, and a SIGTERM drain that exits 0.
 */
import type { Route53Client } from '@aws-sdk/client-route-53';
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import type { FailoverConfigInput } from '../../../services/failover/src/config';
import { PROJECT_ROOT } from '../../helpers/app-command';
import { freePort, startMoto, startRegionalEndpoint, type Peer, type RegionalEndpoint } from '../../helpers/peers';
import { DOMAIN, createRecordTree, readWeights, route53, waitFor } from './fleet';

jest.setTimeout(60_000);

const TOKEN = 'a'.repeat(64);
const FAILOVER_SCRIPT = (JSON.parse(readFileSync(join(PROJECT_ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts.failover;
let dir: string;
let moto: Peer;
let client: Route53Client;
let zoneId: string;
let primary: RegionalEndpoint;
let secondary: RegionalEndpoint;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'failover-main-'));
  [moto, primary, secondary] = await Promise.all([startMoto(), startRegionalEndpoint(), startRegionalEndpoint()]);
  client = route53(moto.url);
  zoneId = await createRecordTree(client);
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

interface Run {
  readonly child: ChildProcessWithoutNullStreams;
  readonly stdout: () => string;
  readonly stderr: () => string;
  readonly exited: Promise<number | null>;
}

function run(config: unknown, env: Record<string, string> = {}): Run {
  const path = join(dir, `config-${Math.random().toString(36).slice(2)}.yaml`);
  writeFileSync(path, typeof config === 'string' ? config : stringify(config));
  // The package.json script itself, without npm in between: the signal must reach the service, as in the image.
  const [command, ...args] = FAILOVER_SCRIPT.split(/\s+/);
  const child = spawn(command, [...args, '--config', path], {
    cwd: PROJECT_ROOT,
    env: { ...process.env, AWS_ENDPOINT_URL_ROUTE_53: moto.url, AWS_ACCESS_KEY_ID: 'testing', AWS_SECRET_ACCESS_KEY: 'testing', ...env },
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, stdout: () => stdout, stderr: () => stderr, exited };
}

function logLines(text: string): Record<string, unknown>[] {
  return text.split('\n').filter((line) => line.startsWith('{')).map((line) => JSON.parse(line) as Record<string, unknown>);
}

describe('the failover service process', () => {
  it('refuses a bad config with exit code 2, listing every problem', async () => {
    const result = run({ instance: { name: 'x', region: 'us-west-2' }, env: 'prod', domain: DOMAIN, regions: [], dns: { kind: 'route53', hostedZoneId: 'Z1' }, alerts: { kind: 'none' }, detection: { quorum: 0 } });
    expect(await result.exited).toBe(2);
    expect(result.stderr()).toContain('Invalid config');
    expect(result.stderr()).toContain('regions: must list at least two regions');
    expect(result.stderr()).toContain('detection.quorum: must be 1 or more');
  });

  it('runs in dry-run: serves health, metrics and observations, logs the decision, writes nothing, drains on SIGTERM with exit 0', async () => {
    const port = await freePort();
    const config: FailoverConfigInput = {
      instance: { name: 'from-the-file', region: 'europe-west1' },
      env: 'dev',
      domain: DOMAIN,
      regions: [
        { name: 'us-west-2', cloud: 'aws', address: '127.0.0.1', port: primary.port, scheme: 'http' },
        { name: 'europe-west1', cloud: 'gcp', address: '127.0.0.1', port: secondary.port, scheme: 'http' },
      ],
      dns: { kind: 'route53', hostedZoneId: zoneId },
      detection: { intervalSeconds: 0.2, quorum: 1, tcpTimeoutSeconds: 0.05, httpTimeoutSeconds: 0.1 },
      alerts: { kind: 'none' },
      server: { host: '127.0.0.1', port },
      dryRun: true,
      logLevel: 'debug',
    };
    const service = run(config, { SKYLINE_FAILOVER_PEER_TOKEN: TOKEN, POD_NAME: 'failover-6f5d-abcde' });
    const url = `http://127.0.0.1:${port}`;
    try {
      await waitFor('/readyz', 30_000, async () => ((await fetch(`${url}/readyz`)).status === 200 ? true : undefined), 100);
      expect((await fetch(`${url}/healthz`)).status).toBe(200);
      expect(await (await fetch(`${url}/metrics`)).text()).toMatch(/skyline_failover_region_healthy\{region="us-west-2",cloud="aws",service="failover"\} 1/);

      // Observations only with the peers' token.
      expect((await fetch(`${url}/observations`)).status).toBe(401);
      const observations = (await (await fetch(`${url}/observations`, { headers: { authorization: `Bearer ${TOKEN}` } })).json()) as { observer: string; regions: Record<string, { consecutiveSuccesses: number }> };
      expect(observations.observer).toBe('europe-west1');
      expect(observations.regions['us-west-2'].consecutiveSuccesses).toBeGreaterThan(0);

      primary.setMode('failing');
      await waitFor('the dry-run decision', 10_000, async () => (logLines(service.stdout()).some((line) => line.msg === 'dry run: would failover') ? true : undefined), 100);
      expect(await readWeights(client, zoneId, 'us-west-2')).toEqual({ self: 100, spill: 0 });

      service.child.kill('SIGTERM');
      expect(await service.exited).toBe(0);
      const lines = logLines(service.stdout());
      expect(lines[0]).toMatchObject({ level: 'info', service: 'failover', instance: 'failover-6f5d-abcde', observer: 'europe-west1', msg: 'failover controller started' });
      expect(lines.find((line) => line.msg === 'dry run: would failover')).toMatchObject({ region: 'us-west-2', dryRun: true, desired: { self: 0, spill: 100 } });
      expect(lines.slice(-2).map((line) => line.msg)).toEqual(['draining', 'drained, exiting']);
    } finally {
      primary.setMode('healthy');
      service.child.kill('SIGKILL');
    }
  });
});
