/**
 * The failover controller of one instance: its HTTP port (health, readiness, metrics, observations), and three
 * loops that never wait on each other: probing every region each interval, polling the peers twice per
 * interval (so a peer's observation is at most half an interval old when a decision uses it), and reconciling
 * after each probe round and after each peer poll that changed a quorum verdict, one pass at a time.
 */
import { timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { Registry } from 'prom-client';
import { systemClock, type Clock } from '../../common/src/clock';
import { startServiceServer, type RouteResponse, type ServiceServer } from '../../common/src/http-server';
import type { Logger } from '../../common/src/logger';
import { createMetricsRegistry } from '../../common/src/metrics';
import { createAlerts } from './alerts/factory';
import type { Alerts } from './alerts/alerts';
import type { FailoverConfig } from './config';
import { createDnsWeights } from './dns/factory';
import { createLeadership } from './leadership/factory';
import type { Leadership } from './leadership/leadership';
import { FailoverMetrics } from './metrics';
import { ObservationBook } from './observations/observation-book';
import { PeerClient } from './observations/peer-client';
import { toWire } from './observations/wire';
import { HealthCounters } from './probe/health-counters';
import { NetworkProber, type Prober } from './probe/prober';
import { tallyRegion } from './quorum';
import { Reconciler } from './reconciler';

export interface ControllerOptions {
  readonly logger: Logger;
  /** @default systemClock */
  readonly clock?: Clock;
  /** @default a registry of its own, with process metrics */
  readonly registry?: Registry;
}

export class FailoverController {
  private readonly abort = new AbortController();
  private readonly book: ObservationBook;
  private readonly counters = new HealthCounters();
  private readonly prober: Prober;
  private readonly peerClient: PeerClient;
  private readonly metrics: FailoverMetrics;
  private readonly clock: Clock;
  private readonly logger: Logger;
  private readonly alerts: Alerts;
  private readonly reconciler: Reconciler;
  private leadership: Leadership | undefined;
  private server: ServiceServer | undefined;
  private loops: Promise<void>[] = [];
  private reconciling: Promise<void> | undefined;
  private reconcileAgain = false;
  private probedOnce = false;
  private verdicts = '';

  constructor(
    readonly config: FailoverConfig,
    options: ControllerOptions,
  ) {
    this.clock = options.clock ?? systemClock;
    this.logger = options.logger;
    this.metrics = new FailoverMetrics(options.registry ?? createMetricsRegistry({ service: 'failover' }));
    this.book = new ObservationBook(config.instance.region, config.detection.observationTtlSeconds * 1000);
    this.prober = new NetworkProber({ tcpTimeoutMs: config.detection.tcpTimeoutSeconds * 1000, httpTimeoutMs: config.detection.httpTimeoutSeconds * 1000 });
    this.peerClient = new PeerClient({ timeoutMs: (config.detection.intervalSeconds * 1000) / 2, token: config.peerToken });
    this.alerts = createAlerts(config, { clock: this.clock, logger: this.logger });
    const dns = createDnsWeights(config, { clock: this.clock, logger: this.logger, signal: this.abort.signal });
    this.reconciler = new Reconciler({ config, book: this.book, dns, alerts: this.alerts, metrics: this.metrics, clock: this.clock, logger: this.logger });
  }

  get registry(): Registry {
    return this.metrics.registry;
  }

  async start(): Promise<void> {
    const { config } = this;
    this.leadership = await createLeadership(config.leaderElection, {
      identity: config.instance.name,
      clock: this.clock,
      logger: this.logger,
      onChange: (leader) => this.metrics.leader.set(leader ? 1 : 0),
    });
    this.server = await startServiceServer({
      host: config.server.host,
      port: config.server.port,
      registry: this.metrics.registry,
      // Ready once it has observations of its own to share; not ready while draining.
      ready: () => this.probedOnce && !this.abort.signal.aborted,
      routes: { '/observations': (request) => this.observations(request) },
    });
    this.leadership.start();
    const intervalMs = config.detection.intervalSeconds * 1000;
    this.loops = [this.every(intervalMs, () => this.probeRound()), this.every(intervalMs / 2, () => this.pollPeers())];
    this.logger.info(
      { url: this.server.url, regions: config.regions.map((region) => region.name), peers: config.peers.map((peer) => peer.region), dryRun: config.dryRun, leaderElection: config.leaderElection.kind },
      'failover controller started',
    );
  }

  /** Drains: stops the loops, lets an in-flight reconcile finish, gives up leadership, flushes alerts, closes the port. */
  async stop(): Promise<void> {
    this.abort.abort();
    await Promise.all(this.loops);
    await this.reconciling;
    await this.leadership?.stop();
    await this.alerts.close();
    await this.server?.close();
  }

  private async every(intervalMs: number, work: () => Promise<void>): Promise<void> {
    while (!this.abort.signal.aborted) {
      const started = this.clock.now();
      try {
        await work();
      } catch (error) {
        this.logger.error({ err: error }, 'loop iteration failed');
      }
      await this.clock.sleep(Math.max(0, intervalMs - (this.clock.now() - started)), this.abort.signal);
    }
  }

  private async probeRound(): Promise<void> {
    await Promise.all(
      this.config.regions.map(async (region) => {
        const result = await this.prober.probe(region);
        const observation = this.counters.record(region.name, result, this.clock.now());
        this.metrics.regionHealthy.set({ region: region.name, cloud: region.cloud }, result.ok ? 1 : 0);
        this.metrics.probeDuration.observe({ region: region.name, result: result.ok ? 'ok' : 'failed' }, result.durationMs / 1000);
        if (!result.ok) this.logger.debug({ region: region.name, error: result.error, consecutiveFailures: observation.consecutiveFailures }, 'probe failed');
      }),
    );
    this.book.setOwn(this.counters.snapshot());
    this.probedOnce = true;
    this.requestReconcile();
  }

  private async pollPeers(): Promise<void> {
    let heard = false;
    await Promise.all(
      this.config.peers.map(async (peer) => {
        try {
          this.book.recordPeer(peer.region, await this.peerClient.fetchReport(peer.url, () => this.clock.now()), this.clock.now());
          this.metrics.peerUp.set({ peer: peer.region }, 1);
          heard = true;
        } catch (error) {
          this.metrics.peerUp.set({ peer: peer.region }, 0);
          this.logger.debug({ peer: peer.region, err: error }, 'peer poll failed; its observations age out');
        }
      }),
    );
    // Only news worth a decision triggers a pass between probe rounds: each pass reads Route53, whose API
    // allows 5 requests a second per account, shared by every controller.
    if (heard && this.verdictsChanged()) this.requestReconcile();
  }

  /** Whether any region's quorum verdicts changed since the last time this was asked. */
  private verdictsChanged(): boolean {
    const now = this.clock.now();
    const reports = this.book.reports();
    const ttlMs = this.config.detection.observationTtlSeconds * 1000;
    const signature = this.config.regions
      .map((region) => {
        const tally = tallyRegion(region.name, reports, this.config.detection, now, ttlMs);
        return `${region.name}:${+tally.down}${+tally.recovered}${+tally.failing}${+tally.healthy}`;
      })
      .join(',');
    const changed = signature !== this.verdicts;
    this.verdicts = signature;
    return changed;
  }

  /** Runs a reconcile pass now, or right after the one in flight: passes never overlap, and none is lost. */
  private requestReconcile(): void {
    if (this.abort.signal.aborted) return;
    if (this.reconciling) {
      this.reconcileAgain = true;
      return;
    }
    this.reconciling = (async () => {
      do {
        this.reconcileAgain = false;
        if (this.leadership?.isLeader()) await this.reconciler.pass();
      } while (this.reconcileAgain && !this.abort.signal.aborted);
    })().finally(() => {
      this.reconciling = undefined;
    });
  }

  private observations(request: IncomingMessage): RouteResponse {
    const token = this.config.peerToken;
    if (token !== undefined && !bearerMatches(request.headers.authorization, token)) return { status: 401, body: { error: 'a valid bearer token is required' } };
    return { status: 200, body: toWire(this.book.ownReport(), this.clock.now()) };
  }
}

/** Constant-time comparison, so the token cannot be guessed byte by byte from response times. */
function bearerMatches(header: string | undefined, token: string): boolean {
  const presented = Buffer.from(header?.replace(/^Bearer /, '') ?? '');
  const expected = Buffer.from(token);
  return presented.length === expected.length && timingSafeEqual(presented, expected);
}
