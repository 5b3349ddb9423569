/**
 * The model replicator's config: one YAML file (`--config PATH`), validated at load, in one of two modes:
 * - `replicate`: copy model versions from source stores to destination stores (DESIGN § 8), driven by bucket
 *   events and a periodic full reconcile;
 * - `sync`: the serving pods' sidecar: keep the newest complete version of one model in a local directory.
 * The zod schema is the single source of truth: `ReplicatorConfigInput` is what one writes (the chart's values are
 * built from it in TypeScript, `constructs/workloads/replicator-values.ts`), `ReplicatorConfig` what the service
 * runs with, every default filled in. Field names are a contract with those values: rename none.
 *
 * Credentials never sit in the file: each SDK's default chain supplies them (IRSA / web identity for AWS,
 * GOOGLE_APPLICATION_CREDENTIALS or the metadata server for GCS, DefaultAzureCredential's workload identity for
 * Azure, or a connection string from AZURE_STORAGE_CONNECTION_STRING), and so do endpoints (AWS_ENDPOINT_URL_*,
 * STORAGE_EMULATOR_HOST; Azure's is the account URL).
 */
import { parseConfig, type EnvOverrides } from '../../common/src/config';
import { LOG_LEVELS } from '../../common/src/log-levels';
import { z } from 'zod';

const seconds = (what: string) => z.number({ message: `must be a number of seconds (${what})` }).positive({ message: `must be more than 0 seconds (${what})` });
const count = (what: string) => z.number({ message: `must be a whole number (${what})` }).int({ message: `must be a whole number (${what})` }).min(1, { message: `must be 1 or more (${what})` });
const mebibytes = (what: string) => z.number({ message: `must be a number of MiB (${what})` }).positive({ message: `must be more than 0 MiB (${what})` });
const httpUrl = (what: string) =>
  z.url({ protocol: /^https?$/, message: `must be an http:// or https:// URL (${what})` }).transform((url) => url.replace(/\/+$/, ''));

/** S3 bucket names: 3–63 characters, lowercase letters, digits, dots and hyphens. GCS allows the same shape. */
const BUCKET = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;
/** Azure container names: 3–63 characters, lowercase letters, digits and single hyphens. */
const CONTAINER = /^[a-z0-9](?!.*--)[a-z0-9-]{1,61}[a-z0-9]$/;
/** A store's name: how routes, events and metric labels refer to it, e.g. the region `us-west-2`. */
const STORE_NAME = /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/;
/** A model name is one path segment of `models/<model>/<version>/`. */
const MODEL_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;

const bucket = z.string({ message: 'must be a bucket name' }).regex(BUCKET, { message: 'must be a bucket name: 3-63 lowercase letters, digits, dots or hyphens' });

/** Where model versions live. One shape per cloud; `kind` selects the adapter (stores/factory.ts). */
const storeVariants = {
  s3: {
    kind: z.literal('s3'),
    bucket,
    /** The bucket's region, e.g. `us-west-2` (the client signs for it). */
    region: z.string({ message: 'must be the AWS region of the bucket, e.g. us-west-2' }).regex(/^[a-z]{2}(-[a-z]+)+-\d$/, { message: 'must be an AWS region such as us-west-2' }),
  },
  gcs: {
    kind: z.literal('gcs'),
    bucket,
  },
  'azure-blob': {
    kind: z.literal('azure-blob'),
    /** The Blob service URL of the storage account, e.g. `https://acct.blob.core.windows.net`. */
    accountUrl: httpUrl('the Blob service URL of the storage account, e.g. https://acct.blob.core.windows.net'),
    container: z.string({ message: 'must be a container name' }).regex(CONTAINER, { message: 'must be a container name: 3-63 lowercase letters, digits or single hyphens' }),
  },
} as const;

const STORE_KINDS_MESSAGE = 'must be s3, gcs or azure-blob';

export const storeSchema = z.discriminatedUnion(
  'kind',
  [z.strictObject(storeVariants.s3), z.strictObject(storeVariants.gcs), z.strictObject(storeVariants['azure-blob'])],
  { message: STORE_KINDS_MESSAGE },
);

const storeName = z.string({ message: 'must be a store name such as us-west-2' }).regex(STORE_NAME, { message: 'must be a store name: one lowercase DNS label such as us-west-2' });

/** A store with the name routes, events and metrics use for it. */
const namedStoreSchema = z.discriminatedUnion(
  'kind',
  [
    z.strictObject({ name: storeName, ...storeVariants.s3 }),
    z.strictObject({ name: storeName, ...storeVariants.gcs }),
    z.strictObject({ name: storeName, ...storeVariants['azure-blob'] }),
  ],
  { message: STORE_KINDS_MESSAGE },
);

const routeSchema = z.strictObject({
  /** The source store's name. */
  from: storeName,
  /** The destination stores' names. */
  to: z.array(storeName).min(1, { message: 'must name at least one destination store' }),
});

/**
 * Where bucket events arrive. Each names the store whose events it carries. Events are hints: the replicator
 * re-reads the version an event names, so duplicates, reordering and loss are harmless (the reconcile repairs).
 * There is no Pub/Sub variant: GCS sources are replicated by the reconcile alone (docs/services/replicator.md).
 */
const eventSourceSchema = z.discriminatedUnion(
  'kind',
  [
    z.strictObject({
      /** S3 event notifications delivered to an SQS queue. */
      kind: z.literal('sqs'),
      store: storeName,
      queueUrl: httpUrl('the SQS queue URL, e.g. https://sqs.us-west-2.amazonaws.com/123456789012/models-events'),
      /** The queue's region (the client signs for it). */
      region: z.string({ message: 'must be the AWS region of the queue, e.g. us-west-2' }).regex(/^[a-z]{2}(-[a-z]+)+-\d$/, { message: 'must be an AWS region such as us-west-2' }),
      /** Long-poll wait of one receive (SQS allows 0–20). */
      waitSeconds: z.number().int().min(0).max(20, { message: 'must be 0 to 20 seconds: the SQS long-poll limit' }).default(20),
      /** How long a received message stays hidden while its version is copied; it reappears if not acknowledged. */
      visibilityTimeoutSeconds: z.number().int().min(1).max(43_200, { message: 'must be 1 to 43200 seconds (the SQS limit)' }).default(300),
    }),
    z.strictObject({
      /** Blob events routed by an Event Grid system topic to an Azure Storage queue. */
      kind: z.literal('azure-queue'),
      store: storeName,
      /** The Queue service URL of the storage account, e.g. `https://acct.queue.core.windows.net`. */
      accountUrl: httpUrl('the Queue service URL of the storage account, e.g. https://acct.queue.core.windows.net'),
      queueName: z.string().regex(/^[a-z0-9](?!.*--)[a-z0-9-]{1,61}[a-z0-9]$/, { message: 'must be a queue name: 3-63 lowercase letters, digits or single hyphens' }),
      /** Pause after an empty receive (Azure queues have no long poll). */
      waitSeconds: z.number().min(0).max(60, { message: 'must be 0 to 60 seconds' }).default(5),
      visibilityTimeoutSeconds: z.number().int().min(1).max(604_800, { message: 'must be 1 to 604800 seconds (the Azure limit)' }).default(300),
    }),
  ],
  { message: 'must be sqs or azure-queue (GCS sources have no event source: the reconcile replicates them)' },
);

const retrySchema = z
  .strictObject({
    /** Attempts of one storage call (throttling, 5xx, lost connections), the first included. */
    attempts: count('attempts of one storage call, the first included').default(8),
    baseDelaySeconds: seconds('first backoff ceiling').default(0.2),
    maxDelaySeconds: seconds('largest backoff ceiling').default(20),
  })
  .prefault({});

const serverSchema = z
  .strictObject({
    host: z.string().min(1).default('0.0.0.0'),
    port: z.number().int().min(0).max(65535, { message: 'must be a TCP port, or 0 for any free port' }).default(9464),
  })
  .prefault({});

const logLevel = z.enum(LOG_LEVELS, { message: `must be one of ${LOG_LEVELS.join(', ')}` }).default('info');

/**
 * A storage connection string (emulators, or accounts without workload identity): used for the Azure stores and
 * queues whose account URL it names; the others use the SDK's DefaultAzureCredential. A secret: set it only
 * through AZURE_STORAGE_CONNECTION_STRING, never in the file.
 */
const azureStorageConnectionString = z.string().min(1).optional();

const replicateSchema = z.strictObject({
  mode: z.literal('replicate'),
  /** Every store the routes name; the first is the default source (DESIGN § 8: primary → all others). */
  stores: z.array(namedStoreSchema).min(2, { message: 'must list at least two stores: a source and a destination' }),
  /** Source → destinations. @default the first store → every other store */
  routes: z.array(routeSchema).min(1, { message: 'must list at least one route, or leave routes out for first store → all others' }).optional(),
  /** @default [] (reconcile only) */
  events: z.array(eventSourceSchema).default([]),
  reconcile: z
    .strictObject({
      /** Full list-compare-repair pass cadence; one also runs at start. */
      intervalSeconds: seconds('time between full reconcile passes').default(300),
    })
    .prefault({}),
  copy: z
    .strictObject({
      /** Objects copied at once into one destination. */
      concurrencyPerDestination: count('objects copied at once into one destination').default(4),
      /** Objects at least this large are uploaded in parts (S3 multipart, GCS resumable, Azure blocks). */
      multipartThresholdMiB: mebibytes('size from which objects are uploaded in parts').default(16),
      /** Size of one part: memory per object in flight is about two parts. */
      partSizeMiB: mebibytes('size of one uploaded part').default(8),
      /** Total read rate from the sources over all copies. @default none (unlimited) */
      bandwidthLimitMiBps: mebibytes('MiB per second over all copies').optional(),
      /** Attempts to copy one object when the written copy does not verify (deleted before each retry). */
      verifyAttempts: count('copy attempts of one object whose written copy fails verification').default(3),
    })
    .prefault({}),
  retry: retrySchema,
  server: serverSchema,
  logLevel,
  azureStorageConnectionString,
});

const signalSchema = z.discriminatedUnion(
  'kind',
  [
    z.strictObject({
      /** Touches (creates or updates the mtime of) this file after each switch; the server watches it. */
      kind: z.literal('file'),
      path: z.string().regex(/^\//, { message: 'must be an absolute path, e.g. /models/.reload' }),
    }),
    z.strictObject({
      /** POSTs `{"model", "version", "path"}` to this URL after each switch; a 2xx answer is success. */
      kind: z.literal('http'),
      url: httpUrl('the serving container reload URL, e.g. http://127.0.0.1:8080/v2/repository/models/resnet/load'),
      timeoutSeconds: seconds('how long the reload call may take').default(10),
    }),
  ],
  { message: 'must be file or http' },
);

const syncSchema = z.strictObject({
  mode: z.literal('sync'),
  /** The bucket or container of this region the model is read from. */
  store: storeSchema,
  /** The model, `models/<model>/` in the store. */
  model: z.string({ message: 'must be a model name' }).regex(MODEL_NAME, { message: 'must be a model name: letters, digits, dots, underscores or hyphens (one path segment)' }),
  /** Local directory the serving container reads: `<directory>/current` is the live version (docs/services/replicator.md). */
  directory: z.string().regex(/^\//, { message: 'must be an absolute path, e.g. /models' }),
  /** How often the store is checked for a newer complete version. */
  pollIntervalSeconds: seconds('time between checks for a newer version').default(30),
  signal: signalSchema,
  /** Download concurrency (files at once). */
  concurrency: count('files downloaded at once').default(4),
  retry: retrySchema,
  server: serverSchema,
  logLevel,
  azureStorageConnectionString,
});

export const replicatorConfigSchema = z
  .discriminatedUnion('mode', [replicateSchema, syncSchema], { message: 'must be replicate or sync' })
  .superRefine((config, context) => {
    if (config.mode !== 'replicate') return;
    const problem = (path: (string | number)[], input: unknown, message: string): void => {
      context.addIssue({ code: 'custom', path, input, message });
    };
    const names = config.stores.map((store) => store.name);
    const known = `known stores: ${names.join(', ')}`;
    names.forEach((name, index) => {
      if (names.indexOf(name) !== index) problem(['stores', index, 'name'], name, 'is listed twice; name each store once');
    });
    const routes = config.routes ?? [];
    const sources = new Set(routes.map((route) => route.from));
    const sourceOf = new Map<string, string>();
    routes.forEach((route, index) => {
      if (!names.includes(route.from)) problem(['routes', index, 'from'], route.from, `is not a store of this config (${known})`);
      route.to.forEach((to, toIndex) => {
        const path = ['routes', index, 'to', toIndex];
        if (!names.includes(to)) problem(path, to, `is not a store of this config (${known})`);
        else if (to === route.from) problem(path, to, 'is the route\'s own source; a store is never copied onto itself');
        else if (sources.has(to)) problem(path, to, 'is also a source: a store is either a source or a destination, so that copies never chain or loop');
        else if (sourceOf.has(to)) problem(path, to, `already receives from ${sourceOf.get(to)}: a destination has one source, so two never race to write one version`);
        else sourceOf.set(to, route.from);
      });
    });
    const effectiveSources = routes.length > 0 ? sources : new Set([names[0]]);
    config.events.forEach((event, index) => {
      if (!names.includes(event.store)) problem(['events', index, 'store'], event.store, `is not a store of this config (${known})`);
      else if (!effectiveSources.has(event.store)) problem(['events', index, 'store'], event.store, `is not a source of any route (sources: ${[...effectiveSources].join(', ')}): its events would copy nothing`);
      else {
        const store = config.stores.find((candidate) => candidate.name === event.store);
        const expected = event.kind === 'sqs' ? 's3' : 'azure-blob';
        if (store !== undefined && store.kind !== expected) problem(['events', index, 'kind'], event.kind, `carries ${expected} events, but store ${event.store} is ${store.kind}`);
      }
    });
    if (config.copy.partSizeMiB < 5) problem(['copy', 'partSizeMiB'], config.copy.partSizeMiB, 'must be at least 5 MiB: S3 refuses smaller parts');
    if (config.copy.partSizeMiB > config.copy.multipartThresholdMiB) {
      problem(['copy', 'partSizeMiB'], config.copy.partSizeMiB, `is more than multipartThresholdMiB (${config.copy.multipartThresholdMiB}); lower it or raise the threshold`);
    }
  })
  .superRefine((config, context) => {
    if (config.retry.baseDelaySeconds > config.retry.maxDelaySeconds) {
      context.addIssue({ code: 'custom', path: ['retry', 'baseDelaySeconds'], input: config.retry.baseDelaySeconds, message: `is more than maxDelaySeconds (${config.retry.maxDelaySeconds}); lower it or raise maxDelaySeconds` });
    }
  })
  .transform((config) => {
    if (config.mode !== 'replicate') return config;
    const [first, ...others] = config.stores;
    return { ...config, routes: config.routes ?? [{ from: first.name, to: others.map((store) => store.name) }] };
  });

/** The config as written (YAML, or built in TypeScript for the chart): optional fields may be left out. */
export type ReplicatorConfigInput = z.input<typeof replicatorConfigSchema>;
/** The config the service runs with: every default filled in. */
export type ReplicatorConfig = z.output<typeof replicatorConfigSchema>;
export type ReplicateConfig = Extract<ReplicatorConfig, { mode: 'replicate' }>;
export type SyncConfig = Extract<ReplicatorConfig, { mode: 'sync' }>;
/** Where a store is: a bucket or container on one cloud. */
export type StoreConfig = z.output<typeof storeSchema>;
export type NamedStoreConfig = ReplicateConfig['stores'][number];
export type EventSourceConfig = ReplicateConfig['events'][number];
export type SignalConfig = SyncConfig['signal'];

/** Settings that come from the environment rather than the file: secrets. */
export const REPLICATOR_ENV_OVERRIDES: EnvOverrides = {
  azureStorageConnectionString: 'AZURE_STORAGE_CONNECTION_STRING',
};

/** Validates a config given as an object, e.g. in a test or before rendering the chart's ConfigMap. */
export function parseReplicatorConfig(input: ReplicatorConfigInput, source = 'replicator config', env: NodeJS.ProcessEnv = {}): ReplicatorConfig {
  return parseConfig(input, source, { schema: replicatorConfigSchema, envOverrides: REPLICATOR_ENV_OVERRIDES, env });
}
