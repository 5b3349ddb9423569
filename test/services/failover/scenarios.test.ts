/**
 * The failover controller end to end: three controllers (one per region, in process, each with its own prober,
 * observation endpoint and config, polling the other two) against moto as Route53 (the test creates the zone
 * and the record tree), the real Alertmanager, and controllable regional endpoints; faults come from the fault
 * proxy. Each scenario asserts the final Route53 weights and what Alertmanager received: the alerts it holds,
 * and the notifications it sent to a webhook receiver of the test's (which is how a resolution shows: resolved
 * alerts leave Alertmanager's alert list). Intervals are 0.4 s so that the file runs in well under a minute;
 * every wait is bounded.
 */
import type { Route53Client } from '@aws-sdk/client-route-53';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { FAILOVER_ALERT_NAME } from '../../../services/failover/src/alerts/alerts';
import type { Weights } from '../../../services/failover/src/domain';
import {
  route53Error,
  startAlertmanager,
  startFaultProxy,
  startMoto,
  startRegionalEndpoint,
  type AlertmanagerPeer,
  type FaultProxy,
  type Peer,
  type ReceivedAlert,
  type RegionalEndpoint,
} from '../../helpers/peers';
import { FAST, Fleet, REGIONS, createRecordTree, readWeights, route53, useMotoForRoute53, waitFor, type Region } from './fleet';

jest.setTimeout(30_000);

const INTERVAL_MS = FAST.intervalSeconds * 1000;
/** The promise of DESIGN § 7 at these settings: failureThreshold × interval + one interval. */
const DETECTION_BOUND_MS = FAST.failureThreshold * INTERVAL_MS + INTERVAL_MS;
const NORMAL: Weights = { self: 100, spill: 0 };
const FAILED_OVER: Weights = { self: 0, spill: 100 };

/** One notification Alertmanager's webhook receiver sent. */
interface Notification {
  readonly status: 'firing' | 'resolved';
  readonly groupLabels: Record<string, string>;
  readonly alerts: { readonly status: string; readonly labels: Record<string, string> }[];
}

let moto: Peer;
let alertmanager: AlertmanagerPeer;
let webhook: Server;
const notifications: Notification[] = [];
let client: Route53Client;
const fleets: Fleet[] = [];

beforeAll(async () => {
  webhook = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      notifications.push(JSON.parse(Buffer.concat(chunks).toString('utf8')) as Notification);
      response.writeHead(200).end();
    });
  });
  await new Promise<void>((resolve) => webhook.listen(0, '127.0.0.1', resolve));
  const webhookUrl = `http://127.0.0.1:${(webhook.address() as AddressInfo).port}/`;
  [moto, alertmanager] = await Promise.all([
    startMoto(),
    // Grouped per scenario (env); resolutions notified too, so the test sees them.
    startAlertmanager({
      configYaml: `route:
  receiver: test
  group_by: [alertname, env]
  group_wait: 100ms
  group_interval: 500ms
  repeat_interval: 1h
receivers:
  - name: test
    webhook_configs:
      - url: ${webhookUrl}
        send_resolved: true
`,
    }),
  ]);
  useMotoForRoute53(moto.url);
  client = route53(moto.url);
});

afterEach(async () => {
  await Promise.all(fleets.splice(0).map((fleet) => fleet.stop()));
  useMotoForRoute53(moto.url);
});

afterAll(async () => {
  await new Promise((resolve) => webhook.close(resolve));
});

interface World {
  readonly zoneId: string;
  readonly endpoints: Record<Region, RegionalEndpoint>;
  readonly fleet: Fleet;
  readonly env: string;
}

type Route = (observer: Region, region: Region) => { readonly port: number } | undefined;

interface WorldOptions {
  /**
   * Given the regions' endpoints, which endpoint an observer probes for a region instead of the region's own
   * (undefined: the region's own): per-instance prober routing, for partitions and per-observer views.
   */
  readonly routes?: (shared: Record<Region, RegionalEndpoint>) => Promise<Route>;
  readonly alertmanagerUrl?: string;
}

let scenario = 0;

/** A fresh zone with the record tree, three healthy endpoints, and a fleet that has seen them all healthy. */
async function world(options: WorldOptions = {}): Promise<World> {
  const env = `scenario${++scenario}`;
  const zoneId = await createRecordTree(client);
  const [west, europe, india] = await Promise.all([startRegionalEndpoint(), startRegionalEndpoint(), startRegionalEndpoint()]);
  const endpoints: Record<Region, RegionalEndpoint> = { 'us-west-2': west, 'europe-west1': europe, centralindia: india };
  const route: Route = options.routes ? await options.routes(endpoints) : () => undefined;
  const fleet = await Fleet.start({
    zoneId,
    env,
    alertmanagerUrl: options.alertmanagerUrl ?? alertmanager.url,
    endpoints: (observer, region) => route(observer, region) ?? endpoints[region],
  });
  fleets.push(fleet);
  await sleep(2 * INTERVAL_MS); // every observer has probed every region and heard from its peers
  return { zoneId, endpoints, fleet, env };
}

function weightsOf(w: World, region: Region): Promise<Weights> {
  return readWeights(client, w.zoneId, region);
}

async function alertsOf(w: World): Promise<ReceivedAlert[]> {
  return (await alertmanager.alerts()).filter((alert) => alert.labels.env === w.env);
}

function notificationsOf(w: World): Notification[] {
  return notifications.filter((notification) => notification.groupLabels.env === w.env);
}

/** Waits until the pair reads `expected`; returns how long that took, in ms. */
async function untilWeights(w: World, region: Region, expected: Weights, timeoutMs: number): Promise<number> {
  const started = Date.now();
  await waitFor(`${region} at ${expected.self}/${expected.spill}`, timeoutMs, async () => {
    const weights = await weightsOf(w, region);
    return weights.self === expected.self && weights.spill === expected.spill ? true : undefined;
  });
  return Date.now() - started;
}

function untilAlertActive(w: World): Promise<ReceivedAlert> {
  return waitFor('the failover alert in Alertmanager', 10_000, async () => (await alertsOf(w)).find((alert) => alert.status.state === 'active'));
}

function untilResolvedNotification(w: World): Promise<Notification> {
  return waitFor('the resolved notification', 10_000, async () => notificationsOf(w).find((notification) => notification.status === 'resolved'));
}

/** The weight changes the fleet applied to a region, as `<transition> <self weight>`, in order. */
function stepsOf(w: World, region: Region): string[] {
  return w.fleet.transitions().filter((line) => line.region === region).map((line) => `${String(line.transition)} ${(line.desired as Weights).self}`);
}

async function everyPairNormal(w: World): Promise<void> {
  for (const region of REGIONS) expect(await weightsOf(w, region)).toEqual(NORMAL);
}

async function gauge(w: World, observer: Region, metric: string, labels: Record<string, string>): Promise<number | undefined> {
  const controller = w.fleet.controllers.get(observer);
  const values = (await controller?.registry.getSingleMetric(metric)?.get())?.values ?? [];
  return values.find((value) => Object.entries(labels).every(([key, expected]) => value.labels[key] === expected))?.value;
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

describe('failover scenarios', () => {
  it('primary down: fails over within failureThreshold × interval + one interval, alerts with evidence, restores 10 → 50 → 100 and resolves', async () => {
    const w = await world();

    w.endpoints['us-west-2'].setMode('failing');
    const detectionMs = await untilWeights(w, 'us-west-2', FAILED_OVER, 10_000);
    expect(detectionMs).toBeLessThanOrEqual(DETECTION_BOUND_MS);
    for (const other of ['europe-west1', 'centralindia'] as const) expect(await weightsOf(w, other)).toEqual(NORMAL);

    const alert = await untilAlertActive(w);
    expect(alert.labels).toEqual({ alertname: FAILOVER_ALERT_NAME, region: 'us-west-2', cloud: 'aws', env: w.env, severity: 'critical' });
    expect(alert.annotations.runbook_url).toBe('docs/runbooks/failover-drill.md');
    expect(alert.annotations.summary).toBe('us-west-2 (aws) is failed over: 100% of us-west-2.api.ml.example.com goes to europe-west1');
    // Evidence names the observers and what each saw.
    expect(alert.annotations.evidence).toMatch(/centralindia: \d+ consecutive failures \(http: 503\).*europe-west1: \d+ consecutive failures \(http: 503\)/);

    w.endpoints['us-west-2'].setMode('healthy');
    await untilWeights(w, 'us-west-2', NORMAL, 15_000);
    expect(stepsOf(w, 'us-west-2')).toEqual(['failover 0', 'restore-step 10', 'restore-step 50', 'restored 100']);
    // The pair's writer is the first other observer in role order.
    expect(new Set(w.fleet.transitions().map((line) => line.observer))).toEqual(new Set(['europe-west1']));
    const resolved = await untilResolvedNotification(w);
    expect(resolved.alerts.map((a) => [a.labels.region, a.status])).toEqual([['us-west-2', 'resolved']]);
    expect(await alertsOf(w)).toEqual([]);
  });

  it('one observer partitioned from the primary never moves traffic', async () => {
    let proxy: FaultProxy | undefined;
    const w = await world({
      // europe-west1, the writer of the primary's pair, reaches the primary through a proxy; the others directly.
      routes: async (shared) => {
        const front = await startFaultProxy(shared['us-west-2'].url);
        proxy = front;
        return (observer, region) => (observer === 'europe-west1' && region === 'us-west-2' ? { port: portOf(front) } : undefined);
      },
    });
    proxy?.partition(true);
    await sleep(3 * FAST.failureThreshold * INTERVAL_MS);

    // The partitioned observer did see the primary fail, and said so to its peers...
    expect(await gauge(w, 'europe-west1', 'skyline_failover_region_healthy', { region: 'us-west-2' })).toBe(0);
    expect(await gauge(w, 'centralindia', 'skyline_failover_region_healthy', { region: 'us-west-2' })).toBe(1);
    expect(w.fleet.logs.some((line) => line.observer === 'europe-west1' && line.msg === 'hold' && line.region === 'us-west-2' && /not down by quorum/.test(String(line.reason)))).toBe(true);
    // ...but one observer is no quorum: nothing moved, nothing alerted.
    await everyPairNormal(w);
    expect(w.fleet.transitions()).toEqual([]);
    expect(await alertsOf(w)).toEqual([]);
  });

  it('a flapping primary (fails 2 of every 3 probes) never fails over, and raises no alert storm', async () => {
    const flapping: RegionalEndpoint[] = [];
    const w = await world({
      // The endpoint counts requests across all clients: three observers sharing one would each see a fixed
      // phase of the pattern (always failing, or always passing). A flapping load balancer shows every client
      // the same pattern over time, so each observer gets a flapping endpoint of its own.
      routes: async () => {
        const byObserver = new Map<Region, RegionalEndpoint>();
        for (const observer of REGIONS) byObserver.set(observer, await startRegionalEndpoint());
        flapping.push(...byObserver.values());
        return (observer, region) => (region === 'us-west-2' ? byObserver.get(observer) : undefined);
      },
    });
    for (const endpoint of flapping) endpoint.setMode({ flap: { failEvery: 2, outOf: 3 } });
    const before = flapping.map((endpoint) => endpoint.requests);
    await sleep(4 * FAST.failureThreshold * INTERVAL_MS);

    // Each observer probed its endpoint all along, and saw failures (2 in a row at most)...
    flapping.forEach((endpoint, index) => expect(endpoint.requests - before[index]).toBeGreaterThanOrEqual(8));
    const streaks = w.fleet.logs.filter((line) => line.msg === 'probe failed' && line.region === 'us-west-2').map((line) => Number(line.consecutiveFailures));
    expect(streaks.length).toBeGreaterThan(0);
    expect(Math.max(...streaks)).toBe(2);
    // ...and never failureThreshold in a row: no change, no alert, no notification.
    await everyPairNormal(w);
    expect(w.fleet.transitions()).toEqual([]);
    expect(await alertsOf(w)).toEqual([]);
    await sleep(1_000); // past Alertmanager's group_wait and group_interval
    expect(notificationsOf(w)).toEqual([]);
  });

  it('converges through Route53 throttling (Throttling and PriorRequestNotComplete, retried with backoff)', async () => {
    const proxy = await startFaultProxy(moto.url);
    // The controllers' clients take the endpoint from the SDK's standard setting: point it at the proxy.
    useMotoForRoute53(proxy.url);
    const w = await world();
    proxy.injectErrors(4, route53Error('Throttling', 'Rate exceeded'));
    w.endpoints['us-west-2'].setMode('failing');
    await waitFor('the throttling errors to be consumed', 10_000, async () => (proxy.injected >= 4 ? true : undefined));
    proxy.injectErrors(2, route53Error('PriorRequestNotComplete', 'The request was rejected because Route 53 was still processing a prior request.'));
    await untilWeights(w, 'us-west-2', FAILED_OVER, 10_000);
    await untilAlertActive(w);

    expect(proxy.injected).toBe(6);
    const retried = w.fleet.logs.filter((line) => line.msg === 'route53 call failed, retrying').map((line) => line.error);
    expect(new Set(retried)).toEqual(new Set(['Throttling', 'PriorRequestNotComplete']));
    expect(stepsOf(w, 'us-west-2')).toEqual(['failover 0']);
    for (const other of ['europe-west1', 'centralindia'] as const) expect(await weightsOf(w, other)).toEqual(NORMAL);
  });

  it('a controller killed mid-restore and restarted rebuilds its state from Route53 and converges', async () => {
    const w = await world();
    w.endpoints['us-west-2'].setMode('failing');
    await untilWeights(w, 'us-west-2', FAILED_OVER, 10_000);
    w.endpoints['us-west-2'].setMode('healthy');
    await untilWeights(w, 'us-west-2', { self: 10, spill: 90 }, 10_000);

    // The writer of the pair goes away mid-restore; a new instance (nothing in memory) replaces it.
    await w.fleet.stopInstance('europe-west1');
    const linesBefore = w.fleet.logs.length;
    await w.fleet.startInstance('europe-west1');
    await untilWeights(w, 'us-west-2', NORMAL, 15_000);

    // It carried on from the weights it read (10), soaking again rather than skipping or restarting the restore.
    const afterRestart = w.fleet.logs.slice(linesBefore).filter((line) => typeof line.transition === 'string' && line.dryRun === false);
    expect(afterRestart.map((line) => `${String(line.transition)} ${(line.desired as Weights).self}`)).toEqual(['restore-step 50', 'restored 100']);
    await untilResolvedNotification(w);
    await everyPairNormal(w);
  });

  it('Alertmanager unreachable during a failover: DNS still moves on time; the alert arrives once it is back', async () => {
    const proxy = await startFaultProxy(alertmanager.url);
    const w = await world({ alertmanagerUrl: proxy.url });
    proxy.partition(true);

    w.endpoints['us-west-2'].setMode('failing');
    const detectionMs = await untilWeights(w, 'us-west-2', FAILED_OVER, 10_000);
    expect(detectionMs).toBeLessThanOrEqual(DETECTION_BOUND_MS);
    await sleep(2_000);
    expect(await alertsOf(w)).toEqual([]);
    expect(w.fleet.logs.some((line) => line.msg === 'alertmanager unreachable; alerts stay queued')).toBe(true);

    proxy.partition(false);
    const alert = await untilAlertActive(w);
    expect(alert.labels).toMatchObject({ alertname: FAILOVER_ALERT_NAME, region: 'us-west-2', severity: 'critical' });
  });
});

function portOf(peer: Peer): number {
  return Number(new URL(peer.url).port);
}
