import { ServiceAccount } from '@cdktf/provider-google/lib/service-account';
import { ServiceAccountIamMember } from '@cdktf/provider-google/lib/service-account-iam-member';
import { Construct } from 'constructs';
import type { ServiceAccountRef } from '../common/bundled-services';

/** GCP's rule for service account IDs: 6-30 characters, lowercase letters, digits and hyphens, starting with a letter. */
const ACCOUNT_ID_PATTERN = /^[a-z][a-z0-9-]{4,28}[a-z0-9]$/;

export interface GcpWorkloadIdentityProps {
  /** Service account ID (the part of the email before `@`), 6-30 characters. */
  readonly accountId: string;
  /**
   * The cluster's workload identity pool, `<project>.svc.id.goog`. Pass the
   * cluster's attribute rather than a literal: the pool exists only once a
   * cluster uses it, and IAM rejects bindings to a pool that does not exist.
   * @default none: no GKE cluster may act as it; a cluster elsewhere is federated
   * with it through a `GcpClusterFederation` (the replicator's, ADR-007)
   */
  readonly workloadPool?: string;
  /** The only Kubernetes service account allowed to act as the Google service account. */
  readonly serviceAccount: ServiceAccountRef;
}

/**
 * A Google service account that exactly one Kubernetes service account can
 * impersonate through GKE Workload Identity. It starts with no permission;
 * resources add least-privilege bindings through their grant methods.
 */
export class GcpWorkloadIdentity extends Construct {
  readonly googleServiceAccount: ServiceAccount;
  readonly email: string;
  /** `serviceAccount:<email>`, the form IAM bindings take. */
  readonly member: string;

  constructor(scope: Construct, id: string, props: GcpWorkloadIdentityProps) {
    super(scope, id);
    if (!ACCOUNT_ID_PATTERN.test(props.accountId)) {
      throw new Error(
        `GcpWorkloadIdentity: account ID "${props.accountId}" must be 6-30 lowercase letters, digits and hyphens, starting with a letter`,
      );
    }
    const { namespace, name } = props.serviceAccount;
    this.googleServiceAccount = new ServiceAccount(this, 'service-account', {
      accountId: props.accountId,
      displayName: `Workload identity of ${namespace}/${name}`,
    });
    this.email = this.googleServiceAccount.email;
    this.member = this.googleServiceAccount.member;
    if (props.workloadPool === undefined) return;
    new ServiceAccountIamMember(this, 'workload-identity-user', {
      serviceAccountId: this.googleServiceAccount.name,
      role: 'roles/iam.workloadIdentityUser',
      member: `serviceAccount:${props.workloadPool}[${namespace}/${name}]`,
    });
  }
}
