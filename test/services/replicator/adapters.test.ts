/**
 * The adapters' pure parts: reading S3 and Event Grid notifications, classifying the SDKs' errors, the AWS retry
 * strategy, and the pending book behind the lag and pending metrics.
 */
import { classifyError, isTransient } from '../../../services/replicator/src/errors';
import { parseBlobEventMessage } from '../../../services/replicator/src/events/azure-queue';
import { parseS3EventNotification } from '../../../services/replicator/src/events/sqs';
import { PendingBook } from '../../../services/replicator/src/pending-book';
import { awsRetryStrategy } from '../../../services/replicator/src/stores/aws-retry-strategy';

describe('parseS3EventNotification', () => {
  const record = (bucket: string, key: string) => ({ eventSource: 'aws:s3', eventName: 'ObjectCreated:Put', s3: { bucket: { name: bucket }, object: { key } } });

  it('reads the keys of the bucket, URL-decoded (a space is +)', () => {
    const body = JSON.stringify({ Records: [record('models', 'models/whisper/v+2/encoder%2B1.bin'), record('other', 'models/x/1/a')] });
    expect(parseS3EventNotification(body, 'models')).toEqual(['models/whisper/v 2/encoder+1.bin']);
  });

  it('reads the test event S3 sends when notifications are configured as no keys', () => {
    expect(parseS3EventNotification(JSON.stringify({ Service: 'Amazon S3', Event: 's3:TestEvent', Bucket: 'models' }), 'models')).toEqual([]);
  });

  it.each([
    ['not json', /JSON/],
    ['{"Message": "x"}', /no Records array/],
    ['{"Records": [{"eventSource": "aws:sns"}]}', /not aws:s3/],
  ])('rejects %s', (body, message) => {
    expect(() => parseS3EventNotification(body, 'models')).toThrow(message);
  });
});

describe('parseBlobEventMessage', () => {
  const event = { topic: '/subscriptions/0/...', subject: '/blobServices/default/containers/models/blobs/models/clip/3/MANIFEST.json', eventType: 'Microsoft.Storage.BlobCreated' };

  it('reads the Base64 JSON Event Grid writes to a queue, and plain JSON, in the Event Grid and CloudEvents schemas', () => {
    expect(parseBlobEventMessage(Buffer.from(JSON.stringify(event)).toString('base64'), 'models')).toEqual(['models/clip/3/MANIFEST.json']);
    expect(parseBlobEventMessage(JSON.stringify([{ ...event, eventType: undefined, type: 'Microsoft.Storage.BlobDeleted' }]), 'models')).toEqual(['models/clip/3/MANIFEST.json']);
  });

  it('ignores other containers and rejects events that are not blob events', () => {
    expect(parseBlobEventMessage(JSON.stringify(event), 'other')).toEqual([]);
    expect(() => parseBlobEventMessage(JSON.stringify({ ...event, eventType: 'Microsoft.Resources.ResourceWriteSuccess' }), 'models')).toThrow('is not a blob event');
    expect(() => parseBlobEventMessage(JSON.stringify({ ...event, subject: '/blobServices/default/containers/models' }), 'models')).toThrow('does not name a blob');
  });
});

describe('classifyError', () => {
  const sdkError = (name: string, fields: Record<string, unknown>): Error => Object.assign(new Error(name), { name, ...fields });

  it.each([
    ['S3 SlowDown', sdkError('SlowDown', { $metadata: { httpStatusCode: 503 } }), 'throttled'],
    ['GCS 429', sdkError('Error', { code: 429 }), 'throttled'],
    ['Azure ServerBusy', sdkError('RestError', { statusCode: 503, code: 'ServerBusy' }), 'throttled'],
    ['S3 AccessDenied', sdkError('AccessDenied', { $metadata: { httpStatusCode: 403 } }), 'denied'],
    ['Azure 500', sdkError('RestError', { statusCode: 500, code: 'InternalError' }), 'unavailable'],
    ['a reset connection', sdkError('Error', { code: 'ECONNRESET' }), 'unavailable'],
    ['S3 NoSuchBucket', sdkError('NoSuchBucket', { $metadata: { httpStatusCode: 404 } }), 'error'],
  ])('%s', (_name, error, kind) => {
    expect(classifyError(error)).toBe(kind);
    expect(isTransient(error)).toBe(kind === 'throttled' || kind === 'unavailable');
  });
});

describe('awsRetryStrategy', () => {
  it('retries throttling, server and transient errors with full-jitter backoff, up to the attempts', async () => {
    const retries: number[] = [];
    const strategy = awsRetryStrategy({ attempts: 3, baseDelayMs: 100, maxDelayMs: 1000, random: () => 0.5, onRetry: (_type, attempt) => retries.push(attempt) });
    const first = await strategy.acquireInitialRetryToken('s3');
    const second = await strategy.refreshRetryTokenForRetry(first, { errorType: 'THROTTLING' });
    expect([second.getRetryCount(), second.getRetryDelay()]).toEqual([1, 50]);
    const third = await strategy.refreshRetryTokenForRetry(second, { errorType: 'TRANSIENT' });
    expect([third.getRetryCount(), third.getRetryDelay()]).toEqual([2, 100]);
    const error = new Error('last');
    await expect(strategy.refreshRetryTokenForRetry(third, { errorType: 'SERVER_ERROR', error: error as never })).rejects.toBe(error);
    expect(retries).toEqual([1, 2]);
  });

  it('never retries client errors', async () => {
    const strategy = awsRetryStrategy({ attempts: 5, baseDelayMs: 100, maxDelayMs: 1000 });
    await expect(strategy.refreshRetryTokenForRetry(await strategy.acquireInitialRetryToken('s3'), { errorType: 'CLIENT_ERROR' })).rejects.toThrow('no retry left (CLIENT_ERROR)');
  });
});

describe('PendingBook', () => {
  const v1 = { model: 'm', version: '1' };
  const v2 = { model: 'm', version: '2' };

  it('reports the age of the oldest pending version and the objects left, per route, 0 when caught up', () => {
    const book = new PendingBook();
    book.addRoute('a', 'b');
    expect(book.snapshot(10_000)).toEqual([{ source: 'a', destination: 'b', lagSeconds: 0, objects: 0 }]);
    book.replace('a', 'b', [
      { ref: v1, since: new Date(1_000), objects: 3 },
      { ref: v2, since: new Date(4_000), objects: 2 },
    ]);
    book.progress('a', 'b', v1);
    expect(book.snapshot(10_000)).toEqual([{ source: 'a', destination: 'b', lagSeconds: 9, objects: 4 }]);
    book.complete('a', 'b', v1);
    expect(book.snapshot(10_000)).toEqual([{ source: 'a', destination: 'b', lagSeconds: 6, objects: 2 }]);
    book.replace('a', 'b', []);
    expect(book.snapshot(10_000)).toEqual([{ source: 'a', destination: 'b', lagSeconds: 0, objects: 0 }]);
  });
});
