/**
 * The `observability` section of an environment config: objectives, alert receivers (secret references,
 * never secret values) and the size of the global Prometheus. See docs/configuration.md ("Observability").
 */
import { z } from 'zod';
import { MAX_BURN_FACTOR, MIN_AVAILABILITY } from '../../constructs/observability/thresholds';

const positiveInt = (unit: string) => z.number().int().min(1, { error: `must be a whole number of ${unit}, 1 or more` });

/** A Kubernetes Secret name (DNS subdomain) and a key in it. */
const secretKeyRef = z.strictObject({
  name: z.string().regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/, {
    error: 'must be the name of a Kubernetes Secret in the monitoring namespace, such as alertmanager-pager',
  }).max(253, { error: 'must be at most 253 characters' }),
  key: z.string().regex(/^[-._a-zA-Z0-9]+$/, { error: 'must be a key of the Secret, such as url or token' }),
});

/** An https URL without credentials or a query string: those would be secrets in the repository. */
const publicHttpsUrl = (what: string) =>
  z
    .url({ protocol: /^https$/, error: `must be an https:// URL (${what})` })
    .refine((url) => {
      const parsed = new URL(url);
      return parsed.username === '' && parsed.password === '' && parsed.search === '';
    }, { error: 'must not carry credentials or a query string: put the secret in a Kubernetes Secret and reference it' });

const receiver = z.discriminatedUnion(
  'kind',
  [
    z.strictObject({
      kind: z.literal('webhook'),
      url: publicHttpsUrl('the receiver endpoint; Alertmanager posts its webhook JSON there'),
      bearerTokenSecret: secretKeyRef.optional(),
    }),
    z.strictObject({
      kind: z.literal('slack'),
      /** The incoming-webhook URL is itself the secret. */
      webhookUrlSecret: secretKeyRef,
      channel: z.string().regex(/^[#@][\w.-]+$/, { error: 'must be a channel such as #skyline-alerts' }),
    }),
    z.strictObject({ kind: z.literal('pagerduty'), routingKeySecret: secretKeyRef }),
  ],
  { error: 'must have kind "webhook", "slack" or "pagerduty"' },
);

export const observabilitySchema = z.strictObject({
  /** Objectives every workload is held to (per environment: dev tolerates more). */
  slo: z.strictObject({
    /** Share of operations that succeed over 30 days, in percent, e.g. 99.9. */
    availabilityPercent: z
      .number()
      .min(Math.ceil(MIN_AVAILABILITY * 10_000) / 100, {
        error: `must be at least ${Math.ceil(MIN_AVAILABILITY * 10_000) / 100}: below it the ${MAX_BURN_FACTOR}x burn-rate page would need more than 100 % errors`,
      })
      .max(99.999, { error: 'must be at most 99.999: a tighter objective leaves an error budget no alert can measure' }),
    /** 95th percentile latency objective of request-serving workloads, seconds. */
    latencyP95Seconds: z.number().positive({ error: 'must be a positive number of seconds' }).max(60, { error: 'must be at most 60 seconds' }),
  }),
  /** Replication lag above which an alert fires. */
  replicationLagThresholdSeconds: positiveInt('seconds'),
  /** Where alerts go: critical to the pager, warnings to chat, the Watchdog to the dead man's switch. */
  receivers: z.strictObject({ pager: receiver, chat: receiver, deadMansSwitch: receiver }),
  /** Base of every alert's runbook_url: `<runbookBaseUrl><alert page>.md`. */
  runbookBaseUrl: z.url({ protocol: /^https$/, error: 'must be an https:// URL' }).refine((url) => url.endsWith('/'), { error: 'must end with "/": the page name is appended' }),
  /** The global Prometheus in the primary region. */
  globalPrometheus: z.strictObject({
    retentionDays: positiveInt('days'),
    storageGiB: positiveInt('GiB'),
    replicas: positiveInt('replicas'),
    cpuMillicores: positiveInt('millicores'),
    memoryMiB: positiveInt('MiB'),
  }),
  /** Alertmanager replicas; two or more gossip and deduplicate, so one can be lost without losing a page. */
  alertmanagerReplicas: positiveInt('replicas'),
});

export type ObservabilityConfig = z.output<typeof observabilitySchema>;
