/** failoverValues: what the chart gets from a stack's props, and the errors for bad props. */
import { failoverValues, type FailoverProps } from '../../../constructs/workloads/failover-values';

const PROPS: FailoverProps = {
  imageRepository: 'ghcr.io/acme/skyline-failover',
  imageTag: '0.1.0',
  config: {
    instance: { name: 'failover', region: 'us-west-2' },
    env: 'dev',
    domain: 'ml.example.com',
    regions: [
      { name: 'us-west-2', cloud: 'aws', address: '192.0.2.10' },
      { name: 'europe-west1', cloud: 'gcp', address: '198.51.100.10' },
      { name: 'centralindia', cloud: 'azure', address: '203.0.113.10' },
    ],
    peers: [
      { region: 'europe-west1', url: 'https://failover.europe-west1.api.ml.example.com' },
      { region: 'centralindia', url: 'https://failover.centralindia.api.ml.example.com' },
    ],
    dns: { kind: 'route53', hostedZoneId: 'Z0123456789ABCDEFGHIJ' },
    alerts: { kind: 'none' },
  },
};

describe('failoverValues', () => {
  it('adds the Lease in skyline-system and the chart port to the config, and names the service account as the identities expect', () => {
    const values = failoverValues(PROPS);
    expect(values.config.leaderElection).toEqual({ kind: 'kubernetes-lease', namespace: 'skyline-system', leaseName: 'skyline-failover' });
    expect(values.config.server).toEqual({ host: '0.0.0.0', port: 9464 });
    expect(values.http.port).toBe(9464);
    expect(values.serviceAccount.name).toBe('failover');
    expect(values.replicas).toBe(2);
    expect(values.awsWebIdentity.enabled).toBe(false);
    expect(values.peerToken.secretName).toBe('');
  });

  it('always writes peers, so the chart placeholder cannot merge into a config without them', () => {
    const withoutPeers = { ...PROPS.config, peers: undefined, detection: { quorum: 1 } };
    expect(failoverValues({ ...PROPS, config: withoutPeers }).config.peers).toEqual([]);
  });

  it('enables the projected STS token with a role ARN (GKE, AKS)', () => {
    expect(failoverValues({ ...PROPS, awsRoleArn: 'arn:aws:iam::123456789012:role/prod-failover' }).awsWebIdentity).toEqual({
      enabled: true,
      roleArn: 'arn:aws:iam::123456789012:role/prod-failover',
      audience: 'sts.amazonaws.com',
      mountPath: '/var/run/secrets/sts.amazonaws.com/serviceaccount',
      expirationSeconds: 3600,
    });
  });

  it('lists every problem of the props and of the config at once', () => {
    expect(() =>
      failoverValues({ ...PROPS, imageTag: undefined, replicas: 0, awsRoleArn: 'role/x', httpPort: 80, config: { ...PROPS.config, restore: { steps: [10, 50] } } }),
    ).toThrow(
      [
        'Invalid failover props (5 problems):',
        '  - imageTag and imageDigest are both unset: set imageTag (e.g. "0.1.0") or imageDigest ("sha256:<64 hex>")',
        '  - replicas is 0: must be a whole number from 1 to 5 (one leads, the rest stand by)',
        '  - httpPort is 80: must be a port from 1024 to 65535: the controller runs as non-root',
        '  - awsRoleArn is "role/x": must be an IAM role ARN such as arn:aws:iam::123456789012:role/prod-failover',
        '  - config.restore.steps is [10,50]: must end at 100: restore ends with all traffic back on the region',
      ].join('\n'),
    );
  });
});
