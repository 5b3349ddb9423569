import { IamOpenidConnectProvider } from '@cdktf/provider-aws/lib/iam-openid-connect-provider';
import { Fn, TerraformLocal } from 'cdktf';
import { Construct } from 'constructs';
import type { ServiceAccountRef } from '../common/bundled-services';
import { WorkloadIdentity } from './workload-identity';

/** An OIDC issuer AWS IAM trusts: the provider's ARN and the issuer without `https://` (the condition-key prefix). */
export interface FederatedIssuer {
  readonly providerArn: string;
  readonly host: string;
}

export interface ClusterFederationProps {
  /** An issuer IAM already trusts (EKS: the cluster's IAM OIDC provider), or the public issuer URL of a GKE or AKS cluster. */
  readonly issuer: FederatedIssuer | { readonly url: string };
}

/**
 * Lets a cluster's service accounts assume AWS roles with their projected
 * tokens (web identity federation, no keys): for GKE and AKS it registers the
 * cluster's public OIDC issuer with IAM; for EKS it reuses the provider the
 * infra stack made. One per cluster, shared by every role of that cluster.
 */
export class ClusterFederation extends Construct {
  readonly issuer: FederatedIssuer;

  constructor(scope: Construct, id: string, props: ClusterFederationProps) {
    super(scope, id);
    if (!('url' in props.issuer)) {
      this.issuer = props.issuer;
      return;
    }
    // AKS issuers end with a slash; IAM condition keys have none. Locals keep quoted function calls out of policy JSON.
    const url = new TerraformLocal(this, 'issuer-url', Fn.trimsuffix(props.issuer.url, '/')).asString;
    const provider = new IamOpenidConnectProvider(this, 'provider', { url, clientIdList: ['sts.amazonaws.com'] });
    this.issuer = { providerArn: provider.arn, host: new TerraformLocal(this, 'issuer-host', Fn.replace(url, 'https://', '')).asString };
  }

  /** A role only `serviceAccount` of this cluster can assume. */
  addWorkloadIdentity(id: string, roleName: string, serviceAccount: ServiceAccountRef): WorkloadIdentity {
    return new WorkloadIdentity(this, id, { roleName, oidcProviderArn: this.issuer.providerArn, oidcIssuerHost: this.issuer.host, serviceAccount });
  }
}
