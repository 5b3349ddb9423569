/**
 * The demo's outage and recovery of one region. Down: the region's model server stops (its load balancer no
 * longer answers); the failover controllers must agree it is down and move its Route53 weights to the spill
 * region, the controller that moved them alerts, and the global Prometheus, from the federated edge series,
 * raises SkylineRegionDown. Back: the server restarts and reloads its current model; the controllers restore the
 * weights step by step and both alerts resolve. Everything is read where it lands — Route53 (moto), the
 * Alertmanager API, the notifications Alertmanager sends — never from the controllers' own word.
 */
import { ALERT_NAMES } from '../../../constructs/observability/alerts';
import { systemClock } from '../../../services/common/src/clock';
import { FAILOVER_ALERT_NAME } from '../../../services/failover/src/alerts/alerts';
import type { Notification } from '../../../test/helpers/prometheus-peers';
import { readWeights, type Weights } from '../dns-records';
import { seconds, type Output } from '../output';
import type { Platform } from '../platform';
import type { ModelsStatus } from '../serving/stand-in';
import { waitFor } from '../wait';

/** When an alert was seen in Alertmanager and when Alertmanager notified a receiver of it, from the step's start. */
export interface AlertTimes {
  readonly labels: Readonly<Record<string, string>>;
  readonly activeMs: number;
  /** The receiver its notification went to (the Alertmanager route's choice), and when. */
  readonly receiver: string;
  readonly notifiedMs: number;
}

export interface OutageResult {
  readonly region: string;
  /** Where its traffic went: the next region by role. */
  readonly spillRegion: string;
  /** From the server's stop to the failed-over weights in Route53. */
  readonly failedOverMs: number;
  readonly weights: Weights;
  /** The failover controller's alert. */
  readonly controllerAlert: AlertTimes;
  /** The global Prometheus's rule alert. */
  readonly ruleAlert: AlertTimes;
}

export interface RecoveryResult {
  readonly region: string;
  /** The version the restarted server loaded from its sync directory, and how long after the start. */
  readonly reloadedVersion: string | null;
  readonly reloadedMs: number;
  /** Every self weight Route53 held, in order, from the restart until 100, with when it was first seen. */
  readonly steps: readonly { readonly self: number; readonly atMs: number }[];
  /** From the restart to each alert's "resolved" notification, by alert name. */
  readonly resolvedMs: Readonly<Record<string, number>>;
}

/** Generous bounds, far above what the shortened intervals need (docs/local.md gives the measured figures). */
const ALERT_TIMEOUT_MS = 45_000;
const RESTORE_TIMEOUT_MS = 60_000;
const POLL_MS = 100;

type Labels = Readonly<Record<string, string>>;
const about = (alertname: string, region: string) => (labels: Labels) => labels.alertname === alertname && labels.region === region;

/** The first notification, after the `from`-th, with an alert of this status matching `matches`; resolves at its arrival. */
function notification(platform: Platform, from: number, status: 'firing' | 'resolved', matches: (labels: Labels) => boolean): Promise<Notification & { atMs: number }> {
  const receiver = platform.alertReceiver;
  return receiver
    .waitFor((candidate) => receiver.notifications.indexOf(candidate) >= from && candidate.alerts.some((alert) => alert.status === status && matches(alert.labels)), ALERT_TIMEOUT_MS)
    .then((found) => ({ ...found, atMs: Date.now() }));
}

async function alertTimes(platform: Platform, startedAt: number, from: number, alertname: string, region: string, signal?: AbortSignal): Promise<AlertTimes> {
  const matches = about(alertname, region);
  const notified = notification(platform, from, 'firing', matches);
  notified.catch(() => undefined);
  const active = await waitFor(`${alertname} for ${region} in Alertmanager`, { timeoutMs: ALERT_TIMEOUT_MS, everyMs: POLL_MS, signal }, async () => {
    const found = (await platform.alertmanager.alerts()).find((alert) => alert.status.state === 'active' && matches(alert.labels));
    return found ? { labels: found.labels, atMs: Date.now() } : undefined;
  });
  const sent = await notified;
  return { labels: active.labels, activeMs: active.atMs - startedAt, receiver: sent.path.replace(/^\//, ''), notifiedMs: sent.atMs - startedAt };
}

export async function takeRegionDown(platform: Platform, region: string, output: Output, signal?: AbortSignal): Promise<OutageResult> {
  const runtime = platform.region(region);
  const index = platform.regions.indexOf(runtime);
  const spillRegion = platform.regions[(index + 1) % platform.regions.length].region.name;
  const { domain } = platform.topology.environment;
  const from = platform.alertReceiver.notifications.length;

  const stoppedAt = Date.now();
  await platform.stopServing(region);
  output.print(`   ${region}'s model server stopped: ${runtime.servingUrl}/health no longer answers`);

  const controllerAlert = alertTimes(platform, stoppedAt, from, FAILOVER_ALERT_NAME, region, signal);
  const ruleAlert = alertTimes(platform, stoppedAt, from, ALERT_NAMES.regionDown, region, signal);
  controllerAlert.catch(() => undefined);
  ruleAlert.catch(() => undefined);
  const weights = await waitFor(`the failover of ${region}'s weights in Route53`, { timeoutMs: ALERT_TIMEOUT_MS, everyMs: POLL_MS, signal }, async () => {
    const now = await readWeights(platform.dns, platform.zoneId, domain, region);
    return now.self === 0 && now.spill === 100 ? { weights: now, atMs: Date.now() } : undefined;
  });
  output.print(`   failover controllers: a quorum saw it down; Route53 ${region}.api.${domain} weights self 0 / spill 100 (its traffic to ${spillRegion}) after ${seconds(weights.atMs - stoppedAt)}`);
  const controller = await controllerAlert;
  output.print(`   Alertmanager: ${FAILOVER_ALERT_NAME} (from the controller) firing after ${seconds(controller.activeMs)}, "${controller.receiver}" notified after ${seconds(controller.notifiedMs)}`);
  const rule = await ruleAlert;
  output.print(`   Alertmanager: ${ALERT_NAMES.regionDown} (from the global Prometheus) firing after ${seconds(rule.activeMs)}, "${rule.receiver}" notified after ${seconds(rule.notifiedMs)}`);
  return { region, spillRegion, failedOverMs: weights.atMs - stoppedAt, weights: weights.weights, controllerAlert: controller, ruleAlert: rule };
}

export async function bringRegionBack(platform: Platform, region: string, output: Output, signal?: AbortSignal): Promise<RecoveryResult> {
  const runtime = platform.region(region);
  const { domain } = platform.topology.environment;
  const from = platform.alertReceiver.notifications.length;
  const alertnames = [ALERT_NAMES.regionDown, FAILOVER_ALERT_NAME];
  const resolutions = alertnames.map((alertname) => notification(platform, from, 'resolved', about(alertname, region)));
  for (const resolution of resolutions) resolution.catch(() => undefined);

  const startedAt = Date.now();
  await platform.startServing(region);
  const reloaded = await waitFor(`${region}'s model server to load its model`, { timeoutMs: ALERT_TIMEOUT_MS, everyMs: POLL_MS, signal }, async () => {
    const status = (await (await fetch(`${runtime.servingUrl}/v1/models`)).json()) as ModelsStatus;
    return status.loaded ? { version: status.loaded.version, atMs: Date.now() } : undefined;
  });
  output.print(`   ${region}'s model server is back: ${reloaded.version} loaded from its sync directory after ${seconds(reloaded.atMs - startedAt)}`);

  const steps: { self: number; atMs: number }[] = [];
  const deadline = startedAt + RESTORE_TIMEOUT_MS;
  for (;;) {
    signal?.throwIfAborted();
    const { self } = await readWeights(platform.dns, platform.zoneId, domain, region);
    if (steps.at(-1)?.self !== self) {
      const atMs = Date.now() - startedAt;
      steps.push({ self, atMs });
      if (steps.length > 1) output.print(`   restore: self weight ${self} after ${seconds(atMs)}`);
    }
    if (self === 100) break;
    if (Date.now() > deadline) throw new Error(`timed out after ${RESTORE_TIMEOUT_MS / 1000} s waiting for ${region}'s weights to be restored (self weights seen: ${steps.map((step) => step.self).join(' → ')})`);
    await systemClock.sleep(POLL_MS, signal);
  }

  const resolvedMs: Record<string, number> = {};
  for (const [index, alertname] of alertnames.entries()) {
    const resolved = await resolutions[index];
    resolvedMs[alertname] = resolved.atMs - startedAt;
    output.print(`   Alertmanager: ${alertname} resolved, "${resolved.path.replace(/^\//, '')}" notified after ${seconds(resolvedMs[alertname])}`);
  }
  return { region, reloadedVersion: reloaded.version, reloadedMs: reloaded.atMs - startedAt, steps, resolvedMs };
}
