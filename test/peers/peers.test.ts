/**
 * The peer harness itself (test/helpers/peers.ts): each peer is real and answers as the service tests will rely
 * on. Needs `bash scripts/install-peers.sh` (npm test runs it).
 */
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import {
  ChangeResourceRecordSetsCommand,
  CreateHostedZoneCommand,
  GetChangeCommand,
  ListHostedZonesCommand,
  ListResourceRecordSetsCommand,
  Route53Client,
} from '@aws-sdk/client-route-53';
import { PROJECT_ROOT } from '../helpers/app-command';
import {
  freePort,
  httpRequest,
  route53Error,
  route53GetChange,
  startAlertmanager,
  startFaultProxy,
  startMoto,
  startRegionalEndpoint,
  type AlertmanagerPeer,
  type Peer,
} from '../helpers/peers';

// Starting processes takes a second or two; a loaded CI machine may take longer.
const START_TIMEOUT_MS = 40_000;

function route53(endpoint: string, maxAttempts = 1): Route53Client {
  return new Route53Client({
    endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    maxAttempts,
  });
}

/** The error a request fails with, e.g. its code (ECONNREFUSED) or message. */
async function failure(promise: Promise<unknown>): Promise<NodeJS.ErrnoException> {
  try {
    await promise;
  } catch (error) {
    return error as NodeJS.ErrnoException;
  }
  throw new Error('expected the request to fail');
}

test('freePort gives a distinct bindable port on 127.0.0.1', async () => {
  const [a, b] = await Promise.all([freePort(), freePort()]);
  expect(a).toBeGreaterThan(1024);
  expect(b).not.toBe(a);
});

describe('moto', () => {
  let moto: Peer;
  beforeAll(async () => {
    moto = await startMoto();
  }, START_TIMEOUT_MS);
  afterAll(() => moto.stop());

  test('serves Route53: zone, record change, listing, change status', async () => {
    const client = route53(moto.url);
    const zone = await client.send(new CreateHostedZoneCommand({ Name: 'skyline.test.', CallerReference: `peers-${Date.now()}` }));
    const zoneId = zone.HostedZone?.Id;
    expect(zoneId).toMatch(/^\/hostedzone\//);

    const change = await client.send(
      new ChangeResourceRecordSetsCommand({
        HostedZoneId: zoneId,
        ChangeBatch: {
          Changes: [
            {
              Action: 'UPSERT',
              ResourceRecordSet: {
                Name: 'api.skyline.test.',
                Type: 'A',
                SetIdentifier: 'us-west-2',
                Failover: 'PRIMARY',
                TTL: 30,
                ResourceRecords: [{ Value: '192.0.2.10' }],
              },
            },
          ],
        },
      }),
    );
    const changeId = change.ChangeInfo?.Id;
    expect(changeId).toBeDefined();

    const records = await client.send(new ListResourceRecordSetsCommand({ HostedZoneId: zoneId }));
    expect(records.ResourceRecordSets).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ Name: 'api.skyline.test.', Type: 'A', Failover: 'PRIMARY', ResourceRecords: [{ Value: '192.0.2.10' }] }),
      ]),
    );
    // moto applies changes at once: GetChange answers INSYNC immediately (real Route53: PENDING for ~a minute).
    const status = await client.send(new GetChangeCommand({ Id: changeId }));
    expect(status.ChangeInfo?.Status).toBe('INSYNC');

    // The fault proxy plays the PENDING phase.
    const proxy = await startFaultProxy(moto.url);
    try {
      proxy.injectErrors(2, route53GetChange(changeId!, 'PENDING'));
      const viaProxy = route53(proxy.url);
      const polls: (string | undefined)[] = [];
      for (let i = 0; i < 3; i++) polls.push((await viaProxy.send(new GetChangeCommand({ Id: changeId }))).ChangeInfo?.Status);
      expect(polls).toEqual(['PENDING', 'PENDING', 'INSYNC']);
    } finally {
      await proxy.stop();
    }
  });

  test('a fault proxy in front partitions, injects N Route53 errors, then forwards', async () => {
    const proxy = await startFaultProxy(moto.url);
    try {
      const client = route53(proxy.url);
      await client.send(new ListHostedZonesCommand({}));
      expect(proxy.forwarded).toBe(1);

      proxy.partition(true);
      await expect(client.send(new ListHostedZonesCommand({}))).rejects.toThrow(/ECONNRESET|socket hang up/);
      proxy.partition(false);

      proxy.injectErrors(2, route53Error('Throttling', 'Rate exceeded'));
      for (let i = 0; i < 2; i++) {
        await expect(client.send(new ListHostedZonesCommand({}))).rejects.toMatchObject({
          name: 'Throttling',
          $metadata: { httpStatusCode: 400 },
        });
      }
      await client.send(new ListHostedZonesCommand({}));
      expect({ forwarded: proxy.forwarded, injected: proxy.injected }).toEqual({ forwarded: 2, injected: 2 });

      // The SDK's own retries (3 attempts by default) ride over two throttles.
      proxy.injectErrors(2, route53Error('PriorRequestNotComplete', 'The request was rejected because Route 53 was still processing a prior request.'));
      const retried = await route53(proxy.url, 3).send(new ListHostedZonesCommand({}));
      expect(retried.$metadata.attempts).toBe(3);
      expect(proxy.forwarded).toBe(3);
    } finally {
      await proxy.stop();
    }
  });

  test('a blackholed partition never answers', async () => {
    const proxy = await startFaultProxy(moto.url);
    try {
      proxy.partition(true, 'blackhole');
      await expect(httpRequest(`${proxy.url}/moto-api/`, { timeoutMs: 300 })).rejects.toThrow(/no answer within 300 ms/);
      proxy.partition(false);
      expect((await httpRequest(`${proxy.url}/moto-api/`)).status).toBe(200);
    } finally {
      await proxy.stop();
    }
  });
});

describe('alertmanager', () => {
  let alertmanager: AlertmanagerPeer;
  beforeAll(async () => {
    alertmanager = await startAlertmanager();
  }, START_TIMEOUT_MS);
  afterAll(() => alertmanager.stop());

  test('receives a posted alert and lists it', async () => {
    const posted = await httpRequest(`${alertmanager.url}/api/v2/alerts`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify([
        { labels: { alertname: 'RegionUnhealthy', region: 'us-west-2', severity: 'critical' }, annotations: { summary: 'us-west-2 failed its health checks' } },
      ]),
    });
    expect(posted.status).toBe(200);
    const alerts = await alertmanager.alerts();
    expect(alerts).toEqual([
      expect.objectContaining({
        labels: { alertname: 'RegionUnhealthy', region: 'us-west-2', severity: 'critical' },
        annotations: { summary: 'us-west-2 failed its health checks' },
        status: expect.objectContaining({ state: 'active' }),
      }),
    ]);
    expect(Date.parse(alerts[0].startsAt)).not.toBeNaN();
    expect(Date.parse(alerts[0].endsAt)).toBeGreaterThan(Date.parse(alerts[0].startsAt));
  });

  test('an invalid config fails fast, with Alertmanager\'s own message', async () => {
    await expect(startAlertmanager({ configYaml: 'route: {receiver: missing}\nreceivers: []\n' })).rejects.toThrow(
      /exited before it was ready[\s\S]*missing/,
    );
  });
});

describe('regional endpoint', () => {
  const health = (url: string): Promise<number> => httpRequest(`${url}/health`, { timeoutMs: 500 }).then((r) => r.status);

  test('answers per mode: healthy, failing, hanging, flap', async () => {
    const endpoint = await startRegionalEndpoint();
    expect(endpoint.url).toBe(`http://127.0.0.1:${endpoint.port}`);
    expect(await health(endpoint.url)).toBe(200);
    endpoint.setMode('failing');
    expect(await health(endpoint.url)).toBe(503);
    endpoint.setMode('hanging');
    await expect(health(endpoint.url)).rejects.toThrow(/no answer within 500 ms/);

    endpoint.setMode({ flap: { failEvery: 1, outOf: 3 } });
    const flap: number[] = [];
    for (let i = 0; i < 6; i++) flap.push(await health(endpoint.url));
    expect(flap).toEqual([503, 200, 200, 503, 200, 200]);
    endpoint.setMode({ flap: { failEvery: 2, outOf: 5 } });
    const flap2: number[] = [];
    for (let i = 0; i < 7; i++) flap2.push(await health(endpoint.url));
    expect(flap2).toEqual([503, 503, 200, 200, 200, 503, 503]);

    expect(endpoint.requests).toBe(3 + 6 + 7);
    expect(() => endpoint.setMode({ flap: { failEvery: 4, outOf: 3 } })).toThrow(/failEvery <= outOf/);
    await endpoint.stop();
  });

  test('close refuses connections; reopen serves again on the same port', async () => {
    const endpoint = await startRegionalEndpoint('failing');
    // A request left hanging must not keep close() waiting.
    endpoint.setMode('hanging');
    const hung = failure(httpRequest(`${endpoint.url}/health`, { timeoutMs: 5_000 }));
    for (let i = 0; i < 100 && endpoint.requests === 0; i++) await new Promise((resolve) => setTimeout(resolve, 10));
    expect(endpoint.requests).toBe(1);
    await endpoint.close();
    expect((await hung).code).toBe('ECONNRESET');
    expect((await failure(health(endpoint.url))).code).toBe('ECONNREFUSED');

    await endpoint.reopen();
    endpoint.setMode('healthy');
    expect(await health(endpoint.url)).toBe(200);
    await endpoint.stop();
    expect((await failure(health(endpoint.url))).code).toBe('ECONNREFUSED');
  });
});

test('a peer process does not outlive the Node process that started it, even when that one is killed', async () => {
  // A separate Node process starts Alertmanager (the fastest peer to start), prints its URL, and is SIGKILLed:
  // no exit handler runs, only the watchdog pipe can stop the peer.
  const starter = spawn(
    process.execPath,
    ['--require', './scripts/register-ts.js', '-e', "require('./test/helpers/peers').startAlertmanager().then((p) => console.log(p.url))"],
    { cwd: PROJECT_ROOT, stdio: ['ignore', 'pipe', 'inherit'] },
  );
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('no URL printed within 20 s')), 20_000);
    starter.once('exit', (code) => reject(new Error(`starter exited with ${code} before printing a URL`)));
    createInterface({ input: starter.stdout! }).once('line', (line) => {
      clearTimeout(timer);
      resolve(line.trim());
    });
  });
  expect((await httpRequest(`${url}/-/ready`)).status).toBe(200);
  starter.kill('SIGKILL');

  let refused = false;
  for (let i = 0; i < 60 && !refused; i++) {
    await new Promise((resolve) => setTimeout(resolve, 100));
    refused = await httpRequest(`${url}/-/ready`, { timeoutMs: 500 }).then(
      () => false,
      (error: NodeJS.ErrnoException) => error.code === 'ECONNREFUSED',
    );
  }
  expect(refused).toBe(true);
}, 30_000);
