/**
 * Every third-party Helm chart Skyline installs, pinned to an exact version in
 * one place: an upgrade is a one-line change here, visible in every stack's
 * snapshot, and a test refuses anything but an exact version.
 */
export interface UpstreamChart {
  /** Helm repository URL, or `oci://` registry path. */
  readonly repository: string;
  readonly chart: string;
  /** Exact chart version: never a range. */
  readonly version: string;
}

export const UPSTREAM_CHARTS = {
  /** Gateway API implementation of the regional endpoint (ADR-003). */
  envoyGateway: { repository: 'oci://docker.io/envoyproxy', chart: 'gateway-helm', version: 'v1.7.4' },
  /** Issues the gateway's TLS certificate from Let's Encrypt (ACME DNS-01 on Route53). */
  certManager: { repository: 'https://charts.jetstack.io', chart: 'cert-manager', version: 'v1.19.1' },
  /** Prometheus, its operator, kube-state-metrics and node-exporter. */
  kubePrometheusStack: { repository: 'https://prometheus-community.github.io/helm-charts', chart: 'kube-prometheus-stack', version: '81.6.2' },
  /** Serves Prometheus series as Kubernetes custom metrics, for the model server's HPA. */
  prometheusAdapter: { repository: 'https://prometheus-community.github.io/helm-charts', chart: 'prometheus-adapter', version: '5.3.0' },
  /** Advertises `nvidia.com/gpu` on EKS and AKS GPU nodes (GKE runs its own). */
  nvidiaDevicePlugin: { repository: 'https://nvidia.github.io/k8s-device-plugin', chart: 'nvidia-device-plugin', version: '0.18.2' },
  /** Provisions the NLB with the region's Elastic IPs on EKS. */
  awsLoadBalancerController: { repository: 'https://aws.github.io/eks-charts', chart: 'aws-load-balancer-controller', version: '1.17.0' },
} as const satisfies Record<string, UpstreamChart>;
