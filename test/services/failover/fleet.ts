/**
 * A failover fleet for the scenario tests and the benchmark: a Route53 hosted zone in moto with the record tree
 * of DESIGN § 7 (latency records for api.<domain>, a weighted self/spill pair per region), and one controller
 * per region, in process, each with its own HTTP port, prober and config, polling the other two as peers.
 */
import {
  ChangeResourceRecordSetsCommand,
  CreateHostedZoneCommand,
  ListResourceRecordSetsCommand,
  Route53Client,
  type Change,
  type ResourceRecordSetRegion,
} from '@aws-sdk/client-route-53';
import { Writable } from 'node:stream';
import { createLogger, type Logger } from '../../../services/common/src/logger';
import { createMetricsRegistry } from '../../../services/common/src/metrics';
import { parseFailoverConfig, type FailoverConfigInput } from '../../../services/failover/src/config';
import { FailoverController } from '../../../services/failover/src/controller';
import type { Weights } from '../../../services/failover/src/domain';
import { freePort } from '../../helpers/peers';

export const REGIONS = ['us-west-2', 'europe-west1', 'centralindia'] as const;
export type Region = (typeof REGIONS)[number];
export const CLOUDS: Record<Region, 'aws' | 'gcp' | 'azure'> = { 'us-west-2': 'aws', 'europe-west1': 'gcp', centralindia: 'azure' };
/** Route53 latency labels (DESIGN § 2): AWS region names, also for the endpoints outside AWS. */
const LATENCY_LABELS: Record<Region, ResourceRecordSetRegion> = { 'us-west-2': 'us-west-2', 'europe-west1': 'eu-west-1', centralindia: 'ap-south-1' };
/** Documentation addresses (RFC 5737) in the records: nothing resolves them here, the probes dial the endpoints. */
const RECORD_ADDRESSES: Record<Region, string> = { 'us-west-2': '192.0.2.10', 'europe-west1': '198.51.100.10', centralindia: '203.0.113.10' };

export const DOMAIN = 'ml.example.com';

/** Test credentials and the SDK's standard endpoint setting: the controllers build their clients from these. */
export function useMotoForRoute53(url: string): void {
  process.env.AWS_ENDPOINT_URL_ROUTE_53 = url;
  process.env.AWS_ACCESS_KEY_ID = 'testing';
  process.env.AWS_SECRET_ACCESS_KEY = 'testing';
  process.env.AWS_REGION = 'us-east-1';
}

/** A client of the test's own, straight to moto (not through any fault proxy). */
export function route53(url: string): Route53Client {
  return new Route53Client({ endpoint: url, region: 'us-east-1', credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' } });
}

/** Creates a hosted zone with the whole record tree; returns its ID. */
export async function createRecordTree(client: Route53Client, domain = DOMAIN): Promise<string> {
  const zone = await client.send(new CreateHostedZoneCommand({ Name: domain, CallerReference: `skyline-test-${process.hrtime.bigint()}` }));
  const zoneId = (zone.HostedZone?.Id ?? '').replace('/hostedzone/', '');
  const changes: Change[] = [];
  REGIONS.forEach((region, index) => {
    const next = REGIONS[(index + 1) % REGIONS.length];
    const name = `${region}.api.${domain}`;
    const pair = (identifier: string, weight: number, address: string): Change => ({
      Action: 'CREATE',
      ResourceRecordSet: { Name: name, Type: 'A', SetIdentifier: identifier, Weight: weight, TTL: 60, ResourceRecords: [{ Value: address }] },
    });
    changes.push(pair(`${region}-self`, 100, RECORD_ADDRESSES[region]), pair(`${region}-spill`, 0, RECORD_ADDRESSES[next]));
    changes.push({
      Action: 'CREATE',
      ResourceRecordSet: {
        Name: `api.${domain}`,
        Type: 'A',
        SetIdentifier: region,
        Region: LATENCY_LABELS[region],
        AliasTarget: { HostedZoneId: zoneId, DNSName: name, EvaluateTargetHealth: true },
      },
    });
  });
  await client.send(new ChangeResourceRecordSetsCommand({ HostedZoneId: zoneId, ChangeBatch: { Changes: changes } }));
  return zoneId;
}

export async function readWeights(client: Route53Client, zoneId: string, region: Region, domain = DOMAIN): Promise<Weights> {
  const name = `${region}.api.${domain}.`;
  const output = await client.send(new ListResourceRecordSetsCommand({ HostedZoneId: zoneId, StartRecordName: name, StartRecordType: 'A' }));
  const weight = (identifier: string): number => {
    const record = (output.ResourceRecordSets ?? []).find((candidate) => candidate.Name === name && candidate.SetIdentifier === identifier);
    if (record?.Weight === undefined) throw new Error(`no ${identifier} record in ${zoneId}`);
    return record.Weight;
  };
  return { self: weight(`${region}-self`), spill: weight(`${region}-spill`) };
}

export interface Timings {
  readonly intervalSeconds: number;
  readonly failureThreshold: number;
  readonly successThreshold: number;
  readonly soakSeconds: number;
  readonly alertRepeatSeconds: number;
}

export const FAST: Timings = { intervalSeconds: 0.4, failureThreshold: 3, successThreshold: 3, soakSeconds: 0.6, alertRepeatSeconds: 1 };

export interface FleetOptions {
  readonly zoneId: string;
  /** The endpoint each observer probes for each region: usually the same for all, a proxy to partition one. */
  readonly endpoints: (observer: Region, region: Region) => { readonly port: number };
  /** @default no alerting (alerts.kind none) */
  readonly alertmanagerUrl?: string;
  /** The `env` label of the alerts, so that scenarios sharing one Alertmanager tell their alerts apart. */
  readonly env: string;
  readonly timings?: Timings;
  /** @default [10, 50, 100] */
  readonly restoreSteps?: number[];
  /** @default debug: the scenario tests assert on decisions and probe failures */
  readonly logLevel?: 'debug' | 'info';
}

/** One log line a controller wrote, parsed. */
export interface LogLine {
  readonly time: string;
  readonly level: string;
  readonly msg: string;
  readonly [field: string]: unknown;
}

export class Fleet {
  readonly controllers = new Map<Region, FailoverController>();
  readonly logs: LogLine[] = [];
  private readonly ports = new Map<Region, number>();

  private constructor(private readonly options: FleetOptions) {}

  static async start(options: FleetOptions): Promise<Fleet> {
    const fleet = new Fleet(options);
    for (const region of REGIONS) fleet.ports.set(region, await freePort());
    for (const region of REGIONS) await fleet.startInstance(region);
    return fleet;
  }

  config(observer: Region): FailoverConfigInput {
    const timings = this.options.timings ?? FAST;
    const interval = timings.intervalSeconds;
    return {
      instance: { name: `failover-${observer}-0`, region: observer },
      env: this.options.env,
      domain: DOMAIN,
      regions: REGIONS.map((region) => ({
        name: region,
        cloud: CLOUDS[region],
        address: '127.0.0.1',
        port: this.options.endpoints(observer, region).port,
        scheme: 'http' as const,
      })),
      peers: REGIONS.filter((region) => region !== observer).map((region) => ({ region, url: `http://127.0.0.1:${this.ports.get(region)}` })),
      dns: { kind: 'route53', hostedZoneId: this.options.zoneId, insyncTimeoutSeconds: 10, insyncPollSeconds: 0.05 },
      detection: {
        intervalSeconds: interval,
        failureThreshold: timings.failureThreshold,
        successThreshold: timings.successThreshold,
        quorum: 2,
        tcpTimeoutSeconds: interval / 4,
        httpTimeoutSeconds: interval / 4,
      },
      restore: { steps: this.options.restoreSteps ?? [10, 50, 100], soakSeconds: timings.soakSeconds },
      alerts: this.options.alertmanagerUrl
        ? { kind: 'alertmanager', url: this.options.alertmanagerUrl, repeatSeconds: timings.alertRepeatSeconds, timeoutSeconds: 1 }
        : { kind: 'none' },
      retry: { attempts: 8, baseDelaySeconds: 0.05, maxDelaySeconds: 0.5 },
      server: { host: '127.0.0.1', port: this.ports.get(observer) ?? 0 },
      logLevel: this.options.logLevel ?? 'debug',
    };
  }

  async startInstance(observer: Region): Promise<FailoverController> {
    const controller = new FailoverController(parseFailoverConfig(this.config(observer)), {
      logger: this.logger(observer),
      registry: createMetricsRegistry({ service: 'failover', processMetrics: false }),
    });
    await controller.start();
    this.controllers.set(observer, controller);
    return controller;
  }

  async stopInstance(observer: Region): Promise<void> {
    await this.controllers.get(observer)?.stop();
    this.controllers.delete(observer);
  }

  async stop(): Promise<void> {
    await Promise.all([...this.controllers.keys()].map((observer) => this.stopInstance(observer)));
  }

  /** Log lines of decisions that changed weights (failover, restore-step, ...), in order. */
  transitions(): LogLine[] {
    return this.logs.filter((line) => typeof line.transition === 'string' && line.dryRun === false);
  }

  private logger(observer: Region): Logger {
    const lines = this.logs;
    const sink = new Writable({
      write(chunk: Buffer, _encoding, done) {
        for (const text of chunk.toString('utf8').split('\n')) if (text.trim() !== '') lines.push({ ...(JSON.parse(text) as LogLine), observer });
        done();
      },
    });
    return createLogger({ service: 'failover', level: this.options.logLevel ?? 'debug', bindings: { instance: `failover-${observer}-0` }, destination: sink });
  }
}

/** Polls `check` every `everyMs` until it returns a value other than undefined, or throws after `timeoutMs`. */
export async function waitFor<T>(what: string, timeoutMs: number, check: () => Promise<T | undefined>, everyMs = 25): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await check();
      if (value !== undefined) return value;
    } catch (error) {
      last = error;
    }
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${last ? ` (last error: ${(last as Error).message})` : ''}`);
    await new Promise((resolve) => setTimeout(resolve, everyMs));
  }
}
