/**
 * The namespaces every cluster gets, and the Pod Security level each enforces.
 * Constructs and charts refer to namespaces through this table only, so a
 * NetworkPolicy never names a namespace that does not exist.
 */
export type PodSecurityLevel = 'restricted' | 'baseline' | 'privileged';

export interface NamespaceSpec {
  readonly name: string;
  readonly podSecurity: PodSecurityLevel;
  /** Why a namespace enforces less than `restricted` (shown in docs and as an annotation). */
  readonly podSecurityReason?: string;
}

export const NAMESPACES = {
  /** The model-serving workload. */
  serving: { name: 'ml-serving', podSecurity: 'restricted' },
  /** Skyline's own services: replicator, failover controller, cost analyzer. */
  system: { name: 'skyline-system', podSecurity: 'restricted' },
  /** Prometheus, its operator, kube-state-metrics, prometheus-adapter. */
  monitoring: { name: 'monitoring', podSecurity: 'restricted' },
  /** node-exporter alone: it reads the host's /proc, /sys and network, which no lesser level allows. */
  nodeMonitoring: {
    name: 'monitoring-node',
    podSecurity: 'privileged',
    podSecurityReason:
      'node-exporter needs hostNetwork, hostPID and read-only hostPath mounts of /proc, /sys and /, which baseline forbids; the namespace holds nothing else',
  },
  /** Envoy Gateway's controller and the Envoy proxies of the regional gateway. */
  gateway: { name: 'envoy-gateway-system', podSecurity: 'restricted' },
  /** cert-manager, which issues the gateway's TLS certificate. */
  certManager: { name: 'cert-manager', podSecurity: 'restricted' },
} as const satisfies Record<string, NamespaceSpec>;

export type NamespaceKey = keyof typeof NAMESPACES;
