/**
 * What a workloads stack needs from its region's infra stack, whatever the
 * cloud: how to reach the cluster, where the gateway's address is, and how
 * each bundled service's Kubernetes service account binds its cloud identity.
 * The three infra stacks implement it; values are cross-stack references.
 */
import type { BundledService } from '../constructs/common/bundled-services';
import type { GatewayAddressBinding } from '../constructs/common/gateway-address';

/** A client-go exec credential plugin: the standard way each cloud authenticates to its clusters. */
export interface ExecCredential {
  readonly apiVersion: string;
  readonly command: string;
  readonly args: readonly string[];
}

export interface KubernetesConnection {
  /** API server URL. */
  readonly host: string;
  /** Base64-encoded PEM CA certificate of the API server. */
  readonly clusterCaCertificate: string;
  readonly exec: ExecCredential;
}

export interface RegionalInfra {
  readonly kubernetes: KubernetesConnection;
  readonly gatewayAddress: GatewayAddressBinding;
  /** Annotations (and, on Azure, pod labels) that bind a service account to the service's cloud identity. */
  serviceAccountAnnotations(service: BundledService): Readonly<Record<string, string>>;
}

export const EXEC_API_VERSION = 'client.authentication.k8s.io/v1beta1';
