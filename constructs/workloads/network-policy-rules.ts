/**
 * The vocabulary NetworkPolicies are written in: peers (who) and ports (on
 * what). The provider has separate but identical types for ingress `from` and
 * egress `to`; these shapes satisfy both, so one peer serves either direction.
 */

export interface LabelSelector {
  readonly matchLabels?: Record<string, string>;
  readonly matchExpressions?: { key: string; operator: 'In' | 'NotIn' | 'Exists' | 'DoesNotExist'; values?: string[] }[];
}

export interface PolicyPeer {
  readonly ipBlock?: { readonly cidr: string; readonly except?: string[] };
  readonly namespaceSelector?: LabelSelector;
  readonly podSelector?: LabelSelector;
}

export interface PolicyPort {
  /** The provider takes ports as strings (numbers or named ports). */
  readonly port: string;
  readonly protocol: 'TCP' | 'UDP';
}

/** No `from` means from anywhere; no `ports` means on every port. */
export interface IngressRule {
  readonly from?: PolicyPeer[];
  readonly ports?: PolicyPort[];
}

/** No `to` means to anywhere; no `ports` means on every port. */
export interface EgressRule {
  readonly to?: PolicyPeer[];
  readonly ports?: PolicyPort[];
}

/** The private IPv4 ranges of RFC 1918: VPCs, peered networks, private endpoints. Never "the internet". */
export const RFC1918_CIDRS = ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16'] as const;

const ALL_IPV4 = '0.0.0.0/0';

export function tcp(...ports: readonly number[]): PolicyPort[] {
  return ports.map((port) => ({ port: String(port), protocol: 'TCP' }));
}

export function udp(...ports: readonly number[]): PolicyPort[] {
  return ports.map((port) => ({ port: String(port), protocol: 'UDP' }));
}

/**
 * Pods of one namespace (optionally only those with `podLabels`). Namespaces are
 * selected by `kubernetes.io/metadata.name`, which the API server sets to the
 * name and nobody can change, unlike labels we set ourselves.
 */
export function namespacePeer(namespace: string, podLabels?: Record<string, string>): PolicyPeer {
  return {
    namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': namespace } },
    ...(podLabels ? { podSelector: { matchLabels: podLabels } } : {}),
  };
}

/** Every pod of the policy's own namespace. */
export const SAME_NAMESPACE: PolicyPeer = { podSelector: {} };

/** Every pod of every namespace. */
export const ALL_NAMESPACES: PolicyPeer = { namespaceSelector: {} };

/** CoreDNS on every cloud: EKS, GKE and AKS all label it `k8s-app: kube-dns` in `kube-system`. */
export const KUBE_DNS: PolicyPeer = namespacePeer('kube-system', { 'k8s-app': 'kube-dns' });

/**
 * Any IPv4 address, in-cluster ones included. Only for destinations that are
 * not pods and whose address is not known at synth time: the Kubernetes API.
 */
export const ANY_IPV4: PolicyPeer = { ipBlock: { cidr: ALL_IPV4 } };

/**
 * The internet: every IPv4 address but the RFC 1918 ranges and the cluster's
 * own (`inClusterCidrs`: pods, services, nodes), which may lie outside RFC 1918
 * (GKE allows 100.64.0.0/10 and class E pod ranges).
 */
export function internetPeer(inClusterCidrs: readonly string[]): PolicyPeer {
  return { ipBlock: { cidr: ALL_IPV4, except: [...new Set([...RFC1918_CIDRS, ...inClusterCidrs])] } };
}

export function cidrPeers(cidrs: readonly string[]): PolicyPeer[] {
  return cidrs.map((cidr) => ({ ipBlock: { cidr } }));
}
