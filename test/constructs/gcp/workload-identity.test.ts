import { ServiceAccount } from '@cdktf/provider-google/lib/service-account';
import { GcpWorkloadIdentity } from '../../../constructs/gcp/workload-identity';
import { onlyResourceOfType, synthConstructs } from '../../helpers/synth';

const props = { accountId: 'skyline-test-replicator', workloadPool: 'skyline-test.svc.id.goog', serviceAccount: { namespace: 'skyline-system', name: 'replicator' } };

describe('gcp GcpWorkloadIdentity', () => {
  const synthesized = synthConstructs((scope) => new GcpWorkloadIdentity(scope, 'identity', props));

  it('creates a Google service account with the given ID', () => {
    expect(synthesized).toHaveResourceWithProperties(ServiceAccount, { account_id: 'skyline-test-replicator' });
  });

  it('lets exactly one Kubernetes service account act as it, through the workload identity pool', () => {
    expect(onlyResourceOfType(synthesized, 'google_service_account_iam_member')).toMatchObject({
      role: 'roles/iam.workloadIdentityUser',
      member: 'serviceAccount:skyline-test.svc.id.goog[skyline-system/replicator]',
      service_account_id: expect.stringMatching(/^\$\{google_service_account\.identity_service-account_\w+\.name\}$/),
    });
  });

  it('grants nothing else by itself', () => {
    const json = JSON.parse(synthesized) as { resource: Record<string, unknown> };
    expect(Object.keys(json.resource).sort()).toEqual(['google_service_account', 'google_service_account_iam_member']);
  });

  it('lets no GKE cluster act as it without a workload pool (a cluster elsewhere is federated with it)', () => {
    const json = JSON.parse(synthConstructs((scope) => new GcpWorkloadIdentity(scope, 'identity', { ...props, workloadPool: undefined }))) as { resource: Record<string, unknown> };
    expect(Object.keys(json.resource)).toEqual(['google_service_account']);
  });

  it.each(['short', 'skyline-staging-cost-analyzer-x', 'Skyline-dev-replicator', '1skyline-replicator', 'skyline-replicator-'])(
    'rejects the account ID %s, which GCP would refuse at apply time',
    (accountId) => {
      expect(() => synthConstructs((scope) => new GcpWorkloadIdentity(scope, 'identity', { ...props, accountId }))).toThrow(/6-30 lowercase/);
    },
  );

  it('accepts the longest bundled account ID, skyline-staging-cost-analyzer (29 characters)', () => {
    expect(() =>
      synthConstructs((scope) => new GcpWorkloadIdentity(scope, 'identity', { ...props, accountId: 'skyline-staging-cost-analyzer' })),
    ).not.toThrow();
  });
});
