/**
 * Alerts on Alertmanager's API (`POST /api/v2/alerts`). Alertmanager treats an alert that is not re-sent as
 * gone once its endsAt passes, so an active alert is re-sent every `repeatMs` with endsAt a few repeats ahead; if
 * this controller dies, the alert lapses unless another controller takes over as writer and re-sends it.
 * A resolution is sent as the same labels with endsAt = the time of resolution, until delivered once.
 * Delivery runs in the background: a failed POST (Alertmanager down) keeps everything queued and is retried
 * with backoff and full jitter, so alerts arrive when Alertmanager returns.
 */
import type { Clock } from '../../../common/src/clock';
import type { Logger } from '../../../common/src/logger';
import { backoffDelayMs } from '../../../common/src/retry';
import type { RegionName } from '../domain';
import { FAILOVER_ALERT_NAME, type Alerts, type RegionAlert } from './alerts';

export interface AlertmanagerAlertsOptions {
  readonly url: string;
  readonly env: string;
  readonly runbookUrl: string;
  readonly repeatMs: number;
  readonly timeoutMs: number;
  readonly clock: Clock;
  readonly logger: Logger;
}

/** What Alertmanager's v2 API takes per alert (postableAlert). */
interface PostableAlert {
  readonly labels: Record<string, string>;
  readonly annotations: Record<string, string>;
  readonly startsAt: string;
  readonly endsAt: string;
}

interface Entry {
  alert: RegionAlert;
  readonly startsAt: number;
  /** undefined while active. */
  resolvedAt?: number;
  /** When it was last delivered; undefined: never, or changed since. */
  sentAt?: number;
}

/** Active alerts claim to last this many repeats: one or two lost re-sends do not resolve them. */
const ENDS_AFTER_REPEATS = 4;
/** First retry ceiling after a failed POST; the ceiling doubles up to repeatMs, the re-send cadence. */
const RETRY_BASE_DELAY_MS = 500;

export class AlertmanagerAlerts implements Alerts {
  private readonly entries = new Map<RegionName, Entry>();
  private timer: NodeJS.Timeout | undefined;
  private sending: Promise<void> | undefined;
  private failures = 0;
  private closed = false;

  constructor(private readonly options: AlertmanagerAlertsOptions) {}

  firing(alert: RegionAlert): void {
    const entry = this.entries.get(alert.region);
    if (entry === undefined || entry.resolvedAt !== undefined) {
      this.entries.set(alert.region, { alert, startsAt: this.options.clock.now() });
      this.schedule(0);
    } else {
      // New evidence rides along with the next re-send; it is no reason for an extra POST.
      entry.alert = alert;
    }
  }

  resolved(region: RegionName): void {
    const entry = this.entries.get(region);
    if (entry === undefined || entry.resolvedAt !== undefined) return;
    entry.resolvedAt = this.options.clock.now();
    entry.sentAt = undefined;
    this.schedule(0);
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
    await this.sending;
    if (this.due().length > 0) await this.send().catch(() => undefined); // last try; the drain must not hang on it
  }

  private due(): Entry[] {
    const now = this.options.clock.now();
    return [...this.entries.values()].filter((entry) => entry.sentAt === undefined || (entry.resolvedAt === undefined && now - entry.sentAt >= this.options.repeatMs));
  }

  private postable(entry: Entry): PostableAlert {
    const { alert } = entry;
    const now = this.options.clock.now();
    return {
      labels: { alertname: FAILOVER_ALERT_NAME, region: alert.region, cloud: alert.cloud, env: this.options.env, severity: 'critical' },
      annotations: { summary: alert.summary, evidence: alert.evidence, runbook_url: this.options.runbookUrl },
      startsAt: new Date(entry.startsAt).toISOString(),
      endsAt: new Date(entry.resolvedAt ?? now + ENDS_AFTER_REPEATS * this.options.repeatMs).toISOString(),
    };
  }

  private schedule(delayMs: number): void {
    if (this.closed) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = undefined;
      // One POST at a time; a tick during a POST reschedules itself when the POST ends.
      this.sending ??= this.tick().finally(() => {
        this.sending = undefined;
      });
    }, delayMs);
    this.timer.unref();
  }

  private async tick(): Promise<void> {
    try {
      if (this.due().length > 0) await this.send();
      this.failures = 0;
      this.schedule(this.nextDueInMs());
    } catch (error) {
      this.failures++;
      const { repeatMs } = this.options;
      const delayMs = backoffDelayMs({ baseDelayMs: Math.min(RETRY_BASE_DELAY_MS, repeatMs), maxDelayMs: repeatMs }, this.failures, Math.random);
      this.options.logger.warn({ err: error, attempt: this.failures, retryInMs: delayMs }, 'alertmanager unreachable; alerts stay queued');
      this.schedule(delayMs);
    }
  }

  private nextDueInMs(): number {
    const now = this.options.clock.now();
    const active = [...this.entries.values()].filter((entry) => entry.resolvedAt === undefined && entry.sentAt !== undefined);
    if (active.length === 0) return this.options.repeatMs;
    return Math.max(0, Math.min(...active.map((entry) => (entry.sentAt ?? now) + this.options.repeatMs - now)));
  }

  private async send(): Promise<void> {
    const entries = this.due();
    const alerts = entries.map((entry) => this.postable(entry));
    const response = await fetch(`${this.options.url}/api/v2/alerts`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(alerts),
      signal: AbortSignal.timeout(this.options.timeoutMs),
    });
    const text = await response.text();
    if (!response.ok) throw new Error(`POST ${this.options.url}/api/v2/alerts: HTTP ${response.status}: ${text.slice(0, 200)}`);
    const sentAt = this.options.clock.now();
    for (const entry of entries) {
      entry.sentAt = sentAt;
      // A delivered resolution is done with.
      if (entry.resolvedAt !== undefined && this.entries.get(entry.alert.region) === entry) this.entries.delete(entry.alert.region);
    }
    this.options.logger.info({ alerts: alerts.map((alert) => ({ region: alert.labels.region, endsAt: alert.endsAt })) }, 'alerts delivered to alertmanager');
  }
}
