/** The failover config: defaults, derived values, and a clear error for every rule. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { ConfigError } from '../../../services/common/src/config';
import { parseFailoverConfig, type FailoverConfigInput } from '../../../services/failover/src/config';
import { loadFailoverConfig } from '../../../services/failover/src/load-config';

const VALID: FailoverConfigInput = {
  instance: { name: 'failover-7d9f-abcde', region: 'europe-west1' },
  env: 'prod',
  domain: 'ml.example.com',
  regions: [
    { name: 'us-west-2', cloud: 'aws', address: '192.0.2.10' },
    { name: 'europe-west1', cloud: 'gcp', address: '198.51.100.10' },
    { name: 'centralindia', cloud: 'azure', address: '203.0.113.10' },
  ],
  peers: [
    { region: 'us-west-2', url: 'https://failover.us-west-2.ml.example.com/' },
    { region: 'centralindia', url: 'https://failover.centralindia.ml.example.com' },
  ],
  dns: { kind: 'route53', hostedZoneId: 'Z0123456789ABCDEFGHIJ' },
  alerts: { kind: 'alertmanager', url: 'http://alertmanager.monitoring:9093' },
};

/** The problems' text of a config that must fail. */
function problems(input: unknown): string {
  try {
    parseFailoverConfig(input as FailoverConfigInput);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as Error).message;
  }
  throw new Error('expected the config to be rejected');
}

describe('failover config', () => {
  it('fills every default, the host names and the spill targets (next by role, wrapping)', () => {
    const config = parseFailoverConfig(VALID);
    expect(config.regions.map((region) => [region.name, region.hostname, region.spillTarget, region.port, region.scheme, region.healthPath])).toEqual([
      ['us-west-2', 'us-west-2.api.ml.example.com', 'europe-west1', 443, 'https', '/health'],
      ['europe-west1', 'europe-west1.api.ml.example.com', 'centralindia', 443, 'https', '/health'],
      ['centralindia', 'centralindia.api.ml.example.com', 'us-west-2', 443, 'https', '/health'],
    ]);
    expect(config.detection).toEqual({ intervalSeconds: 10, failureThreshold: 3, successThreshold: 3, quorum: 2, observationTtlSeconds: 30, tcpTimeoutSeconds: 2, httpTimeoutSeconds: 3 });
    expect(config.restore).toEqual({ steps: [10, 50, 100], soakSeconds: 300 });
    expect(config.leaderElection).toEqual({ kind: 'single' });
    expect(config.alerts).toEqual({ kind: 'alertmanager', url: 'http://alertmanager.monitoring:9093', repeatSeconds: 60, runbookUrl: 'docs/runbooks/failover-drill.md', timeoutSeconds: 5 });
    expect(config.dns).toEqual({ kind: 'route53', hostedZoneId: 'Z0123456789ABCDEFGHIJ', signingRegion: 'us-east-1', insyncTimeoutSeconds: 120, insyncPollSeconds: 2 });
    expect(config.peers[0].url).toBe('https://failover.us-west-2.ml.example.com');
    expect(config.server).toEqual({ host: '0.0.0.0', port: 9464 });
    expect(config).toMatchObject({ dryRun: false, logLevel: 'info', retry: { attempts: 6, baseDelaySeconds: 0.2, maxDelaySeconds: 10 } });
  });

  it('fills the Lease defaults', () => {
    expect(parseFailoverConfig({ ...VALID, leaderElection: { kind: 'kubernetes-lease', namespace: 'skyline-system' } }).leaderElection).toEqual({
      kind: 'kubernetes-lease', namespace: 'skyline-system', leaseName: 'skyline-failover', leaseDurationSeconds: 15, renewDeadlineSeconds: 10, retryPeriodSeconds: 2,
    });
  });

  const regions = VALID.regions;
  it.each([
    ['an unknown spill target', { regions: [{ ...regions[0], spillTarget: 'eu-west-1' }, regions[1], regions[2]] }, 'regions[0].spillTarget: is not a region of this config (known regions: us-west-2, europe-west1, centralindia) (got "eu-west-1")'],
    ['a region spilling to itself', { regions: [{ ...regions[0], spillTarget: 'us-west-2' }, regions[1], regions[2]] }, 'regions[0].spillTarget: is the region itself; name another region (got "us-west-2")'],
    ['a region listed twice', { regions: [regions[0], regions[1], { ...regions[2], name: 'us-west-2' }] }, 'regions[2].name: is listed twice'],
    ['one region only', { regions: [regions[0]], peers: [], instance: { name: 'x', region: 'us-west-2' } }, 'regions: must list at least two regions: failover needs somewhere to spill to'],
    ['an instance region that is not configured', { instance: { name: 'x', region: 'westus2' } }, 'instance.region: is not a region of this config'],
    ['a peer in an unknown region', { peers: [{ region: 'asia-east1', url: 'https://a.example.com' }] }, 'peers[0].region: is not a region of this config'],
    ['the instance as its own peer', { peers: [{ region: 'europe-west1', url: 'https://a.example.com' }] }, "peers[0].region: is this instance's own region"],
    ['a failure threshold below 1', { detection: { failureThreshold: 0 } }, 'detection.failureThreshold: must be 1 or more (consecutive failed probes before an observer calls a region down) (got 0)'],
    ['a fractional success threshold', { detection: { successThreshold: 2.5 } }, 'detection.successThreshold: must be a whole number'],
    ['a quorum above the observer count', { detection: { quorum: 4 } }, 'detection.quorum: is more than the 3 observers (this instance and 2 peers); lower quorum or add peers (got 4)'],
    ['a minority quorum', { detection: { quorum: 1 } }, 'detection.quorum: must be a majority of the 3 observers (at least 2), so that a partitioned minority never moves traffic (got 1)'],
    ['restore steps that go down', { restore: { steps: [50, 10, 100] } }, 'restore.steps[1]: must be greater than the step before (50): steps only increase (got 10)'],
    ['restore steps that do not end at 100', { restore: { steps: [10, 50] } }, 'restore.steps: must end at 100: restore ends with all traffic back on the region (got [10,50])'],
    ['a restore step above 100', { restore: { steps: [10, 150] } }, 'restore.steps[1]: must be a weight from 1 to 100 (got 150)'],
    ['probe timeouts longer than the interval', { detection: { intervalSeconds: 2, tcpTimeoutSeconds: 1, httpTimeoutSeconds: 2 } }, 'detection.httpTimeoutSeconds: plus tcpTimeoutSeconds (1) exceeds intervalSeconds (2)'],
    ['an observation TTL shorter than the interval', { detection: { observationTtlSeconds: 5 } }, 'detection.observationTtlSeconds: is shorter than intervalSeconds (10)'],
    ['a renew deadline not below the lease duration', { leaderElection: { kind: 'kubernetes-lease', namespace: 'skyline-system', renewDeadlineSeconds: 15 } }, 'leaderElection.renewDeadlineSeconds: must be less than leaseDurationSeconds (15)'],
    ['an unknown leader election kind', { leaderElection: { kind: 'etcd' } }, 'leaderElection.kind: must be single or kubernetes-lease (got "etcd")'],
    ['a peer URL that is not http(s)', { peers: [{ region: 'us-west-2', url: 'ftp://a.example.com' }] }, 'peers[0].url: must be an http:// or https:// URL'],
    ['a misspelt field', { detection: { interval: 5 } }, 'detection: unknown field interval; remove it or fix the spelling'],
    ['a malformed hosted zone ID', { dns: { kind: 'route53', hostedZoneId: 'zone-1' } }, 'dns.hostedZoneId: must be a Route53 hosted zone ID such as Z0123456789ABCDEFGHIJ'],
    ['an unknown cloud', { regions: [{ ...regions[0], cloud: 'oracle' }, regions[1], regions[2]] }, 'regions[0].cloud: must be aws, gcp or azure (got "oracle")'],
  ])('rejects %s, naming the field, the value and the fix', (_label, override, message) => {
    expect(problems({ ...VALID, ...override })).toContain(message);
  });

  it('reports every shape problem at once', () => {
    const text = problems({ ...VALID, env: 'Prod!', domain: 'nodots', dryRun: 'yes' });
    expect(text).toMatch(/^Invalid config failover config \(3 problems\):/);
    expect(text).toContain('env: must be the environment name');
    expect(text).toContain('domain: must be a lowercase DNS name');
    expect(text).toContain('dryRun:');
  });

  describe('from a YAML file', () => {
    let dir: string;
    beforeAll(() => {
      dir = mkdtempSync(join(tmpdir(), 'failover-config-'));
    });
    afterAll(() => rmSync(dir, { recursive: true, force: true }));

    it('loads the file and takes the peer token and the pod name from the environment', () => {
      const path = join(dir, 'config.yaml');
      writeFileSync(path, stringify(VALID));
      const config = loadFailoverConfig(path, { SKYLINE_FAILOVER_PEER_TOKEN: 'x'.repeat(32), POD_NAME: 'failover-5c7d-xyz12' });
      expect(config.peerToken).toBe('x'.repeat(32));
      expect(config.instance.name).toBe('failover-5c7d-xyz12');
    });

    it('never prints a secret from the environment in an error', () => {
      const path = join(dir, 'config.yaml');
      writeFileSync(path, stringify(VALID));
      expect(() => loadFailoverConfig(path, { SKYLINE_FAILOVER_PEER_TOKEN: 'short-secret' })).toThrow(
        'peerToken: must be at least 16 characters; generate one with `openssl rand -hex 32` (got "(hidden: set by $SKYLINE_FAILOVER_PEER_TOKEN)")',
      );
    });

    it('says which file is missing or malformed', () => {
      expect(() => loadFailoverConfig(join(dir, 'nope.yaml'), {})).toThrow(/Invalid config .*nope\.yaml \(1 problem\):\n {2}- \(root\): cannot read the file \(ENOENT/);
      const broken = join(dir, 'broken.yaml');
      writeFileSync(broken, 'regions: [unclosed\n');
      expect(() => loadFailoverConfig(broken, {})).toThrow('(root): is not valid YAML');
    });
  });
});
