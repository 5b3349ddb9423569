/** The config: defaults filled in, every problem reported at once with its field, value and fix. */
import { ConfigError } from '../../../services/common/src/config';
import { parseReplicatorConfig, type ReplicatorConfigInput } from '../../../services/replicator/src/config';

const stores = [
  { name: 'us-west-2', kind: 's3', bucket: 'skyline-prod-models-us-west-2', region: 'us-west-2' },
  { name: 'europe-west1', kind: 'gcs', bucket: 'skyline-prod-models-europe-west1' },
  { name: 'centralindia', kind: 'azure-blob', accountUrl: 'https://skylineprodci.blob.core.windows.net/', container: 'models' },
] as const;

function problems(input: unknown, env: NodeJS.ProcessEnv = {}): string[] {
  try {
    parseReplicatorConfig(input as ReplicatorConfigInput, 'test', env);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems.map((problem) => `${problem.field}: ${problem.message} (got ${JSON.stringify(problem.value)})`);
    throw error;
  }
  return [];
}

describe('replicate mode', () => {
  it('fills the defaults: first store to all others, reconcile every 5 minutes, 4 copies per destination', () => {
    const config = parseReplicatorConfig({ mode: 'replicate', stores: [...stores] });
    expect(config).toEqual({
      mode: 'replicate',
      stores: [stores[0], stores[1], { ...stores[2], accountUrl: 'https://skylineprodci.blob.core.windows.net' }],
      routes: [{ from: 'us-west-2', to: ['europe-west1', 'centralindia'] }],
      events: [],
      reconcile: { intervalSeconds: 300 },
      copy: { concurrencyPerDestination: 4, multipartThresholdMiB: 16, partSizeMiB: 8, verifyAttempts: 3 },
      retry: { attempts: 8, baseDelaySeconds: 0.2, maxDelaySeconds: 20 },
      server: { host: '0.0.0.0', port: 9464 },
      logLevel: 'info',
    });
  });

  it('takes the Azure connection string from AZURE_STORAGE_CONNECTION_STRING, and never shows it in an error', () => {
    const secret = 'DefaultEndpointsProtocol=https;AccountName=a;AccountKey=c2VjcmV0;EndpointSuffix=core.windows.net';
    expect(parseReplicatorConfig({ mode: 'replicate', stores: [...stores] }, 'test', { AZURE_STORAGE_CONNECTION_STRING: secret }).azureStorageConnectionString).toBe(secret);
    expect(JSON.stringify(problems({ mode: 'replicate', stores: [stores[0]] }, { AZURE_STORAGE_CONNECTION_STRING: secret }))).not.toContain('c2VjcmV0');
  });

  it('accepts the event sources of source stores, matching their kind', () => {
    const config = parseReplicatorConfig({
      mode: 'replicate',
      stores: [...stores],
      routes: [{ from: 'us-west-2', to: ['europe-west1', 'centralindia'] }],
      events: [{ kind: 'sqs', store: 'us-west-2', queueUrl: 'https://sqs.us-west-2.amazonaws.com/123456789012/models-events', region: 'us-west-2' }],
    });
    expect(config.mode === 'replicate' && config.events).toEqual([{ kind: 'sqs', store: 'us-west-2', queueUrl: 'https://sqs.us-west-2.amazonaws.com/123456789012/models-events', region: 'us-west-2', waitSeconds: 20, visibilityTimeoutSeconds: 300 }]);
  });

  it('reports every field problem at once', () => {
    expect(
      problems({
        mode: 'replicate',
        stores: [{ name: 'Primary', kind: 's3', bucket: 'B', region: 'west' }, { name: 'b', kind: 'minio' }],
        copy: { concurrencyPerDestination: 0, partSizeMiB: -1 },
        logLevel: 'loud',
        extra: true,
      }),
    ).toEqual([
      'stores[0].name: must be a store name: one lowercase DNS label such as us-west-2 (got "Primary")',
      'stores[0].bucket: must be a bucket name: 3-63 lowercase letters, digits, dots or hyphens (got "B")',
      'stores[0].region: must be an AWS region such as us-west-2 (got "west")',
      'stores[1].kind: must be s3, gcs or azure-blob (got "minio")',
      'copy.concurrencyPerDestination: must be 1 or more (objects copied at once into one destination) (got 0)',
      'copy.partSizeMiB: must be more than 0 MiB (size of one uploaded part) (got -1)',
      'logLevel: must be one of fatal, error, warn, info, debug, trace, silent (got "loud")',
      '(root): unknown field extra; remove it or fix the spelling (got ["extra"])',
    ]);
  });

  it('checks the topology: known stores, no store onto itself, one source per destination, no chains', () => {
    expect(
      problems({
        mode: 'replicate',
        stores: [...stores, { name: 'eastus', kind: 'gcs', bucket: 'other-bucket' }],
        routes: [
          { from: 'us-west-2', to: ['europe-west1', 'us-west-2', 'nowhere'] },
          { from: 'centralindia', to: ['europe-west1'] },
          { from: 'eastus', to: ['centralindia'] },
        ],
      }),
    ).toEqual([
      "routes[0].to[1]: is the route's own source; a store is never copied onto itself (got \"us-west-2\")",
      'routes[0].to[2]: is not a store of this config (known stores: us-west-2, europe-west1, centralindia, eastus) (got "nowhere")',
      'routes[1].to[0]: already receives from us-west-2: a destination has one source, so two never race to write one version (got "europe-west1")',
      'routes[2].to[0]: is also a source: a store is either a source or a destination, so that copies never chain or loop (got "centralindia")',
    ]);
  });

  it('checks event sources against the stores and the part size against S3 and the threshold', () => {
    expect(
      problems({
        mode: 'replicate',
        stores: [...stores],
        events: [
          { kind: 'azure-queue', store: 'us-west-2', accountUrl: 'https://a.queue.core.windows.net', queueName: 'blob-events' },
          { kind: 'sqs', store: 'europe-west1', queueUrl: 'https://sqs.us-west-2.amazonaws.com/1/q', region: 'us-west-2' },
        ],
        copy: { partSizeMiB: 4, multipartThresholdMiB: 2 },
      }),
    ).toEqual([
      'events[0].kind: carries azure-blob events, but store us-west-2 is s3 (got "azure-queue")',
      'events[1].store: is not a source of any route (sources: us-west-2): its events would copy nothing (got "europe-west1")',
      'copy.partSizeMiB: must be at least 5 MiB: S3 refuses smaller parts (got 4)',
      'copy.partSizeMiB: is more than multipartThresholdMiB (2); lower it or raise the threshold (got 4)',
    ]);
  });

  it('names the GCS gap when a Pub/Sub event source is asked for', () => {
    expect(problems({ mode: 'replicate', stores: [...stores], events: [{ kind: 'pubsub', store: 'europe-west1', subscription: 's' }] })).toEqual([
      'events[0].kind: must be sqs or azure-queue (GCS sources have no event source: the reconcile replicates them) (got "pubsub")',
    ]);
  });
});

describe('sync mode', () => {
  it('fills the defaults', () => {
    expect(parseReplicatorConfig({ mode: 'sync', store: { kind: 'gcs', bucket: 'skyline-prod-models-europe-west1' }, model: 'resnet50', directory: '/models', signal: { kind: 'file', path: '/models/.reload' } })).toEqual(
      expect.objectContaining({ pollIntervalSeconds: 30, concurrency: 4, signal: { kind: 'file', path: '/models/.reload' } }),
    );
  });

  it('reports bad fields', () => {
    expect(problems({ mode: 'sync', store: { kind: 'gcs', bucket: 'models', name: 'x' }, model: 'a/b', directory: 'models', signal: { kind: 'http', url: 'ftp://x' } })).toEqual([
      'store: unknown field name; remove it or fix the spelling (got ["name"])',
      'model: must be a model name: letters, digits, dots, underscores or hyphens (one path segment) (got "a/b")',
      'directory: must be an absolute path, e.g. /models (got "models")',
      'signal.url: must be an http:// or https:// URL (the serving container reload URL, e.g. http://127.0.0.1:8080/v2/repository/models/resnet/load) (got "ftp://x")',
    ]);
  });

  it('names the modes', () => {
    expect(problems({ mode: 'mirror' })).toEqual(['mode: must be replicate or sync (got "mirror")']);
  });
});
