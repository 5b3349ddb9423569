/** The S3 adapter, built by the factory from its config, against moto; the endpoint from AWS_ENDPOINT_URL_S3. */
import { CreateBucketCommand, DeleteObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { startMoto, type Peer } from '../../../helpers/peers';
import { storeScenarios } from './store-scenarios';

jest.setTimeout(30_000);

const BUCKET = 'skyline-test-cost-exports';
const ENV = { AWS_ENDPOINT_URL_S3: '', AWS_ACCESS_KEY_ID: 'testing', AWS_SECRET_ACCESS_KEY: 'testing' };
let moto: Peer;
let client: S3Client;
const saved: Record<string, string | undefined> = {};

beforeAll(async () => {
  moto = await startMoto();
  // The SDK's standard settings, as the pod has them (IRSA there, static test keys here).
  for (const [name, value] of Object.entries({ ...ENV, AWS_ENDPOINT_URL_S3: moto.url })) {
    saved[name] = process.env[name];
    process.env[name] = value;
  }
  client = new S3Client({ region: 'us-west-2' });
  await client.send(new CreateBucketCommand({ Bucket: BUCKET, CreateBucketConfiguration: { LocationConstraint: 'us-west-2' } }));
});

afterAll(async () => {
  for (const [name, value] of Object.entries(saved)) {
    if (value === undefined) delete process.env[name];
    else process.env[name] = value;
  }
  await moto.stop();
});

describe('S3 exports', () => {
  storeScenarios(() => ({
    source: (prefix) => ({ name: 's3', provider: 'aws', kind: 's3', format: 'auto', bucket: BUCKET, prefix, region: 'us-west-2' }),
    put: async (key, body) => {
      await client.send(new PutObjectCommand({ Bucket: BUCKET, Key: key, Body: body }));
    },
    remove: async (key) => {
      await client.send(new DeleteObjectCommand({ Bucket: BUCKET, Key: key }));
    },
    location: (key) => `s3://${BUCKET}/${key}`,
  }));
});
