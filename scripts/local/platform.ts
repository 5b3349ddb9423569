/**
 * The whole Skyline runtime on one machine: the emulated clouds, the global stack's Route53 records, each
 * region's model server stand-in and sync sidecar, the replicator, the cost analyzer over sample billing exports,
 * the failover controllers, the regional and global Prometheus and Alertmanager, each started with a config
 * generated from the same code the stacks use, with addresses rewritten to 127.0.0.1 (docs/local.md).
 *
 * `Platform.start` brings everything up in dependency order, reporting each step to an Output; `stop` takes
 * it down in reverse and leaves no process behind.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import type { Route53Client } from '@aws-sdk/client-route-53';
import { freePort, type AlertmanagerPeer } from '../../test/helpers/peers';
import { PROJECT_ROOT } from '../../test/helpers/app-command';
import type { PrometheusPeer, WebhookReceiver } from '../../test/helpers/prometheus-peers';
import { npmScript, typescriptEntry, type Command } from './commands';
import { localFailoverConfig } from './configs/failover-config';
import { localReplicateConfig, localSyncConfig, type SyncInputs } from './configs/replicator-config';
import { createGlobalRecords, route53Client } from './dns-records';
import { cloudEnvironment, startEmulators, stopEmulators, type Emulators } from './emulators';
import { createBillingExports, type CostSources } from './billing-exports';
import { localCostConfig } from './configs/cost-config';
import { createModelStores, type ModelStores, type RegionStore } from './model-stores';
import type { RegionalTargets } from './configs/observability-config';
import { startAlerting, startPrometheusServers, type Alerting, type PrometheusServers } from './observability';
import { HeadlessOutput, runTask, seconds, type Output } from './output';
import { Supervisor, type ProcessSpec, type SupervisedProcess } from './supervisor';
import { publishModel } from './steps/publish-model';
import { checkTools, requiredTools } from './tools';
import type { LocalRegion, Topology } from './topology';

/** The version published at start-up, so that every region serves (and is healthy) before the demo. */
const SEED_VERSION = 'v1';

export interface PlatformOptions {
  /** What to emulate: localTopology(), the dev environment. */
  readonly topology: Topology;
  readonly output: Output;
  /** A process died while it should have been running: the platform is no longer whole. */
  readonly onProcessExit: (message: string) => void;
  /** Aborting it (Ctrl-C during start-up) stops at the next step and unwinds what started. */
  readonly signal?: AbortSignal;
}

export interface RegionRuntime {
  readonly region: LocalRegion;
  readonly store: RegionStore;
  /** The serving stand-in ("the region's load balancer"). */
  readonly servingUrl: string;
  readonly controllerUrl: string;
  /** The region's sync sidecar (the replicator in sync mode). */
  readonly syncUrl: string;
  /** Where the region's sync sidecar keeps the model for the stand-in. */
  readonly modelDirectory: string;
}

interface RegionPorts {
  readonly serving: number;
  readonly controller: number;
  readonly sync: number;
}

interface Ports {
  readonly regions: ReadonlyMap<string, RegionPorts>;
  readonly replicator: number;
  readonly costAnalyzer: number;
}

export class Platform {
  private readonly processes = new Map<string, SupervisedProcess>();
  private readonly servingSpecs = new Map<string, ProcessSpec>();
  private regionRuntimes: RegionRuntime[] = [];
  private emulators: Emulators | undefined;
  private alerting: Alerting | undefined;
  private prometheus: PrometheusServers | undefined;
  private replicatorUrl: string | undefined;
  private costUrl: string | undefined;
  private costConfigPath: string | undefined;
  private hostedZoneId = '';
  private route53: Route53Client | undefined;
  private failed = false;

  private readonly supervisor: Supervisor;

  private constructor(
    readonly topology: Topology,
    readonly runDirectory: string,
    private readonly options: PlatformOptions,
  ) {
    this.supervisor = new Supervisor({
      logDirectory: join(runDirectory, 'logs'),
      onUnexpectedExit: (name, how, tail) => this.processExited(name, how, tail),
    });
  }

  /** Starts everything; on any failure stops what started and throws. */
  static async start(options: PlatformOptions): Promise<Platform> {
    checkTools(requiredTools());
    const { topology } = options;
    const runDirectory = mkdtempSync(join(tmpdir(), 'skyline-local-'));
    for (const directory of ['configs', 'logs']) mkdirSync(join(runDirectory, directory));
    const platform = new Platform(topology, runDirectory, options);
    try {
      await platform.startAll();
      return platform;
    } catch (error) {
      const aborted = options.signal?.aborted ?? false;
      await platform.stop(!aborted);
      if (aborted) throw error;
      throw new Error(`${(error as Error).message}\n(configs and logs kept in ${runDirectory})`, { cause: error });
    }
  }

  /** The model every region serves: the environment's `replication.servedModel`. */
  get model(): string {
    return this.topology.environment.replication.servedModel;
  }

  get regions(): readonly RegionRuntime[] {
    return this.regionRuntimes;
  }

  get zoneId(): string {
    return this.hostedZoneId;
  }

  get dns(): Route53Client {
    return required(this.route53, 'Route53 client');
  }

  get alertmanager(): AlertmanagerPeer {
    return required(this.alerting, 'Alertmanager').alertmanager;
  }

  /** Where Alertmanager's notifications arrive, on `/<receiver name>`. */
  get alertReceiver(): WebhookReceiver {
    return required(this.alerting, 'alert receiver').receiver;
  }

  /** The global Prometheus, which evaluates the alert rules over the federated edge series. */
  get globalPrometheus(): PrometheusPeer {
    return required(this.prometheus, 'Prometheus').global;
  }

  /** The environment the services run with: the SDKs' settings pointing at the emulators. */
  get serviceEnvironment(): Readonly<Record<string, string>> {
    return cloudEnvironment(required(this.emulators, 'emulators'));
  }

  /** The cost analyzer's config file, for `npm run cost -- report --config <it>`. */
  get costConfig(): string {
    return required(this.costConfigPath, 'cost analyzer config');
  }

  region(name: string): RegionRuntime {
    return required(
      this.regionRuntimes.find((runtime) => runtime.region.name === name),
      `region ${name} (regions: ${this.regionRuntimes.map((runtime) => runtime.region.name).join(', ')})`,
    );
  }

  /** What runs where, for people: one `[label, url]` per endpoint. */
  addresses(): [string, string][] {
    const emulators = required(this.emulators, 'emulators');
    return [
      ['moto (S3, SQS, Route53)', emulators.moto.url],
      ['fake-gcs-server', emulators.gcs.url],
      ['Azurite Blob', emulators.azurite.blobAccountUrl],
      ['Alertmanager', this.alertmanager.url],
      ['Prometheus (global)', required(this.prometheus, 'Prometheus').global.url],
      ['replicator', `${required(this.replicatorUrl, 'replicator')}/metrics`],
      ['cost analyzer', `${required(this.costUrl, 'cost analyzer')}/report`],
      ...this.regionRuntimes.flatMap((runtime): [string, string][] => [
        [`${runtime.region.name} Prometheus`, required(this.prometheus?.regional.get(runtime.region.name), `Prometheus ${runtime.region.name}`).url],
        [`${runtime.region.name} model server`, `${runtime.servingUrl}/v1/models`],
        [`${runtime.region.name} sync sidecar`, `${runtime.syncUrl}/metrics`],
        [`${runtime.region.name} failover controller`, `${runtime.controllerUrl}/metrics`],
        [`${runtime.region.name} model bucket`, runtime.store.location],
      ]),
      ['logs and configs', this.runDirectory],
    ];
  }

  /** Takes the region's serving endpoint down (its load balancer stops answering). */
  async stopServing(region: string): Promise<void> {
    const name = servingProcessName(region);
    await this.processes.get(name)?.stop();
    this.processes.delete(name);
  }

  /** Brings the region's serving endpoint back on the same port; it reloads its current model version. */
  async startServing(region: string): Promise<void> {
    const name = servingProcessName(region);
    if (this.processes.has(name)) return;
    this.processes.set(name, await this.supervisor.start(required(this.servingSpecs.get(name), name)));
  }

  /**
   * Stops everything, controllers first (so nothing reacts to the rest going away), emulators last. The run
   * directory (configs and logs) is removed unless `keepRunDirectory` or a process died.
   */
  async stop(keepRunDirectory = false): Promise<void> {
    const byName = (prefix: string): SupervisedProcess[] => [...this.processes.values()].filter((process) => process.name.startsWith(prefix));
    await Promise.all(byName('failover-').map((process) => process.stop()));
    await Promise.all([...this.processes.values()].map((process) => process.stop()));
    this.processes.clear();
    const prometheus = this.prometheus ? [this.prometheus.global, ...this.prometheus.regional.values()] : [];
    await Promise.all([
      ...prometheus.map((server) => server.stop()),
      this.alerting?.alertmanager.stop(),
      this.alerting?.receiver.stop(),
      this.emulators ? stopEmulators(this.emulators) : undefined,
    ]);
    this.supervisor.dispose();
    // The logs of a failed run are what explains it: keep them.
    if (!keepRunDirectory && !this.failed) rmSync(this.runDirectory, { recursive: true, force: true });
  }

  private processExited(name: string, how: string, tail: string): void {
    this.failed = true;
    this.options.onProcessExit(`${name} stopped unexpectedly (${how}); its log is in ${join(this.runDirectory, 'logs', `${name}.log`)}:\n${tail}`);
  }

  /** In dependency order, each step's parts side by side; a checkpoint between steps for Ctrl-C. */
  private async startAll(): Promise<void> {
    const { output } = this.options;
    const emulators = await startEmulators(output);
    this.emulators = emulators;
    this.route53 = route53Client(emulators.moto.url);
    this.checkpoint();

    const configDirectory = join(this.runDirectory, 'configs');
    const [stores, zoneId, costSources] = await settleAll([
      runTask(output, 'model buckets and S3 events', () => createModelStores(this.topology, emulators), (created) => created.stores.map((store) => store.location).join(', ')),
      runTask(output, 'Route53 zone and records', () => createGlobalRecords(this.dns, this.topology), (id) => `${this.topology.environment.domain} (${id})`),
      runTask(output, 'sample billing exports', () => createBillingExports(this.topology, emulators, join(this.runDirectory, 'billing')), (sources) => sources.map((source) => source.name).join(', ')),
      // Kept as soon as it runs, so that stop() stops it whatever fails beside it.
      startAlerting(output, this.topology, configDirectory).then((alerting) => (this.alerting = alerting)),
    ]);
    this.hostedZoneId = zoneId;
    const ports = await this.allocatePorts(stores);
    this.checkpoint();

    await settleAll(this.regionRuntimes.map((runtime) => this.startModelServer(runtime, required(ports.regions.get(runtime.region.name), runtime.region.name).serving)));
    this.checkpoint();
    await this.startReplicationAndCost(stores, costSources, ports);
    this.checkpoint();

    // Every region serves a first version before the controllers start: a model server is healthy only then.
    await runTask(
      output,
      `${this.model} ${SEED_VERSION} in every region`,
      () => publishModel(this, this.model, SEED_VERSION, new HeadlessOutput(), this.options.signal),
      (published) => `published to ${published.source}, loaded by the last region after ${seconds(Math.max(...Object.values(published.loadedMs)))}`,
    );
    this.checkpoint();

    await this.startFailoverControllers(ports);
    this.checkpoint();
    this.prometheus = await startPrometheusServers(output, this.topology, required(this.alerting, 'Alertmanager'), this.scrapeTargets(), configDirectory);
  }

  /** A free port for every process of this repository; the region runtimes, whose URLs they make. */
  private async allocatePorts(stores: ModelStores): Promise<Ports> {
    const regions = new Map<string, RegionPorts>();
    for (const region of this.topology.regions) regions.set(region.name, { serving: await freePort(), controller: await freePort(), sync: await freePort() });
    const ports: Ports = { regions, replicator: await freePort(), costAnalyzer: await freePort() };
    const url = (port: number | undefined): string => `http://127.0.0.1:${required(port, 'port')}`;
    this.regionRuntimes = this.topology.regions.map((region, index) => ({
      region,
      store: stores.stores[index],
      servingUrl: url(regions.get(region.name)?.serving),
      controllerUrl: url(regions.get(region.name)?.controller),
      syncUrl: url(regions.get(region.name)?.sync),
      modelDirectory: join(this.runDirectory, 'regions', region.name, 'models'),
    }));
    for (const runtime of this.regionRuntimes) mkdirSync(runtime.modelDirectory, { recursive: true });
    this.replicatorUrl = url(ports.replicator);
    this.costUrl = url(ports.costAnalyzer);
    return ports;
  }

  /** The replicator and the cost analyzer (primary region), and every region's sync sidecar. */
  private async startReplicationAndCost(stores: ModelStores, costSources: CostSources, ports: Ports): Promise<void> {
    this.costConfigPath = this.writeConfig('cost-analyzer', localCostConfig(this.topology.environment, costSources, ports.costAnalyzer));
    await settleAll([
      this.startService('replicator', 'replicator', npmScript('replicator', ['--config', this.writeConfig('replicator', localReplicateConfig(stores, ports.replicator))]), required(this.replicatorUrl, 'replicator')),
      this.startService('cost-analyzer', 'cost analyzer', npmScript('cost', ['--config', this.costConfigPath]), required(this.costUrl, 'cost analyzer')),
      ...this.regionRuntimes.map((runtime) => {
        const config = localSyncConfig({
          store: runtime.store.config,
          region: runtime.region.name,
          model: this.model,
          directory: runtime.modelDirectory,
          signal: this.syncSignal(runtime),
          port: required(ports.regions.get(runtime.region.name), runtime.region.name).sync,
        });
        // A sidecar is ready only once a version is in place: it is started when it is alive.
        const command = npmScript('replicator', ['--config', this.writeConfig(`sync-${runtime.region.name}`, config)]);
        return this.startService(`sync-${runtime.region.name}`, `sync sidecar ${runtime.region.name}`, command, runtime.syncUrl, '/healthz');
      }),
    ]);
  }

  private async startFailoverControllers(ports: Ports): Promise<void> {
    const portsOf = (kind: 'controller' | 'serving') => new Map([...ports.regions].map(([region, regionPorts]) => [region, regionPorts[kind]]));
    const inputs = { topology: this.topology, hostedZoneId: this.hostedZoneId, servingPorts: portsOf('serving'), controllerPorts: portsOf('controller'), alertmanagerUrl: this.alertmanager.url };
    await settleAll(
      this.regionRuntimes.map((runtime) => {
        const name = `failover-${runtime.region.name}`;
        const command = npmScript('failover', ['--config', this.writeConfig(name, localFailoverConfig(runtime.region, inputs))]);
        return this.startService(name, `failover controller ${runtime.region.name}`, command, runtime.controllerUrl);
      }),
    );
  }

  /** What each regional Prometheus scrapes: its region's processes (ServiceMonitors in a cluster). */
  private scrapeTargets(): Map<string, RegionalTargets> {
    const host = (url: string | undefined): string => new URL(required(url, 'URL')).host;
    const primary = this.regionRuntimes[0].region.name;
    return new Map(
      this.regionRuntimes.map((runtime) => [
        runtime.region.name,
        {
          modelServing: [host(runtime.servingUrl), host(runtime.syncUrl)],
          failover: [host(runtime.controllerUrl)],
          // The replicator and the cost analyzer run in the primary region (ADR-007).
          replicator: runtime.region.name === primary ? [host(this.replicatorUrl)] : [],
          costAnalyzer: runtime.region.name === primary ? [host(this.costUrl)] : [],
        },
      ]),
    );
  }

  /** Between start-up steps: stop here if start-up was aborted. */
  private checkpoint(): void {
    this.options.signal?.throwIfAborted();
  }

  /** The environment's reload signal, as the sync sidecar sends it: the file in the model directory, or a POST. */
  private syncSignal(runtime: RegionRuntime): SyncInputs['signal'] {
    const reload = this.topology.environment.replication.reloadSignal;
    return reload.kind === 'file' ? { kind: 'file', path: join(runtime.modelDirectory, reload.fileName) } : { kind: 'http', url: `${runtime.servingUrl}${reload.path}` };
  }

  /** The same signal, as the model server receives it. */
  private reloadArgs(runtime: RegionRuntime): string[] {
    const reload = this.topology.environment.replication.reloadSignal;
    return reload.kind === 'file' ? ['--reload-file', join(runtime.modelDirectory, reload.fileName)] : ['--reload-path', reload.path];
  }

  private async startModelServer(runtime: RegionRuntime, port: number): Promise<void> {
    const name = servingProcessName(runtime.region.name);
    const command = typescriptEntry('scripts/local/serving/main.ts', [
      '--region', runtime.region.name,
      '--cloud', runtime.region.cloud,
      '--model', this.model,
      '--directory', runtime.modelDirectory,
      ...this.reloadArgs(runtime),
      '--port', String(port),
    ]);
    const spec = this.processSpec(name, command, `${runtime.servingUrl}/v1/models`);
    this.servingSpecs.set(name, spec);
    await runTask(this.options.output, `model server ${runtime.region.name}`, async () => {
      this.processes.set(name, await this.supervisor.start(spec));
    }, () => runtime.servingUrl);
  }

  /** A service of this repository, started once `readyPath` answers 200 (`/readyz` unless a mode says otherwise). */
  private async startService(name: string, label: string, command: Command, url: string, readyPath = '/readyz'): Promise<void> {
    await runTask(this.options.output, label, async () => {
      this.processes.set(name, await this.supervisor.start(this.processSpec(name, command, `${url}${readyPath}`)));
    }, () => url);
  }

  private processSpec(name: string, command: Command, readyUrl: string): ProcessSpec {
    return { name, ...command, cwd: PROJECT_ROOT, env: cloudEnvironment(required(this.emulators, 'emulators')), readyUrl };
  }

  private writeConfig(name: string, config: unknown): string {
    const path = join(this.runDirectory, 'configs', `${name}.yaml`);
    writeFileSync(path, stringify(config));
    return path;
  }
}

/**
 * Like Promise.all, but waits for every start to settle before it throws the first failure: a start still in
 * flight when stop() runs would leave its process out of what stop() stops.
 */
async function settleAll<T extends readonly unknown[]>(promises: readonly [...{ [K in keyof T]: Promise<T[K]> }]): Promise<T> {
  const results = await Promise.allSettled(promises);
  const failed = results.find((result): result is PromiseRejectedResult => result.status === 'rejected');
  if (failed) throw failed.reason;
  return results.map((result) => (result as PromiseFulfilledResult<unknown>).value) as unknown as T;
}

function servingProcessName(region: string): string {
  return `model-server-${region}`;
}

function required<T>(value: T | undefined, what: string): T {
  if (value === undefined) throw new Error(`the local platform has no ${what} (not started, or stopped)`);
  return value;
}
