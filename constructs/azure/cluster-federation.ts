import { FederatedIdentityCredential } from '@cdktf/provider-azurerm/lib/federated-identity-credential';
import { Construct } from 'constructs';
import { serviceAccountSubject, type ServiceAccountRef } from '../common/bundled-services';
import { AZURE_TOKEN_EXCHANGE_AUDIENCE, type AzureWorkloadIdentity } from './workload-identity';

/** Federated credential names: 3-120 letters, digits, hyphens and underscores, starting with a letter or digit. */
const CREDENTIAL_NAME = /^[A-Za-z0-9][A-Za-z0-9_-]{2,119}$/;

export interface AzureClusterFederationProps {
  /** The cluster's public OIDC issuer, e.g. `https://oidc.eks.us-west-2.amazonaws.com/id/<id>`, exactly as its tokens' `iss`. */
  readonly issuerUrl: string;
  /** Names the cluster in the credentials' names (`<clusterName>-<namespace>-<service account>`), e.g. `dev-aws-us-west-2`. */
  readonly clusterName: string;
}

/**
 * Lets service accounts of a cluster outside Azure (EKS, GKE) act as user-assigned managed identities with their
 * projected tokens, without secrets: one federated identity credential per identity, trusting that issuer and one
 * subject, with Entra's token-exchange audience. The mirror of the AWS `ClusterFederation`.
 */
export class AzureClusterFederation extends Construct {
  private readonly issuerUrl: string;
  private readonly clusterName: string;

  constructor(scope: Construct, id: string, props: AzureClusterFederationProps) {
    super(scope, id);
    this.issuerUrl = props.issuerUrl;
    this.clusterName = props.clusterName;
  }

  /** Lets `serviceAccount` of the cluster act as `identity`. Returns the credential, for what must wait until the pods can use it. */
  allow(identity: AzureWorkloadIdentity, serviceAccount: ServiceAccountRef): FederatedIdentityCredential {
    const name = `${this.clusterName}-${serviceAccount.namespace}-${serviceAccount.name}`;
    if (!CREDENTIAL_NAME.test(name)) {
      throw new Error(`AzureClusterFederation ${this.node.path}: credential name "${name}" must be 3-120 letters, digits, hyphens or underscores; shorten clusterName`);
    }
    return new FederatedIdentityCredential(this, `trust-${identity.node.id}`, {
      name,
      resourceGroupName: identity.identity.resourceGroupName,
      parentId: identity.identity.id,
      issuer: this.issuerUrl,
      subject: serviceAccountSubject(serviceAccount),
      audience: [AZURE_TOKEN_EXCHANGE_AUDIENCE],
    });
  }
}
