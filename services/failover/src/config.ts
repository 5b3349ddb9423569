/**
 * The failover controller's config: one YAML file per instance (`--config PATH`), validated at load. The zod
 * schema is the single source of truth: `FailoverConfigInput` is what one writes (the chart's ConfigMap is built
 * from it in TypeScript), `FailoverConfig` what the controller runs with, every default filled in.
 */
import { parseConfig, type EnvOverrides } from '../../common/src/config';
import { LOG_LEVELS } from '../../common/src/log-levels';
import { z } from 'zod';

const DNS_LABEL = /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/;
const DNS_NAME = /^([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,}$/;

const dnsLabel = (what: string) => z.string().regex(DNS_LABEL, { message: `must be ${what}: one lowercase DNS label such as us-west-2` });
const seconds = (what: string) => z.number({ message: `must be a number of seconds (${what})` }).positive({ message: `must be more than 0 seconds (${what})` });
const count = (what: string) => z.number({ message: `must be a whole number (${what})` }).int({ message: `must be a whole number (${what})` }).min(1, { message: `must be 1 or more (${what})` });
const httpUrl = (what: string) =>
  z.url({ protocol: /^https?$/, message: `must be an http:// or https:// URL (${what})` }).transform((url) => url.replace(/\/+$/, ''));

const regionSchema = z.strictObject({
  /** Provider region name, the `<region>` of `<region>.api.<domain>`, e.g. `us-west-2`. */
  name: dnsLabel('the provider region name'),
  cloud: z.enum(['aws', 'gcp', 'azure'], { message: 'must be aws, gcp or azure' }),
  /** The region's load balancer: an IP address or host name the probes connect to. */
  address: z.string().min(1, { message: "must be the region's load balancer address (IP or host name)" }),
  port: z.number().int().min(1).max(65535, { message: 'must be a TCP port from 1 to 65535' }).default(443),
  scheme: z.enum(['https', 'http'], { message: 'must be https or http' }).default('https'),
  /** SNI and Host header of the health probe. @default `<name>.api.<domain>` */
  hostname: z.string().regex(DNS_NAME, { message: 'must be a DNS name such as us-west-2.api.ml.example.com' }).optional(),
  healthPath: z.string().regex(/^\/[A-Za-z0-9._~/-]*$/, { message: 'must be an absolute URL path such as /health' }).default('/health'),
  /** Where this region's traffic spills when it fails. @default the next region in the list (wrapping) */
  spillTarget: dnsLabel('a region name from regions[].name').optional(),
});

const peerSchema = z.strictObject({
  /** The region the peer instance runs in: its observations are that region's. */
  region: dnsLabel('a region name from regions[].name'),
  /** Base URL of the peer's HTTP port; its observations are at `<url>/observations`. */
  url: httpUrl('the base URL of the peer controller'),
});

const leaderElectionSchema = z.discriminatedUnion(
  'kind',
  [
    z.strictObject({ kind: z.literal('single') }),
    z.strictObject({
      kind: z.literal('kubernetes-lease'),
      namespace: dnsLabel('the namespace of the Lease'),
      leaseName: dnsLabel('the Lease name').default('skyline-failover'),
      leaseDurationSeconds: seconds('how long a leader holds the Lease without renewing').default(15),
      renewDeadlineSeconds: seconds('how long the leader keeps trying to renew before it stops acting').default(10),
      retryPeriodSeconds: seconds('how often candidates try to acquire or renew').default(2),
    }),
  ],
  { message: 'must be single or kubernetes-lease' },
);

const alertsSchema = z.discriminatedUnion(
  'kind',
  [
    z.strictObject({ kind: z.literal('none') }),
    z.strictObject({
      kind: z.literal('alertmanager'),
      url: httpUrl('the base URL of Alertmanager; alerts are posted to <url>/api/v2/alerts'),
      /** Alertmanager forgets an alert that is not re-sent: it is re-sent this often while active. */
      repeatSeconds: seconds('how often an active alert is re-sent').default(60),
      runbookUrl: z.string().min(1).default('docs/runbooks/failover-drill.md'),
      timeoutSeconds: seconds('how long one POST to Alertmanager may take').default(5),
    }),
  ],
  { message: 'must be alertmanager or none' },
);

export const failoverConfigSchema = z
  .strictObject({
    instance: z.strictObject({
      /** Identity in logs and in the Lease (the pod name in a cluster). */
      name: z.string().min(1, { message: 'must name this instance, e.g. the pod name' }),
      /** The region this instance runs in: its name as an observer. */
      region: dnsLabel('the region this instance runs in, from regions[].name'),
    }),
    /** Environment, the `env` label of the alert. */
    env: dnsLabel('the environment name such as prod'),
    /** Public domain: the records are `<region>.api.<domain>`. */
    domain: z.string().regex(DNS_NAME, { message: 'must be a lowercase DNS name such as ml.example.com' }),
    /** In role order: primary first. A region spills to the next one unless it names its spillTarget. */
    regions: z.array(regionSchema).min(2, { message: 'must list at least two regions: failover needs somewhere to spill to' }),
    peers: z.array(peerSchema).default([]),
    /** Bearer token peers present on GET /observations (set it from a Secret through SKYLINE_FAILOVER_PEER_TOKEN). */
    peerToken: z.string().min(16, { message: 'must be at least 16 characters; generate one with `openssl rand -hex 32`' }).optional(),
    dns: z.strictObject({
      kind: z.literal('route53', { message: 'must be route53' }),
      /**
       * The hosted zone of the domain. Absent, the public zone named exactly `<domain>.` is looked up at start: the
       * workloads stacks deploy the controller before the global stack creates the zone, so they cannot know its ID.
       */
      hostedZoneId: z
        .string({ message: 'must be the ID of the hosted zone of the domain, such as Z0123456789ABCDEFGHIJ' })
        .regex(/^(\/hostedzone\/)?[A-Z0-9]{1,32}$/, { message: 'must be a Route53 hosted zone ID such as Z0123456789ABCDEFGHIJ' })
        .optional(),
      /** Route53 is global; its API is signed for us-east-1 in the aws partition. */
      signingRegion: z.string().min(1).default('us-east-1'),
      insyncTimeoutSeconds: seconds('how long to wait for a change to reach INSYNC').default(120),
      insyncPollSeconds: seconds('how often to ask for the change status').default(2),
    }),
    detection: z
      .strictObject({
        intervalSeconds: seconds('time between probe rounds').default(10),
        failureThreshold: count('consecutive failed probes before an observer calls a region down').default(3),
        successThreshold: count('consecutive good probes before an observer calls a region recovered').default(3),
        quorum: count('observers that must agree, this instance included').default(2),
        /** @default 3 × intervalSeconds */
        observationTtlSeconds: seconds('age after which an observation no longer counts').optional(),
        tcpTimeoutSeconds: seconds('TCP connect timeout of a probe').default(2),
        httpTimeoutSeconds: seconds('HTTP /health timeout of a probe').default(3),
      })
      .prefault({}),
    restore: z
      .strictObject({
        /** Self weights stepped through on restore; spill = 100 − self. */
        steps: z.array(z.number().int({ message: 'must be whole weights' })).min(1, { message: 'must list at least one step, ending at 100' }).default([10, 50, 100]),
        soakSeconds: z.number().min(0, { message: 'must be 0 or more seconds' }).default(300),
      })
      .prefault({}),
    alerts: alertsSchema,
    leaderElection: leaderElectionSchema.prefault({ kind: 'single' }),
    retry: z
      .strictObject({
        attempts: count('attempts of one Route53 call, the first included').default(6),
        baseDelaySeconds: seconds('first backoff ceiling').default(0.2),
        maxDelaySeconds: seconds('largest backoff ceiling').default(10),
      })
      .prefault({}),
    server: z
      .strictObject({
        host: z.string().min(1).default('0.0.0.0'),
        port: z.number().int().min(0).max(65535, { message: 'must be a TCP port, or 0 for any free port' }).default(9464),
      })
      .prefault({}),
    /** Log every decision, change no record, send no alert. */
    dryRun: z.boolean().default(false),
    logLevel: z.enum(LOG_LEVELS, { message: `must be one of ${LOG_LEVELS.join(', ')}` }).default('info'),
  })
  .superRefine((config, context) => {
    const problem = (path: (string | number)[], input: unknown, message: string): void => {
      context.addIssue({ code: 'custom', path, input, message });
    };
    const names = config.regions.map((region) => region.name);
    const known = `known regions: ${names.join(', ')}`;
    names.forEach((name, index) => {
      if (names.indexOf(name) !== index) problem(['regions', index, 'name'], name, 'is listed twice; each region once');
    });
    config.regions.forEach((region, index) => {
      if (region.spillTarget === undefined) return;
      if (!names.includes(region.spillTarget)) problem(['regions', index, 'spillTarget'], region.spillTarget, `is not a region of this config (${known})`);
      else if (region.spillTarget === region.name) problem(['regions', index, 'spillTarget'], region.spillTarget, 'is the region itself; name another region');
    });
    if (!names.includes(config.instance.region)) problem(['instance', 'region'], config.instance.region, `is not a region of this config (${known})`);
    config.peers.forEach((peer, index) => {
      if (!names.includes(peer.region)) problem(['peers', index, 'region'], peer.region, `is not a region of this config (${known})`);
      if (peer.region === config.instance.region) problem(['peers', index, 'region'], peer.region, 'is this instance\'s own region: an instance is never its own peer');
      if (config.peers.findIndex((other) => other.region === peer.region) !== index) problem(['peers', index, 'region'], peer.region, 'has a second peer; one observer per region');
    });

    const observers = config.peers.length + 1;
    const { quorum, intervalSeconds, observationTtlSeconds, tcpTimeoutSeconds, httpTimeoutSeconds } = config.detection;
    if (quorum > observers) {
      problem(['detection', 'quorum'], quorum, `is more than the ${observers} observer${observers === 1 ? '' : 's'} (this instance and ${config.peers.length} peer${config.peers.length === 1 ? '' : 's'}); lower quorum or add peers`);
    } else if (quorum <= observers / 2) {
      // A minority quorum lets one partitioned observer move traffic, which DESIGN § 7 forbids.
      problem(['detection', 'quorum'], quorum, `must be a majority of the ${observers} observers (at least ${Math.floor(observers / 2) + 1}), so that a partitioned minority never moves traffic`);
    }
    if (observationTtlSeconds !== undefined && observationTtlSeconds < intervalSeconds) {
      problem(['detection', 'observationTtlSeconds'], observationTtlSeconds, `is shorter than intervalSeconds (${intervalSeconds}): every observation would expire before the next; use at least 2 × intervalSeconds`);
    }
    if (tcpTimeoutSeconds + httpTimeoutSeconds > intervalSeconds) {
      problem(['detection', 'httpTimeoutSeconds'], httpTimeoutSeconds, `plus tcpTimeoutSeconds (${tcpTimeoutSeconds}) exceeds intervalSeconds (${intervalSeconds}): a probe round would outlast the interval; shorten the timeouts or lengthen the interval`);
    }

    const steps = config.restore.steps;
    steps.forEach((step, index) => {
      if (step < 1 || step > 100) problem(['restore', 'steps', index], step, 'must be a weight from 1 to 100');
      else if (index > 0 && step <= steps[index - 1]) problem(['restore', 'steps', index], step, `must be greater than the step before (${steps[index - 1]}): steps only increase`);
    });
    if (steps.length > 0 && steps[steps.length - 1] !== 100) problem(['restore', 'steps'], steps, 'must end at 100: restore ends with all traffic back on the region');

    if (config.leaderElection.kind === 'kubernetes-lease') {
      const { leaseDurationSeconds, renewDeadlineSeconds, retryPeriodSeconds } = config.leaderElection;
      if (renewDeadlineSeconds >= leaseDurationSeconds) {
        problem(['leaderElection', 'renewDeadlineSeconds'], renewDeadlineSeconds, `must be less than leaseDurationSeconds (${leaseDurationSeconds}): a leader must stop acting before another may take the Lease`);
      }
      if (retryPeriodSeconds >= renewDeadlineSeconds) {
        problem(['leaderElection', 'retryPeriodSeconds'], retryPeriodSeconds, `must be less than renewDeadlineSeconds (${renewDeadlineSeconds}), so a leader gets more than one try to renew`);
      }
    }
    if (config.retry.baseDelaySeconds > config.retry.maxDelaySeconds) {
      problem(['retry', 'baseDelaySeconds'], config.retry.baseDelaySeconds, `is more than maxDelaySeconds (${config.retry.maxDelaySeconds}); lower it or raise maxDelaySeconds`);
    }
  })
  .transform((config) => ({
    ...config,
    regions: config.regions.map((region, index) => ({
      ...region,
      hostname: region.hostname ?? `${region.name}.api.${config.domain}`,
      spillTarget: region.spillTarget ?? config.regions[(index + 1) % config.regions.length].name,
    })),
    detection: { ...config.detection, observationTtlSeconds: config.detection.observationTtlSeconds ?? 3 * config.detection.intervalSeconds },
  }));

/** The config as written (YAML, or built in TypeScript for the chart): optional fields may be left out. */
export type FailoverConfigInput = z.input<typeof failoverConfigSchema>;
/** The config the controller runs with: every default filled in. */
export type FailoverConfig = z.output<typeof failoverConfigSchema>;
export type RegionConfig = FailoverConfig['regions'][number];
export type LeaderElectionConfig = FailoverConfig['leaderElection'];

/** Settings that come from the environment rather than the file: secrets, and the pod's own name. */
export const FAILOVER_ENV_OVERRIDES: EnvOverrides = {
  peerToken: 'SKYLINE_FAILOVER_PEER_TOKEN',
  'instance.name': 'POD_NAME',
};

/** Validates a config given as an object, e.g. in a test or before rendering the chart's ConfigMap. */
export function parseFailoverConfig(input: FailoverConfigInput, source = 'failover config', env: NodeJS.ProcessEnv = {}): FailoverConfig {
  return parseConfig(input, source, { schema: failoverConfigSchema, envOverrides: FAILOVER_ENV_OVERRIDES, env });
}
