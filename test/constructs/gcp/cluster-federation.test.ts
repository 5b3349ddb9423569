import { TerraformOutput } from 'cdktf';
import { GcpClusterFederation } from '../../../constructs/gcp/cluster-federation';
import { GcpWorkloadIdentity } from '../../../constructs/gcp/workload-identity';
import { onlyResourceOfType, parse, synthConstructs } from '../../helpers/synth';

const ISSUER = 'https://oidc.eks.us-west-2.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE';
const REPLICATOR = { namespace: 'skyline-system', name: 'replicator' };

describe('gcp GcpClusterFederation', () => {
  const synthesized = synthConstructs((scope) => {
    const federation = new GcpClusterFederation(scope, 'federation', { poolId: 'skyline-dev-eks', issuerUrl: ISSUER, serviceAccounts: [REPLICATOR] });
    federation.allowImpersonation(new GcpWorkloadIdentity(scope, 'replicator', { accountId: 'skyline-dev-replicator', serviceAccount: REPLICATOR }), REPLICATOR);
  });

  it('trusts the cluster\'s issuer, mapping the token subject, and exchanges tokens of the listed service accounts only', () => {
    expect(onlyResourceOfType(synthesized, 'google_iam_workload_identity_pool')).toMatchObject({ workload_identity_pool_id: 'skyline-dev-eks' });
    expect(onlyResourceOfType(synthesized, 'google_iam_workload_identity_pool_provider')).toMatchObject({
      workload_identity_pool_id: expect.stringMatching(/google_iam_workload_identity_pool\.federation_pool_\w+\.workload_identity_pool_id/),
      workload_identity_pool_provider_id: 'kubernetes',
      oidc: { issuer_uri: ISSUER },
      attribute_mapping: { 'google.subject': 'assertion.sub' },
      attribute_condition: "assertion.sub in ['system:serviceaccount:skyline-system:replicator']",
    });
  });

  it('lets exactly one subject of the pool act as the Google service account', () => {
    expect(onlyResourceOfType(synthesized, 'google_service_account_iam_member')).toEqual({
      service_account_id: expect.stringMatching(/google_service_account\.replicator_service-account_\w+\.name/),
      role: 'roles/iam.workloadIdentityUser',
      member: expect.stringMatching(/^principal:\/\/iam\.googleapis\.com\/\$\{google_iam_workload_identity_pool\.federation_pool_\w+\.name\}\/subject\/system:serviceaccount:skyline-system:replicator$/),
    });
  });

  it('names the provider as the audience of the pods\' tokens', () => {
    const withOutput = synthConstructs((scope) => {
      const federation = new GcpClusterFederation(scope, 'federation', { poolId: 'skyline-dev-eks', issuerUrl: ISSUER, serviceAccounts: [REPLICATOR] });
      new TerraformOutput(scope, 'audience', { value: federation.audience });
    });
    expect(parse(withOutput).output?.audience.value).toMatch(/^\/\/iam\.googleapis\.com\/\$\{google_iam_workload_identity_pool_provider\.federation_provider_\w+\.name\}$/);
  });

  it('refuses a subject the provider would refuse at the exchange', () => {
    expect(() =>
      synthConstructs((scope) => {
        const federation = new GcpClusterFederation(scope, 'federation', { poolId: 'skyline-dev-eks', issuerUrl: ISSUER, serviceAccounts: [REPLICATOR] });
        federation.allowImpersonation(new GcpWorkloadIdentity(scope, 'other', { accountId: 'skyline-dev-other', serviceAccount: REPLICATOR }), { namespace: 'default', name: 'other' });
      }),
    ).toThrow(/system:serviceaccount:default:other is not in serviceAccounts/);
  });

  it.each(['gcp-skyline', 'abc', 'Skyline-dev', 'skyline-dev-'])('refuses the pool ID %s, which IAM would refuse', (poolId) => {
    expect(() => synthConstructs((scope) => new GcpClusterFederation(scope, 'federation', { poolId, issuerUrl: ISSUER, serviceAccounts: [REPLICATOR] }))).toThrow(/poolId .* must be 4-32 lowercase/);
  });
});
