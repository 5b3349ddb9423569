import { IamWorkloadIdentityPool } from '@cdktf/provider-google/lib/iam-workload-identity-pool';
import { IamWorkloadIdentityPoolProvider } from '@cdktf/provider-google/lib/iam-workload-identity-pool-provider';
import { ServiceAccountIamMember } from '@cdktf/provider-google/lib/service-account-iam-member';
import { Construct } from 'constructs';
import { serviceAccountSubject, type ServiceAccountRef } from '../common/bundled-services';
import type { GcpWorkloadIdentity } from './workload-identity';

/** Pool IDs: 4-32 lowercase letters, digits and hyphens, starting with a letter; `gcp-` is reserved. */
const POOL_ID = /^(?!gcp-)[a-z][a-z0-9-]{2,30}[a-z0-9]$/;
const PROVIDER_ID = 'kubernetes';

export interface GcpClusterFederationProps {
  /** Workload identity pool ID, unique in the project. A deleted pool keeps its ID for 30 days. */
  readonly poolId: string;
  /** The cluster's public OIDC issuer, e.g. `https://oidc.eks.us-west-2.amazonaws.com/id/<id>`. */
  readonly issuerUrl: string;
  /** The only service accounts of that cluster whose tokens Google STS exchanges (the provider's attribute condition). */
  readonly serviceAccounts: readonly ServiceAccountRef[];
}

/**
 * Lets service accounts of a cluster outside GCP (EKS, AKS) act as Google service accounts with their projected
 * tokens, without keys: a Workload Identity Federation pool with an OIDC provider for the cluster's issuer, which
 * accepts tokens of the listed service accounts only, and per Google service account a `workloadIdentityUser`
 * binding for exactly one subject. The mirror of the AWS `ClusterFederation`.
 */
export class GcpClusterFederation extends Construct {
  readonly pool: IamWorkloadIdentityPool;
  readonly provider: IamWorkloadIdentityPoolProvider;
  /**
   * `//iam.googleapis.com/projects/<number>/locations/global/workloadIdentityPools/<pool>/providers/<provider>`:
   * the audience the pods' projected tokens carry (the provider's default allowed audience) and the `audience` of
   * their external-account credential configuration.
   */
  readonly audience: string;
  private readonly serviceAccounts: readonly ServiceAccountRef[];

  constructor(scope: Construct, id: string, props: GcpClusterFederationProps) {
    super(scope, id);
    if (!POOL_ID.test(props.poolId)) {
      throw new Error(`GcpClusterFederation: poolId "${props.poolId}" must be 4-32 lowercase letters, digits and hyphens, starting with a letter and not with "gcp-"`);
    }
    if (props.serviceAccounts.length === 0) throw new Error('GcpClusterFederation: serviceAccounts is empty; list the service accounts whose tokens may be exchanged');
    this.serviceAccounts = props.serviceAccounts;
    this.pool = new IamWorkloadIdentityPool(this, 'pool', {
      workloadIdentityPoolId: props.poolId,
      displayName: props.poolId,
      description: `Service accounts of the cluster whose issuer is ${props.issuerUrl}`,
    });
    const subjects = props.serviceAccounts.map((account) => `'${serviceAccountSubject(account)}'`).join(', ');
    this.provider = new IamWorkloadIdentityPoolProvider(this, 'provider', {
      workloadIdentityPoolId: this.pool.workloadIdentityPoolId,
      workloadIdentityPoolProviderId: PROVIDER_ID,
      oidc: { issuerUri: props.issuerUrl },
      attributeMapping: { 'google.subject': 'assertion.sub' },
      // Every other service account of the cluster is refused at the token exchange already.
      attributeCondition: `assertion.sub in [${subjects}]`,
    });
    this.audience = `//iam.googleapis.com/${this.provider.name}`;
  }

  /**
   * Lets `serviceAccount` of the cluster act as `identity` (roles/iam.workloadIdentityUser for its subject only).
   * Returns the binding, for what must wait until the pods can use it.
   */
  allowImpersonation(identity: GcpWorkloadIdentity, serviceAccount: ServiceAccountRef): ServiceAccountIamMember {
    const subject = serviceAccountSubject(serviceAccount);
    if (!this.serviceAccounts.some((account) => serviceAccountSubject(account) === subject)) {
      throw new Error(`GcpClusterFederation ${this.node.path}: ${subject} is not in serviceAccounts, so its tokens are refused at the exchange; add it there`);
    }
    return new ServiceAccountIamMember(this, `impersonate-${identity.node.id}`, {
      serviceAccountId: identity.googleServiceAccount.name,
      role: 'roles/iam.workloadIdentityUser',
      member: `principal://iam.googleapis.com/${this.pool.name}/subject/${subject}`,
    });
  }
}
