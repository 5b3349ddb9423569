/**
 * DnsWeights on Route53. `<region>.api.<domain>` is a weighted pair of A records, set identifiers
 * `<region>-self` and `<region>-spill` (DESIGN § 7), created by the global stack; this adapter only changes their
 * weights. A write re-reads the pair and UPSERTs both records whole, with only Weight changed, in one change
 * batch, so the two weights can never be seen half-applied, then waits for INSYNC via GetChange, bounded.
 * Throttling and PriorRequestNotComplete (a change still propagating) are retried with backoff and full jitter;
 * the SDK's own retries are off (maxAttempts 1) so that one policy, the configured one, governs.
 * The client comes from the SDK's standard settings (AWS_ENDPOINT_URL_ROUTE_53, credentials chain): the same
 * code talks to Route53 or to moto.
 */
import {
  ChangeResourceRecordSetsCommand,
  GetChangeCommand,
  ListHostedZonesByNameCommand,
  ListResourceRecordSetsCommand,
  type ResourceRecordSet,
  type Route53Client,
} from '@aws-sdk/client-route-53';
import type { Clock } from '../../../common/src/clock';
import type { Logger } from '../../../common/src/logger';
import { retry, type RetryPolicy } from '../../../common/src/retry';
import type { RegionName, Weights } from '../domain';
import { RecordPairMissingError, type DnsWeights } from './dns-weights';

export interface Route53WeightsOptions {
  readonly client: Route53Client;
  /** @default the public zone named exactly `<domain>.`, looked up once */
  readonly hostedZoneId?: string;
  readonly domain: string;
  readonly retry: RetryPolicy;
  readonly insyncTimeoutMs: number;
  readonly insyncPollMs: number;
  readonly clock: Clock;
  readonly logger: Logger;
  /** Aborts retries and the INSYNC wait when the controller drains. */
  readonly signal?: AbortSignal;
}

const RETRYABLE = new Set(['Throttling', 'ThrottlingException', 'PriorRequestNotComplete', 'ServiceUnavailable', 'InternalFailure', 'RequestTimeout']);

/** Throttling and conflicts with a propagating change are worth a retry; so are 5xx answers and lost connections. */
export function isRetryableRoute53Error(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  if (RETRYABLE.has(error.name)) return true;
  const status = (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
  if (status !== undefined) return status >= 500;
  // No HTTP answer at all: a reset or refused connection.
  return /ECONNRESET|ECONNREFUSED|socket hang up|ETIMEDOUT|EPIPE/.test(`${(error as NodeJS.ErrnoException).code ?? ''} ${error.message}`);
}

interface RecordPair {
  readonly self: ResourceRecordSet;
  readonly spill: ResourceRecordSet;
}

export class Route53Weights implements DnsWeights {
  private zoneId: string | undefined;

  constructor(private readonly options: Route53WeightsOptions) {
    this.zoneId = options.hostedZoneId?.replace(/^\/hostedzone\//, '');
  }

  async read(region: RegionName): Promise<Weights | undefined> {
    try {
      const pair = await this.readPair(region);
      return { self: pair.self.Weight ?? 0, spill: pair.spill.Weight ?? 0 };
    } catch (error) {
      if (error instanceof RecordPairMissingError) return undefined;
      throw error;
    }
  }

  async write(region: RegionName, desired: Weights, reason: string): Promise<void> {
    const pair = await this.readPair(region);
    const zoneId = await this.zone(region);
    const upsert = (record: ResourceRecordSet, weight: number) => ({ Action: 'UPSERT' as const, ResourceRecordSet: { ...record, Weight: weight } });
    const changeId = await this.call('ChangeResourceRecordSets', async () => {
      const output = await this.options.client.send(
        new ChangeResourceRecordSetsCommand({
          HostedZoneId: zoneId,
          ChangeBatch: {
            // Route53 keeps the comment with the change: the why is visible in GetChange and in CloudTrail.
            Comment: `skyline-failover: ${region} ${desired.self}/${desired.spill}: ${reason}`.slice(0, 256),
            Changes: [upsert(pair.self, desired.self), upsert(pair.spill, desired.spill)],
          },
        }),
      );
      return output.ChangeInfo?.Id ?? '';
    });
    await this.waitInsync(changeId);
  }

  private fqdn(region: RegionName): string {
    return `${region}.api.${this.options.domain}.`;
  }

  /** The configured zone, or the public zone named exactly `<domain>.` (found once, then kept). */
  private async zone(region: RegionName): Promise<string> {
    if (this.zoneId !== undefined) return this.zoneId;
    const name = `${this.options.domain}.`;
    const output = await this.call('ListHostedZonesByName', () => this.options.client.send(new ListHostedZonesByNameCommand({ DNSName: name, MaxItems: 10 })));
    const zone = (output.HostedZones ?? []).find((candidate) => candidate.Name === name && candidate.Config?.PrivateZone !== true);
    if (zone?.Id === undefined) {
      // Not created yet (the global stack deploys after the controller): reported like missing records, retried next pass.
      throw new RecordPairMissingError(region, `no public hosted zone named ${name} in this account; the global stack creates it, or set dns.hostedZoneId`);
    }
    this.zoneId = zone.Id.replace(/^\/hostedzone\//, '');
    return this.zoneId;
  }

  private async readPair(region: RegionName): Promise<RecordPair> {
    const name = this.fqdn(region);
    const zoneId = await this.zone(region);
    const output = await this.call('ListResourceRecordSets', () =>
      this.options.client.send(
        new ListResourceRecordSetsCommand({ HostedZoneId: zoneId, StartRecordName: name, StartRecordType: 'A', MaxItems: 20 }),
      ),
    );
    const records = (output.ResourceRecordSets ?? []).filter((record) => record.Name === name && record.Type === 'A');
    const find = (identifier: string): ResourceRecordSet => {
      const record = records.find((candidate) => candidate.SetIdentifier === identifier);
      if (record === undefined) {
        throw new RecordPairMissingError(region, `no A record ${name} with set identifier ${identifier} in zone ${zoneId} (found ${records.map((r) => r.SetIdentifier ?? '(none)').join(', ') || 'none'}); the global stack creates it`);
      }
      return record;
    };
    return { self: find(`${region}-self`), spill: find(`${region}-spill`) };
  }

  private async waitInsync(changeId: string): Promise<void> {
    if (changeId === '') return;
    const { clock, insyncTimeoutMs, insyncPollMs, signal } = this.options;
    const deadline = clock.now() + insyncTimeoutMs;
    for (;;) {
      const status = await this.call('GetChange', async () => (await this.options.client.send(new GetChangeCommand({ Id: changeId }))).ChangeInfo?.Status);
      if (status === 'INSYNC') return;
      if (clock.now() >= deadline || signal?.aborted) {
        throw new Error(`change ${changeId} still ${status ?? 'unknown'} after ${insyncTimeoutMs} ms; it was accepted and will apply, the next pass reads the result`);
      }
      await clock.sleep(insyncPollMs, signal);
    }
  }

  private call<T>(operation: string, send: () => Promise<T>): Promise<T> {
    return retry(send, {
      ...this.options.retry,
      isRetryable: isRetryableRoute53Error,
      clock: this.options.clock,
      signal: this.options.signal,
      onRetry: (error, attempt, delayMs) =>
        this.options.logger.warn({ operation, attempt, delayMs, error: (error as Error).name, message: (error as Error).message }, 'route53 call failed, retrying'),
    });
  }
}
