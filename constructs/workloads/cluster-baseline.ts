import { LimitRangeV1 } from '@cdktf/provider-kubernetes/lib/limit-range-v1';
import { NamespaceV1 } from '@cdktf/provider-kubernetes/lib/namespace-v1';
import { NetworkPolicyV1 } from '@cdktf/provider-kubernetes/lib/network-policy-v1';
import { ResourceQuotaV1 } from '@cdktf/provider-kubernetes/lib/resource-quota-v1';
import type { ITerraformDependable } from 'cdktf';
import { Construct } from 'constructs';
import { parseCidr } from '../common/cidr';
import { NAMESPACES, type NamespaceKey, type NamespaceSpec } from './namespaces';
import {
  ALL_NAMESPACES,
  ANY_IPV4,
  cidrPeers,
  type EgressRule,
  type IngressRule,
  internetPeer,
  KUBE_DNS,
  type LabelSelector,
  namespacePeer,
  SAME_NAMESPACE,
  tcp,
  udp,
} from './network-policy-rules';

/** An address and port pods get cloud credentials from (a node-local metadata server). */
export interface CredentialEndpoint {
  readonly cidr: string;
  readonly port: number;
}

/**
 * The GKE metadata server, which hands out Workload Identity tokens: pods call
 * 169.254.169.254:80, which Dataplane V2 serves from 169.254.169.252:988.
 * EKS (IRSA) and AKS (Entra workload identity) exchange a projected token over
 * HTTPS instead, which the cloud API rule already allows: they need none.
 */
export const GKE_METADATA_SERVER_ENDPOINTS: readonly CredentialEndpoint[] = [
  { cidr: '169.254.169.254/32', port: 80 },
  { cidr: '169.254.169.252/32', port: 988 },
];

/**
 * Ports the third-party charts listen on by default. They are the charts'
 * choice, not Skyline's, so they are constants: change one here together with
 * the chart values that move it.
 */
export const CHART_PORTS = {
  /** Envoy Gateway's xDS server, which its Envoy proxies pull configuration from. */
  envoyGatewayXds: 18000,
  /** Prometheus endpoint of Envoy Gateway's controller and of its Envoy proxies. */
  envoyMetrics: 19001,
  certManagerWebhook: 10250,
  certManagerMetrics: 9402,
  /** node-exporter runs on the host network, so this port is on the nodes' addresses. */
  nodeExporter: 9100,
  /** The kubelet's metrics and cAdvisor endpoint, on the nodes' addresses. */
  kubelet: 10250,
  /** prometheus-adapter's custom metrics API, which the API server calls for the HPA. */
  prometheusAdapter: 6443,
  /** The Prometheus operator's admission webhook (PrometheusRule validation). */
  prometheusOperatorWebhook: 10250,
  /** Prometheus's web port: the regional one's /federate, the global one's API. */
  prometheus: 9090,
  /** Alertmanager's web port: where alerts are posted. */
  alertmanager: 9093,
} as const;

/** How Envoy Gateway labels the Envoy proxy pods it creates (as opposed to its controller and jobs). */
export const ENVOY_PROXY_LABELS = {
  'app.kubernetes.io/name': 'envoy',
  'app.kubernetes.io/component': 'proxy',
  'app.kubernetes.io/managed-by': 'envoy-gateway',
} as const;

export interface ClusterBaselineProps {
  /** Pod ranges of the cluster (plain CIDR strings). Excluded from internet egress. */
  readonly podCidrs: readonly string[];
  /** Service (ClusterIP) ranges of the cluster. Excluded from internet egress. */
  readonly serviceCidrs: readonly string[];
  /**
   * Node ranges: Prometheus scrapes node-exporter (host network) and the kubelet
   * there. Excluded from internet egress. On EKS, nodes and pods share the VPC.
   */
  readonly nodeCidrs: readonly string[];
  /**
   * Node-local credential endpoints that namespaces calling cloud APIs may reach.
   * Pass `GKE_METADATA_SERVER_ENDPOINTS` on GKE.
   * @default [] (EKS, AKS)
   */
  readonly credentialEndpoints?: readonly CredentialEndpoint[];
  /**
   * Pod Security Standards version the namespaces enforce: `latest` or `v1.<minor>`.
   * @default 'latest'
   */
  readonly podSecurityVersion?: string;
  /**
   * HTTP port of the model server in its pods (the gateway's backend).
   * @default 8080
   */
  readonly servingPort?: number;
  /**
   * Prometheus port of the model server.
   * @default 9090
   */
  readonly servingMetricsPort?: number;
  /**
   * Prometheus port of the services in `skyline-system`.
   * @default 9464
   */
  readonly servicesMetricsPort?: number;
  /**
   * Ports the Envoy proxies listen on in their pods (the Service maps 80/443 to them).
   * @default [10080, 10443]
   */
  readonly gatewayProxyPorts?: readonly number[];
  /**
   * CPU all `ml-serving` pods may request together, in cores. Size it to the serving and GPU pools at their maximum.
   * @default 256
   */
  readonly servingQuotaCpuCores?: number;
  /**
   * Memory all `ml-serving` pods may request together, in GiB.
   * @default 1024
   */
  readonly servingQuotaMemoryGiB?: number;
  /**
   * GPUs (`nvidia.com/gpu`) all `ml-serving` pods may request together.
   * @default 16
   */
  readonly servingQuotaGpus?: number;
  /**
   * Pods `ml-serving` may hold.
   * @default 500
   */
  readonly servingQuotaPods?: number;
  /**
   * CPU request of an `ml-serving` container that sets none, in millicores.
   * @default 250
   */
  readonly servingDefaultCpuRequestMillicores?: number;
  /**
   * Memory request of an `ml-serving` container that sets none, in MiB.
   * @default 512
   */
  readonly servingDefaultMemoryRequestMiB?: number;
  /**
   * CPU limit of an `ml-serving` container that sets none, in millicores.
   * @default 1000
   */
  readonly servingDefaultCpuLimitMillicores?: number;
  /**
   * Memory limit of an `ml-serving` container that sets none, in MiB.
   * @default 1024
   */
  readonly servingDefaultMemoryLimitMiB?: number;
  /**
   * Largest CPU limit one `ml-serving` container may set, in cores.
   * @default 16
   */
  readonly servingContainerMaxCpuCores?: number;
  /**
   * Largest memory limit one `ml-serving` container may set, in GiB.
   * @default 64
   */
  readonly servingContainerMaxMemoryGiB?: number;
}

/** One NetworkPolicy: which pods of a namespace it selects, and what it allows them. */
interface PolicySpec {
  readonly namespace: NamespaceKey;
  readonly name: string;
  /** Why the policy exists; kept as an annotation so `kubectl describe` answers it too. */
  readonly purpose: string;
  /** Every pod of the namespace when absent. */
  readonly podSelector?: LabelSelector;
  /** Present (even empty) makes the policy govern ingress. */
  readonly ingress?: IngressRule[];
  /** Present (even empty) makes the policy govern egress. */
  readonly egress?: EgressRule[];
}

/**
 * What every cluster gets before any workload: the namespaces of `NAMESPACES`
 * with Pod Security Admission labels, a default-deny NetworkPolicy in each plus
 * the narrow allows the platform needs, and a ResourceQuota and LimitRange in
 * `ml-serving`. The three clouds' CNIs enforce NetworkPolicy (EKS VPC CNI with
 * network policy on, GKE Dataplane V2, AKS Cilium), so the same objects mean
 * the same thing everywhere.
 */
export class ClusterBaseline extends Construct {
  /** Namespace names as references to the namespaces, so that what goes into them waits for them. */
  readonly namespaces: Readonly<Record<NamespaceKey, string>>;
  /**
   * Every object created here. A Helm release that depends on these starts its
   * pods under the final policies, quota and container defaults (a pod created
   * before the LimitRange gets no defaults and then fails the quota).
   */
  readonly dependables: readonly ITerraformDependable[];

  constructor(scope: Construct, id: string, props: ClusterBaselineProps) {
    super(scope, id);
    const settings = resolve(props);
    const created: ITerraformDependable[] = [];

    const namespaces = {} as Record<NamespaceKey, string>;
    for (const key of namespaceKeys()) {
      const namespace = createNamespace(this, key, settings.podSecurityVersion);
      namespaces[key] = namespace.metadata.name;
      created.push(namespace);
    }
    this.namespaces = namespaces;

    for (const spec of networkPolicies(settings)) {
      created.push(
        new NetworkPolicyV1(this, `${NAMESPACES[spec.namespace].name}-${spec.name}`, {
          metadata: { name: spec.name, namespace: namespaces[spec.namespace], annotations: { 'skyline.io/purpose': spec.purpose } },
          spec: {
            podSelector: spec.podSelector ?? {},
            policyTypes: [...(spec.ingress ? ['Ingress'] : []), ...(spec.egress ? ['Egress'] : [])],
            ingress: spec.ingress,
            egress: spec.egress,
          },
        }),
      );
    }

    created.push(...servingCapacity(this, namespaces.serving, settings));
    this.dependables = created;
  }
}

type Settings = Required<ClusterBaselineProps>;

function resolve(props: ClusterBaselineProps): Settings {
  const settings: Settings = {
    podCidrs: props.podCidrs,
    serviceCidrs: props.serviceCidrs,
    nodeCidrs: props.nodeCidrs,
    credentialEndpoints: props.credentialEndpoints ?? [],
    podSecurityVersion: props.podSecurityVersion ?? 'latest',
    servingPort: props.servingPort ?? 8080,
    servingMetricsPort: props.servingMetricsPort ?? 9090,
    servicesMetricsPort: props.servicesMetricsPort ?? 9464,
    gatewayProxyPorts: props.gatewayProxyPorts ?? [10080, 10443],
    servingQuotaCpuCores: props.servingQuotaCpuCores ?? 256,
    servingQuotaMemoryGiB: props.servingQuotaMemoryGiB ?? 1024,
    servingQuotaGpus: props.servingQuotaGpus ?? 16,
    servingQuotaPods: props.servingQuotaPods ?? 500,
    servingDefaultCpuRequestMillicores: props.servingDefaultCpuRequestMillicores ?? 250,
    servingDefaultMemoryRequestMiB: props.servingDefaultMemoryRequestMiB ?? 512,
    servingDefaultCpuLimitMillicores: props.servingDefaultCpuLimitMillicores ?? 1000,
    servingDefaultMemoryLimitMiB: props.servingDefaultMemoryLimitMiB ?? 1024,
    servingContainerMaxCpuCores: props.servingContainerMaxCpuCores ?? 16,
    servingContainerMaxMemoryGiB: props.servingContainerMaxMemoryGiB ?? 64,
  };
  validate(settings);
  return settings;
}

function validate(settings: Settings): void {
  const errors: string[] = [];
  for (const field of ['podCidrs', 'serviceCidrs', 'nodeCidrs'] as const) {
    if (settings[field].length === 0) errors.push(`${field} must list at least one CIDR`);
    for (const cidr of settings[field]) {
      // /0 cannot be carved out of 0.0.0.0/0, and would make "the internet" empty.
      if ((parseCidr(cidr)?.prefixLength ?? 0) === 0) errors.push(`${field}: "${cidr}" is not an IPv4 CIDR narrower than /0`);
    }
  }
  for (const endpoint of settings.credentialEndpoints) {
    if (!parseCidr(endpoint.cidr)) errors.push(`credentialEndpoints: "${endpoint.cidr}" is not an IPv4 CIDR`);
  }
  if (!/^(latest|v1\.\d+)$/.test(settings.podSecurityVersion)) {
    errors.push(`podSecurityVersion must be "latest" or "v1.<minor>", got "${settings.podSecurityVersion}"`);
  }
  const ports = [
    settings.servingPort,
    settings.servingMetricsPort,
    settings.servicesMetricsPort,
    ...settings.gatewayProxyPorts,
    ...settings.credentialEndpoints.map((endpoint) => endpoint.port),
  ];
  for (const port of ports) {
    if (!Number.isInteger(port) || port < 1 || port > 65535) errors.push(`${port} is not a TCP port`);
  }
  if (settings.gatewayProxyPorts.length === 0) errors.push('gatewayProxyPorts must list at least one port');
  const sizeFields = [
    'servingQuotaCpuCores',
    'servingQuotaMemoryGiB',
    'servingQuotaGpus',
    'servingQuotaPods',
    'servingDefaultCpuRequestMillicores',
    'servingDefaultMemoryRequestMiB',
    'servingDefaultCpuLimitMillicores',
    'servingDefaultMemoryLimitMiB',
    'servingContainerMaxCpuCores',
    'servingContainerMaxMemoryGiB',
  ] as const;
  for (const field of sizeFields) {
    if (!Number.isInteger(settings[field]) || settings[field] < 1) errors.push(`${field} must be a positive integer, got ${settings[field]}`);
  }
  // The API server rejects a LimitRange whose default request exceeds its default limit, or a default above the max.
  if (settings.servingDefaultCpuRequestMillicores > settings.servingDefaultCpuLimitMillicores) {
    errors.push('servingDefaultCpuRequestMillicores must not exceed servingDefaultCpuLimitMillicores');
  }
  if (settings.servingDefaultMemoryRequestMiB > settings.servingDefaultMemoryLimitMiB) {
    errors.push('servingDefaultMemoryRequestMiB must not exceed servingDefaultMemoryLimitMiB');
  }
  if (settings.servingDefaultCpuLimitMillicores > settings.servingContainerMaxCpuCores * 1000) {
    errors.push('servingDefaultCpuLimitMillicores must not exceed servingContainerMaxCpuCores');
  }
  if (settings.servingDefaultMemoryLimitMiB > settings.servingContainerMaxMemoryGiB * 1024) {
    errors.push('servingDefaultMemoryLimitMiB must not exceed servingContainerMaxMemoryGiB');
  }
  if (errors.length > 0) throw new Error(`ClusterBaseline: ${errors.join('; ')}`);
}

function namespaceKeys(): NamespaceKey[] {
  return Object.keys(NAMESPACES) as NamespaceKey[];
}

function createNamespace(scope: Construct, key: NamespaceKey, podSecurityVersion: string): NamespaceV1 {
  const spec: NamespaceSpec = NAMESPACES[key];
  // Audit and warn at the enforced level, so the audit log and kubectl show exactly what enforcement rejects.
  const podSecurity: Record<string, string> = {};
  for (const mode of ['enforce', 'audit', 'warn']) {
    podSecurity[`pod-security.kubernetes.io/${mode}`] = spec.podSecurity;
    podSecurity[`pod-security.kubernetes.io/${mode}-version`] = podSecurityVersion;
  }
  return new NamespaceV1(scope, spec.name, {
    metadata: {
      name: spec.name,
      labels: { ...podSecurity, 'skyline.io/namespace': key },
      annotations: spec.podSecurityReason ? { 'skyline.io/pod-security-reason': spec.podSecurityReason } : undefined,
    },
  });
}

/**
 * Every NetworkPolicy, in order: the two every namespace gets, then each
 * namespace's allows. Allows add up; anything not allowed here is denied.
 */
function networkPolicies(settings: Settings): PolicySpec[] {
  const ns = (key: NamespaceKey) => NAMESPACES[key].name;
  const inCluster = [...settings.podCidrs, ...settings.serviceCidrs, ...settings.nodeCidrs];

  // Managed clusters' API servers are not pods, so no selector can name them, and their
  // addresses (public, or private endpoints inside the VPC) are not known at synth time.
  // Policies are matched after Service load balancing, so the rule must allow the
  // endpoint behind kubernetes.default: 443 on EKS, GKE and AKS; 6443 where an
  // endpoint serves the API server's own default port.
  const kubernetesApi = (namespace: NamespaceKey, podSelector?: LabelSelector): PolicySpec => ({
    namespace,
    name: 'allow-kubernetes-api',
    purpose: 'Reach the Kubernetes API server, which is outside the pod network on managed clusters.',
    podSelector,
    egress: [{ to: [ANY_IPV4], ports: tcp(443, 6443) }],
  });
  const cloudApis = (namespace: NamespaceKey, purpose: string): PolicySpec => ({
    namespace,
    name: 'allow-cloud-apis',
    purpose,
    egress: [
      { to: [internetPeer(inCluster)], ports: tcp(443) },
      ...settings.credentialEndpoints.map((endpoint) => ({ to: cidrPeers([endpoint.cidr]), ports: tcp(endpoint.port) })),
    ],
  });
  const scrapedBy = (namespace: NamespaceKey, port: number): PolicySpec => ({
    namespace,
    name: 'allow-monitoring-scrape',
    purpose: `Let Prometheus in ${ns('monitoring')} scrape metrics on port ${port}.`,
    ingress: [{ from: [namespacePeer(ns('monitoring'))], ports: tcp(port) }],
  });
  const everyPodExceptProxies: LabelSelector = {
    matchExpressions: [{ key: 'app.kubernetes.io/component', operator: 'NotIn', values: [ENVOY_PROXY_LABELS['app.kubernetes.io/component']] }],
  };

  const everywhere = namespaceKeys().flatMap((namespace): PolicySpec[] => [
    {
      namespace,
      name: 'default-deny',
      purpose: 'Deny all ingress and egress of every pod; other policies allow what is needed.',
      ingress: [],
      egress: [],
    },
    {
      namespace,
      name: 'allow-dns',
      purpose: 'Resolve names through CoreDNS (kube-dns) in kube-system.',
      egress: [{ to: [KUBE_DNS], ports: [...udp(53), ...tcp(53)] }],
    },
  ]);

  return [
    ...everywhere,

    {
      namespace: 'serving',
      name: 'allow-gateway-to-serving',
      purpose: `Only the Envoy proxies of ${ns('gateway')} send requests to the model servers.`,
      ingress: [{ from: [namespacePeer(ns('gateway'), ENVOY_PROXY_LABELS)], ports: tcp(settings.servingPort) }],
    },
    scrapedBy('serving', settings.servingMetricsPort),
    cloudApis('serving', 'Model sync reads the model bucket over HTTPS.'),

    scrapedBy('system', settings.servicesMetricsPort),
    {
      namespace: 'system',
      name: 'allow-same-namespace',
      purpose: 'The failover controllers and other Skyline services talk to each other.',
      ingress: [{ from: [SAME_NAMESPACE] }],
      egress: [{ to: [SAME_NAMESPACE] }],
    },
    cloudApis('system', 'Cloud APIs (buckets, DNS, pricing) and the other regions\' public endpoints, over HTTPS.'),
    kubernetesApi('system'),
    {
      namespace: 'system',
      name: 'allow-alerts-to-alertmanager',
      purpose: `The services post alerts to the global Alertmanager in ${ns('monitoring')} (primary region).`,
      egress: [{ to: [namespacePeer(ns('monitoring'))], ports: tcp(CHART_PORTS.alertmanager) }],
    },

    {
      namespace: 'gateway',
      name: 'allow-clients-to-proxies',
      purpose: 'Clients (through the cloud load balancer) reach the Envoy proxies from anywhere.',
      podSelector: { matchLabels: { ...ENVOY_PROXY_LABELS } },
      ingress: [{ ports: tcp(...settings.gatewayProxyPorts) }],
    },
    {
      namespace: 'gateway',
      name: 'allow-proxies-to-serving',
      purpose: `The Envoy proxies forward requests to the model servers in ${ns('serving')}.`,
      podSelector: { matchLabels: { ...ENVOY_PROXY_LABELS } },
      egress: [{ to: [namespacePeer(ns('serving'))], ports: tcp(settings.servingPort) }],
    },
    {
      namespace: 'gateway',
      name: 'allow-proxies-to-failover',
      purpose: `The Envoy proxies forward the other regions' reads of the failover controllers' observations to ${ns('system')}.`,
      podSelector: { matchLabels: { ...ENVOY_PROXY_LABELS } },
      egress: [{ to: [namespacePeer(ns('system'))], ports: tcp(settings.servicesMetricsPort) }],
    },
    {
      namespace: 'gateway',
      name: 'allow-xds',
      purpose: 'The Envoy proxies pull their configuration from the Envoy Gateway controller (xDS).',
      ingress: [{ from: [SAME_NAMESPACE], ports: tcp(CHART_PORTS.envoyGatewayXds) }],
      egress: [{ to: [SAME_NAMESPACE], ports: tcp(CHART_PORTS.envoyGatewayXds) }],
    },
    {
      namespace: 'gateway',
      name: 'allow-proxies-to-prometheus',
      purpose: `The Envoy proxies forward the global Prometheus's /federate requests to the Prometheus in ${ns('monitoring')}.`,
      podSelector: { matchLabels: { ...ENVOY_PROXY_LABELS } },
      egress: [{ to: [namespacePeer(ns('monitoring'))], ports: tcp(CHART_PORTS.prometheus) }],
    },
    scrapedBy('gateway', CHART_PORTS.envoyMetrics),
    // The controller and its certgen job need the API; the internet-facing proxies do not, and
    // must not get the 0.0.0.0/0 rule that comes with it.
    kubernetesApi('gateway', everyPodExceptProxies),

    {
      namespace: 'certManager',
      name: 'allow-apiserver-to-webhook',
      // The API server calls admission webhooks from outside the pod network on managed
      // clusters (the control plane's own network, or a tunnel), from addresses not known here.
      purpose: 'The API server calls the cert-manager webhook, from outside the pod network.',
      ingress: [{ ports: tcp(CHART_PORTS.certManagerWebhook) }],
    },
    scrapedBy('certManager', CHART_PORTS.certManagerMetrics),
    cloudApis('certManager', 'ACME (Let\'s Encrypt) and the DNS provider\'s API for DNS-01 challenges, over HTTPS.'),
    {
      namespace: 'certManager',
      name: 'allow-dns01-self-check',
      // Before telling the ACME server to validate, cert-manager checks the TXT record on the
      // zone's authoritative nameservers itself, over plain DNS, not through kube-dns.
      purpose: 'cert-manager confirms DNS-01 records on the public authoritative nameservers.',
      egress: [{ to: [internetPeer(inCluster)], ports: [...udp(53), ...tcp(53)] }],
    },
    kubernetesApi('certManager'),

    {
      namespace: 'monitoring',
      name: 'allow-scrapes',
      purpose: 'Prometheus scrapes pods in every namespace, and node-exporter and the kubelet on the nodes.',
      egress: [
        // Every namespace, any port: the scraped namespaces' own ingress policies decide which ports.
        { to: [ALL_NAMESPACES] },
        // node-exporter uses the host network, so it is reached on the nodes' addresses, not as a pod.
        { to: cidrPeers(settings.nodeCidrs), ports: tcp(CHART_PORTS.nodeExporter, CHART_PORTS.kubelet) },
      ],
    },
    {
      namespace: 'monitoring',
      name: 'allow-same-namespace',
      purpose: 'Prometheus, its operator, kube-state-metrics and prometheus-adapter talk to each other.',
      ingress: [{ from: [SAME_NAMESPACE] }],
    },
    {
      namespace: 'monitoring',
      name: 'allow-apiserver-to-monitoring',
      // Unreachable, the custom metrics APIService breaks the HPA and API discovery, and the
      // operator's webhook rejects PrometheusRules. The API server calls from outside the pod network.
      purpose: 'The API server calls prometheus-adapter (custom metrics API) and the Prometheus operator webhook.',
      ingress: [{ ports: tcp(CHART_PORTS.prometheusAdapter, CHART_PORTS.prometheusOperatorWebhook) }],
    },
    {
      namespace: 'monitoring',
      name: 'allow-federation-from-gateway',
      purpose: `Only the Envoy proxies of ${ns('gateway')} reach Prometheus from outside ${ns('monitoring')}: the /federate route.`,
      ingress: [{ from: [namespacePeer(ns('gateway'), ENVOY_PROXY_LABELS)], ports: tcp(CHART_PORTS.prometheus) }],
    },
    {
      namespace: 'monitoring',
      name: 'allow-alerts-from-services',
      purpose: `The services of ${ns('system')} (the failover controllers) post alerts to the global Alertmanager.`,
      ingress: [{ from: [namespacePeer(ns('system'))], ports: tcp(CHART_PORTS.alertmanager) }],
    },
    {
      namespace: 'monitoring',
      name: 'allow-federation-and-receivers',
      purpose: 'The global Prometheus reads every region\'s /federate through its gateway, and Alertmanager posts to the pager, chat and dead man\'s switch, over HTTPS.',
      egress: [{ to: [internetPeer(inCluster)], ports: tcp(443) }],
    },
    kubernetesApi('monitoring'),

    {
      namespace: 'nodeMonitoring',
      name: 'allow-node-exporter-scrape',
      purpose: `Only Prometheus in ${ns('monitoring')} reaches node-exporter.`,
      ingress: [{ from: [namespacePeer(ns('monitoring'))], ports: tcp(CHART_PORTS.nodeExporter) }],
    },
  ];
}

/** The ResourceQuota and LimitRange of `ml-serving`. */
function servingCapacity(scope: Construct, namespace: string, settings: Settings): ITerraformDependable[] {
  // Requests, not limits, are what the scheduler reserves, so the quota caps requests. It also
  // makes every pod state its requests; the LimitRange fills them in for containers that do not.
  const quota = new ResourceQuotaV1(scope, 'ml-serving-quota', {
    metadata: { name: 'serving-capacity', namespace },
    spec: {
      hard: {
        'requests.cpu': String(settings.servingQuotaCpuCores),
        'requests.memory': `${settings.servingQuotaMemoryGiB}Gi`,
        // Extended resources cannot be overcommitted, so only their requests can be limited.
        'requests.nvidia.com/gpu': String(settings.servingQuotaGpus),
        pods: String(settings.servingQuotaPods),
      },
    },
  });
  const limits = new LimitRangeV1(scope, 'ml-serving-limits', {
    metadata: { name: 'container-defaults', namespace },
    spec: {
      limit: [
        {
          type: 'Container',
          defaultRequest: {
            cpu: `${settings.servingDefaultCpuRequestMillicores}m`,
            memory: `${settings.servingDefaultMemoryRequestMiB}Mi`,
          },
          default: {
            cpu: `${settings.servingDefaultCpuLimitMillicores}m`,
            memory: `${settings.servingDefaultMemoryLimitMiB}Mi`,
          },
          max: {
            cpu: String(settings.servingContainerMaxCpuCores),
            memory: `${settings.servingContainerMaxMemoryGiB}Gi`,
          },
        },
      ],
    },
  });
  return [quota, limits];
}
