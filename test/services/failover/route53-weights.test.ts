/** The Route53 adapter against moto: read the pair, write both weights in one batch, wait for INSYNC, retry throttling. */
import { ListResourceRecordSetsCommand, type Route53Client } from '@aws-sdk/client-route-53';
import { systemClock } from '../../../services/common/src/clock';
import { createLogger } from '../../../services/common/src/logger';
import { parseFailoverConfig } from '../../../services/failover/src/config';
import { createDnsWeights } from '../../../services/failover/src/dns/factory';
import { isRetryableRoute53Error } from '../../../services/failover/src/dns/route53-weights';
import { route53Error, startFaultProxy, startMoto, type FaultProxy, type Peer } from '../../helpers/peers';
import { DOMAIN, createRecordTree, readWeights, route53, useMotoForRoute53 } from './fleet';

const logger = createLogger({ service: 'failover', level: 'silent' });
let moto: Peer;
let proxy: FaultProxy;
let client: Route53Client;
let zoneId: string;

beforeAll(async () => {
  moto = await startMoto();
  proxy = await startFaultProxy(moto.url);
  client = route53(moto.url);
  zoneId = await createRecordTree(client);
  // The adapter's client is built by the factory from the SDK's standard setting, as in production.
  useMotoForRoute53(proxy.url);
});

function adapter(hostedZoneId: string | undefined = zoneId) {
  const config = parseFailoverConfig({
    instance: { name: 'test', region: 'europe-west1' },
    env: 'test',
    domain: DOMAIN,
    regions: [
      { name: 'us-west-2', cloud: 'aws', address: '127.0.0.1' },
      { name: 'europe-west1', cloud: 'gcp', address: '127.0.0.1' },
    ],
    dns: { kind: 'route53', hostedZoneId: hostedZoneId && `/hostedzone/${hostedZoneId}`, insyncPollSeconds: 0.05, insyncTimeoutSeconds: 5 },
    detection: { quorum: 1 },
    alerts: { kind: 'none' },
    retry: { attempts: 4, baseDelaySeconds: 0.01, maxDelaySeconds: 0.05 },
  });
  return createDnsWeights(config, { clock: systemClock, logger, signal: new AbortController().signal });
}

describe('Route53Weights', () => {
  it('reads the pair of a region', async () => {
    expect(await adapter().read('us-west-2')).toEqual({ self: 100, spill: 0 });
  });

  it('finds the zone by the domain when no zone ID is configured (the global stack creates it later)', async () => {
    const dns = adapter(undefined);
    expect(await dns.read('us-west-2')).toEqual({ self: 100, spill: 0 });
    await dns.write('us-west-2', { self: 100, spill: 0 }, 'found by name');
  });

  it('writes both weights in one change batch, keeping every other field of the records', async () => {
    const forwardedBefore = proxy.forwarded;
    await adapter().write('europe-west1', { self: 0, spill: 100 }, 'test');
    expect(await readWeights(client, zoneId, 'europe-west1')).toEqual({ self: 0, spill: 100 });
    // One read (list), one ChangeResourceRecordSets with both records, one GetChange (moto is INSYNC at once).
    expect(proxy.forwarded - forwardedBefore).toBe(3);
    const records = await client.send(new ListResourceRecordSetsCommand({ HostedZoneId: zoneId, StartRecordName: `europe-west1.api.${DOMAIN}.`, StartRecordType: 'A', MaxItems: 2 }));
    expect(records.ResourceRecordSets?.map(({ SetIdentifier, Weight, TTL, ResourceRecords }) => ({ SetIdentifier, Weight, TTL, ResourceRecords }))).toEqual([
      { SetIdentifier: 'europe-west1-self', Weight: 0, TTL: 60, ResourceRecords: [{ Value: '198.51.100.10' }] },
      { SetIdentifier: 'europe-west1-spill', Weight: 100, TTL: 60, ResourceRecords: [{ Value: '203.0.113.10' }] },
    ]);
  });

  it('is idempotent: writing the state already there changes nothing', async () => {
    const dns = adapter();
    await dns.write('centralindia', { self: 50, spill: 50 }, 'first');
    await dns.write('centralindia', { self: 50, spill: 50 }, 'again');
    expect(await dns.read('centralindia')).toEqual({ self: 50, spill: 50 });
  });

  it('retries Throttling and PriorRequestNotComplete with backoff, then succeeds', async () => {
    proxy.injectErrors(3, route53Error('Throttling', 'Rate exceeded'));
    expect(await adapter().read('us-west-2')).toEqual({ self: 100, spill: 0 });
    expect(proxy.injected).toBeGreaterThanOrEqual(3);
    proxy.injectErrors(1, route53Error('PriorRequestNotComplete'));
    await adapter().write('us-west-2', { self: 10, spill: 90 }, 'test');
    expect(await readWeights(client, zoneId, 'us-west-2')).toEqual({ self: 10, spill: 90 });
  });

  it('gives up after the configured attempts, with the last error', async () => {
    proxy.injectErrors(4, route53Error('Throttling', 'Rate exceeded'));
    await expect(adapter().read('us-west-2')).rejects.toMatchObject({ name: 'Throttling' });
  });

  it('does not retry what another attempt cannot fix', async () => {
    const [injected, forwarded] = [proxy.injected, proxy.forwarded];
    proxy.injectErrors(1, route53Error('NoSuchHostedZone', 'No hosted zone found with ID: Z0000', 404));
    await expect(adapter().read('us-west-2')).rejects.toMatchObject({ name: 'NoSuchHostedZone' });
    expect([proxy.injected - injected, proxy.forwarded - forwarded]).toEqual([1, 0]);
  });

  it('reads undefined when the pair is missing (the global stack has not created it)', async () => {
    const emptyZone = await createRecordTree(client, 'other.example.com');
    expect(await adapter(emptyZone).read('us-west-2')).toBeUndefined();
  });

});

describe('isRetryableRoute53Error', () => {
  const named = (name: string, status?: number): Error => Object.assign(new Error(name), { name, ...(status ? { $metadata: { httpStatusCode: status } } : {}) });
  it.each([
    [named('Throttling', 400), true],
    [named('PriorRequestNotComplete', 400), true],
    [named('InternalError', 500), true],
    [named('InvalidChangeBatch', 400), false],
    [named('AccessDenied', 403), false],
    [Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }), true],
    ['a string', false],
  ])('%p → %p', (error, retryable) => expect(isRetryableRoute53Error(error)).toBe(retryable));
});
