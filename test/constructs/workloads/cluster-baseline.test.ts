import { TerraformOutput } from 'cdktf';
import { ClusterBaseline, GKE_METADATA_SERVER_ENDPOINTS, type ClusterBaselineProps } from '../../../constructs/workloads/cluster-baseline';
import { NAMESPACES } from '../../../constructs/workloads/namespaces';
import { parse, resourcesOfType, synthConstructs, type TerraformJson } from '../../helpers/synth';

interface Selector {
  match_labels?: Record<string, string>;
  match_expressions?: { key: string; operator: string; values: string[] }[];
}
interface Peer {
  ip_block?: { cidr: string; except?: string[] };
  namespace_selector?: Selector;
  pod_selector?: Selector;
}
interface Port {
  port: string;
  protocol: string;
}
interface Policy {
  namespace: string;
  name: string;
  podSelector: Selector;
  policyTypes: string[];
  ingress: { from?: Peer[]; ports?: Port[] }[];
  egress: { to?: Peer[]; ports?: Port[] }[];
}

const CIDRS = { podCidrs: ['100.64.0.0/14'], serviceCidrs: ['10.70.0.0/20'], nodeCidrs: ['10.68.0.0/20'] };

function synthBaseline(overrides: Partial<ClusterBaselineProps> = {}): TerraformJson {
  return parse(
    synthConstructs((scope) => {
      const baseline = new ClusterBaseline(scope, 'baseline', { ...CIDRS, ...overrides });
      new TerraformOutput(scope, 'serving-namespace', { value: baseline.namespaces.serving, dependsOn: [...baseline.dependables] });
    }),
  );
}

/** Policies keyed `<namespace>/<name>`, with the namespace reference resolved to the namespace's name. */
function policiesOf(json: TerraformJson): Map<string, Policy> {
  const namespaceNames = Object.fromEntries(
    Object.entries(json.resource?.kubernetes_namespace_v1 ?? {}).map(([key, namespace]) => [key, (namespace.metadata as { name: string }).name]),
  );
  const policies = new Map<string, Policy>();
  for (const resource of resourcesOfType(json, 'kubernetes_network_policy_v1')) {
    const metadata = resource.metadata as { name: string; namespace: string };
    const namespaceKey = /kubernetes_namespace_v1\.([^.]+)\.metadata/.exec(metadata.namespace)?.[1] ?? '';
    const spec = resource.spec as { pod_selector: Selector; policy_types: string[]; ingress?: Policy['ingress']; egress?: Policy['egress'] };
    const policy: Policy = {
      namespace: namespaceNames[namespaceKey],
      name: metadata.name,
      podSelector: spec.pod_selector,
      policyTypes: spec.policy_types,
      ingress: spec.ingress ?? [],
      egress: spec.egress ?? [],
    };
    policies.set(`${policy.namespace}/${policy.name}`, policy);
  }
  return policies;
}

const namespaceNames = Object.values(NAMESPACES).map((namespace) => namespace.name);
const inNamespace = (policies: Map<string, Policy>, namespace: string) => [...policies.values()].filter((policy) => policy.namespace === namespace);
const tcp = (...ports: number[]) => ports.map((port) => ({ port: String(port), protocol: 'TCP' }));
const namespacePeer = (name: string) => ({ match_labels: { 'kubernetes.io/metadata.name': name } });
const ENVOY_PROXIES = { match_labels: { 'app.kubernetes.io/name': 'envoy', 'app.kubernetes.io/component': 'proxy', 'app.kubernetes.io/managed-by': 'envoy-gateway' } };

describe('ClusterBaseline', () => {
  const json = synthBaseline();
  const policies = policiesOf(json);
  const policy = (key: string): Policy => {
    const found = policies.get(key);
    if (!found) throw new Error(`no NetworkPolicy ${key}`);
    return found;
  };

  describe('namespaces', () => {
    const namespaces = resourcesOfType(json, 'kubernetes_namespace_v1').map(
      (namespace) => namespace.metadata as { name: string; labels: Record<string, string>; annotations?: Record<string, string> },
    );

    it('creates exactly the namespaces of the table', () => {
      expect(namespaces.map((namespace) => namespace.name).sort()).toEqual([
        'cert-manager',
        'envoy-gateway-system',
        'ml-serving',
        'monitoring',
        'monitoring-node',
        'skyline-system',
      ]);
    });

    it('enforces, audits and warns at each namespace level, on the latest standard by default', () => {
      for (const [key, spec] of Object.entries(NAMESPACES)) {
        const namespace = namespaces.find((candidate) => candidate.name === spec.name);
        expect(namespace?.labels).toEqual({
          'pod-security.kubernetes.io/enforce': spec.podSecurity,
          'pod-security.kubernetes.io/enforce-version': 'latest',
          'pod-security.kubernetes.io/audit': spec.podSecurity,
          'pod-security.kubernetes.io/audit-version': 'latest',
          'pod-security.kubernetes.io/warn': spec.podSecurity,
          'pod-security.kubernetes.io/warn-version': 'latest',
          'skyline.io/namespace': key,
        });
      }
    });

    it('relaxes only monitoring-node, to privileged, and says why', () => {
      const relaxed = namespaces.filter((namespace) => namespace.labels['pod-security.kubernetes.io/enforce'] !== 'restricted');
      expect(relaxed.map((namespace) => [namespace.name, namespace.labels['pod-security.kubernetes.io/enforce']])).toEqual([['monitoring-node', 'privileged']]);
      expect(relaxed[0].annotations).toEqual({ 'skyline.io/pod-security-reason': expect.stringContaining('hostNetwork') });
      expect(namespaces.filter((namespace) => namespace.annotations !== undefined)).toHaveLength(1);
    });

    it('pins the Pod Security Standards version when asked, and rejects a malformed one', () => {
      const pinned = resourcesOfType(synthBaseline({ podSecurityVersion: 'v1.33' }), 'kubernetes_namespace_v1');
      for (const namespace of pinned) {
        const labels = (namespace.metadata as { labels: Record<string, string> }).labels;
        expect([labels['pod-security.kubernetes.io/enforce-version'], labels['pod-security.kubernetes.io/audit-version'], labels['pod-security.kubernetes.io/warn-version']]).toEqual([
          'v1.33',
          'v1.33',
          'v1.33',
        ]);
      }
      expect(() => synthBaseline({ podSecurityVersion: '1.33' })).toThrow(/podSecurityVersion must be "latest" or "v1.<minor>"/);
    });

    it('exposes namespace names as references, and every object for dependents to wait on', () => {
      const output = json.output?.['serving-namespace'] as { value: string; depends_on: string[] };
      expect(output.value).toMatch(/^\$\{kubernetes_namespace_v1\.baseline_ml-serving_[^.]+\.metadata\[0\]\.name\}$/);
      const types = output.depends_on.map((reference) => reference.replace('${', '').split('.')[0]);
      expect(types.filter((type) => type === 'kubernetes_namespace_v1')).toHaveLength(6);
      expect(types.filter((type) => type === 'kubernetes_network_policy_v1')).toHaveLength(policies.size);
      expect(types).toEqual(expect.arrayContaining(['kubernetes_resource_quota_v1', 'kubernetes_limit_range_v1']));
    });
  });

  describe('network policies', () => {
    it.each(namespaceNames)('denies all ingress and egress in %s by default', (namespace) => {
      const deny = policy(`${namespace}/default-deny`);
      expect(deny.podSelector).toEqual({});
      expect(deny.policyTypes).toEqual(['Ingress', 'Egress']);
      expect(deny.ingress).toEqual([]);
      expect(deny.egress).toEqual([]);
    });

    it.each(namespaceNames)('lets every pod of %s resolve names through kube-dns only', (namespace) => {
      const dns = policy(`${namespace}/allow-dns`);
      expect(dns.podSelector).toEqual({});
      expect(dns.policyTypes).toEqual(['Egress']);
      expect(dns.egress).toEqual([
        {
          to: [{ namespace_selector: namespacePeer('kube-system'), pod_selector: { match_labels: { 'k8s-app': 'kube-dns' } } }],
          ports: [
            { port: '53', protocol: 'UDP' },
            { port: '53', protocol: 'TCP' },
          ],
        },
      ]);
    });

    it('admits traffic to the model servers only from the Envoy proxies, on the serving port', () => {
      const ingress = inNamespace(policies, 'ml-serving').flatMap((candidate) => candidate.ingress);
      const onServingPort = ingress.filter((rule) => rule.ports?.some((port) => port.port === '8080'));
      expect(onServingPort).toEqual([{ from: [{ namespace_selector: namespacePeer('envoy-gateway-system'), pod_selector: ENVOY_PROXIES }], ports: tcp(8080) }]);
      // Every other ingress rule names both its peers and its ports: nothing reaches ml-serving from anywhere or on any port.
      expect(ingress.every((rule) => (rule.from?.length ?? 0) > 0 && (rule.ports?.length ?? 0) > 0)).toBe(true);
      expect(policy('ml-serving/allow-monitoring-scrape').ingress).toEqual([{ from: [{ namespace_selector: namespacePeer('monitoring') }], ports: tcp(9090) }]);
    });

    it('follows a changed serving port on both sides of the gateway', () => {
      const changed = policiesOf(synthBaseline({ servingPort: 8000 }));
      expect(changed.get('ml-serving/allow-gateway-to-serving')?.ingress[0].ports).toEqual(tcp(8000));
      expect(changed.get('envoy-gateway-system/allow-proxies-to-serving')?.egress).toEqual([{ to: [{ namespace_selector: namespacePeer('ml-serving') }], ports: tcp(8000) }]);
    });

    it.each(['ml-serving', 'skyline-system', 'cert-manager'])('lets %s call cloud APIs over HTTPS, but not in-cluster or private addresses', (namespace) => {
      expect(policy(`${namespace}/allow-cloud-apis`).egress).toEqual([
        {
          to: [
            {
              ip_block: {
                cidr: '0.0.0.0/0',
                except: ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16', '100.64.0.0/14', '10.70.0.0/20', '10.68.0.0/20'],
              },
            },
          ],
          ports: tcp(443),
        },
      ]);
    });

    it('lists an address range once in the internet exceptions', () => {
      // On EKS pods and nodes share the VPC range.
      const eks = policiesOf(synthBaseline({ podCidrs: ['10.64.0.0/16'], nodeCidrs: ['10.64.0.0/16'], serviceCidrs: ['172.20.0.0/16'] }));
      expect(eks.get('ml-serving/allow-cloud-apis')?.egress[0].to?.[0].ip_block?.except).toEqual(['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16', '10.64.0.0/16', '172.20.0.0/16']);
    });

    it('lets cert-manager, and only it, query public nameservers for its DNS-01 self-check', () => {
      expect(policy('cert-manager/allow-dns01-self-check').egress).toEqual([
        {
          to: [{ ip_block: { cidr: '0.0.0.0/0', except: ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16', '100.64.0.0/14', '10.70.0.0/20', '10.68.0.0/20'] } }],
          ports: [
            { port: '53', protocol: 'UDP' },
            { port: '53', protocol: 'TCP' },
          ],
        },
      ]);
      const internetDns = [...policies.values()].filter((candidate) =>
        candidate.egress.some((rule) => rule.to?.some((peer) => peer.ip_block) && rule.ports?.some((port) => port.port === '53')),
      );
      expect(internetDns.map((candidate) => `${candidate.namespace}/${candidate.name}`)).toEqual(['cert-manager/allow-dns01-self-check']);
    });

    it('lets cloud API callers reach the GKE metadata server when given, and no one else', () => {
      const gke = policiesOf(synthBaseline({ credentialEndpoints: GKE_METADATA_SERVER_ENDPOINTS }));
      for (const namespace of ['ml-serving', 'skyline-system', 'cert-manager']) {
        expect(gke.get(`${namespace}/allow-cloud-apis`)?.egress.slice(1)).toEqual([
          { to: [{ ip_block: { cidr: '169.254.169.254/32' } }], ports: tcp(80) },
          { to: [{ ip_block: { cidr: '169.254.169.252/32' } }], ports: tcp(988) },
        ]);
      }
      const metadataRules = [...gke.values()].filter((candidate) => candidate.egress.some((rule) => rule.to?.some((peer) => peer.ip_block?.cidr.startsWith('169.254.'))));
      expect(metadataRules.map((candidate) => candidate.namespace).sort()).toEqual(['cert-manager', 'ml-serving', 'skyline-system']);
    });

    it('gives the Kubernetes API only to the namespaces that need it, and not to the Envoy proxies', () => {
      const api = [...policies.values()].filter((candidate) => candidate.name === 'allow-kubernetes-api');
      expect(api.map((candidate) => candidate.namespace).sort()).toEqual(['cert-manager', 'envoy-gateway-system', 'monitoring', 'skyline-system']);
      for (const candidate of api) expect(candidate.egress).toEqual([{ to: [{ ip_block: { cidr: '0.0.0.0/0' } }], ports: tcp(443, 6443) }]);
      expect(policy('envoy-gateway-system/allow-kubernetes-api').podSelector).toEqual({
        match_expressions: [{ key: 'app.kubernetes.io/component', operator: 'NotIn', values: ['proxy'] }],
      });
    });

    it('admits traffic from anywhere only to the proxies, the cert-manager webhook and the API server callbacks in monitoring', () => {
      const open = [...policies.values()].flatMap((candidate) =>
        candidate.ingress.filter((rule) => rule.from === undefined).map((rule) => ({ at: `${candidate.namespace}/${candidate.name}`, ports: rule.ports })),
      );
      expect(open.sort((a, b) => a.at.localeCompare(b.at))).toEqual([
        { at: 'cert-manager/allow-apiserver-to-webhook', ports: tcp(10250) },
        { at: 'envoy-gateway-system/allow-clients-to-proxies', ports: tcp(10080, 10443) },
        { at: 'monitoring/allow-apiserver-to-monitoring', ports: tcp(6443, 10250) },
      ]);
      expect(policy('envoy-gateway-system/allow-clients-to-proxies').podSelector).toEqual(ENVOY_PROXIES);
    });

    it('lets the Envoy proxies reach only the model servers, the failover observations, Prometheus\'s /federate, the controller and DNS', () => {
      const proxyEgress = inNamespace(policies, 'envoy-gateway-system').filter(
        (candidate) => candidate.egress.length > 0 && (candidate.podSelector.match_labels?.['app.kubernetes.io/component'] === 'proxy' || Object.keys(candidate.podSelector).length === 0),
      );
      expect(proxyEgress.map((candidate) => candidate.name).sort()).toEqual(['allow-dns', 'allow-proxies-to-failover', 'allow-proxies-to-prometheus', 'allow-proxies-to-serving', 'allow-xds']);
      expect(policy('envoy-gateway-system/allow-proxies-to-prometheus').egress).toEqual([{ to: [{ namespace_selector: namespacePeer('monitoring') }], ports: tcp(9090) }]);
      expect(policy('envoy-gateway-system/allow-proxies-to-failover').egress).toEqual([{ to: [{ namespace_selector: namespacePeer('skyline-system') }], ports: tcp(9464) }]);
      expect(policy('envoy-gateway-system/allow-xds').egress).toEqual([{ to: [{ pod_selector: {} }], ports: tcp(18000) }]);
      expect(policy('envoy-gateway-system/allow-monitoring-scrape').ingress).toEqual([{ from: [{ namespace_selector: namespacePeer('monitoring') }], ports: tcp(19001) }]);
    });

    it('lets skyline-system services talk to each other and be scraped on the services metrics port', () => {
      expect(policy('skyline-system/allow-same-namespace')).toMatchObject({ ingress: [{ from: [{ pod_selector: {} }] }], egress: [{ to: [{ pod_selector: {} }] }] });
      expect(policy('skyline-system/allow-monitoring-scrape').ingress[0].ports).toEqual(tcp(9464));
    });

    it('lets Prometheus scrape every namespace, and node-exporter and the kubelet on the nodes', () => {
      expect(policy('monitoring/allow-scrapes').egress).toEqual([
        { to: [{ namespace_selector: {} }] },
        { to: [{ ip_block: { cidr: '10.68.0.0/20' } }], ports: tcp(9100, 10250) },
      ]);
      expect(policy('monitoring/allow-same-namespace').ingress).toEqual([{ from: [{ pod_selector: {} }] }]);
    });

    it('opens monitoring for the global observability: /federate from the proxies, alerts from skyline-system, HTTPS out', () => {
      expect(policy('monitoring/allow-federation-from-gateway').ingress).toEqual([{ from: [{ namespace_selector: namespacePeer('envoy-gateway-system'), pod_selector: ENVOY_PROXIES }], ports: tcp(9090) }]);
      expect(policy('monitoring/allow-alerts-from-services').ingress).toEqual([{ from: [{ namespace_selector: namespacePeer('skyline-system') }], ports: tcp(9093) }]);
      expect(policy('skyline-system/allow-alerts-to-alertmanager').egress).toEqual([{ to: [{ namespace_selector: namespacePeer('monitoring') }], ports: tcp(9093) }]);
      expect(policy('monitoring/allow-federation-and-receivers').egress).toEqual([
        { to: [{ ip_block: { cidr: '0.0.0.0/0', except: ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16', '100.64.0.0/14', '10.70.0.0/20', '10.68.0.0/20'] } }], ports: tcp(443) },
      ]);
    });

    it('isolates monitoring-node: node-exporter scraped from monitoring only, no egress but DNS', () => {
      expect(inNamespace(policies, 'monitoring-node').map((candidate) => candidate.name).sort()).toEqual(['allow-dns', 'allow-node-exporter-scrape', 'default-deny']);
      expect(policy('monitoring-node/allow-node-exporter-scrape')).toMatchObject({
        policyTypes: ['Ingress'],
        ingress: [{ from: [{ namespace_selector: namespacePeer('monitoring') }], ports: tcp(9100) }],
        egress: [],
      });
    });

    it('explains every policy in an annotation', () => {
      for (const resource of resourcesOfType(json, 'kubernetes_network_policy_v1')) {
        expect((resource.metadata as { annotations: Record<string, string> }).annotations['skyline.io/purpose']).toMatch(/\w+.*\.$/);
      }
    });
  });

  describe('ml-serving capacity', () => {
    it('caps CPU, memory, GPUs and pods', () => {
      const [quota] = resourcesOfType(json, 'kubernetes_resource_quota_v1');
      expect(quota.metadata).toMatchObject({ name: 'serving-capacity', namespace: expect.stringMatching(/kubernetes_namespace_v1\.baseline_ml-serving_/) });
      expect((quota.spec as { hard: Record<string, string> }).hard).toEqual({
        'requests.cpu': '256',
        'requests.memory': '1024Gi',
        'requests.nvidia.com/gpu': '16',
        pods: '500',
      });
      const sized = resourcesOfType(synthBaseline({ servingQuotaCpuCores: 64, servingQuotaMemoryGiB: 256, servingQuotaGpus: 4, servingQuotaPods: 100 }), 'kubernetes_resource_quota_v1');
      expect((sized[0].spec as { hard: Record<string, string> }).hard).toEqual({ 'requests.cpu': '64', 'requests.memory': '256Gi', 'requests.nvidia.com/gpu': '4', pods: '100' });
    });

    it('gives containers default requests and limits, and a maximum', () => {
      const [limitRange] = resourcesOfType(json, 'kubernetes_limit_range_v1');
      expect(limitRange.metadata).toMatchObject({ name: 'container-defaults', namespace: expect.stringMatching(/kubernetes_namespace_v1\.baseline_ml-serving_/) });
      expect((limitRange.spec as { limit: unknown[] }).limit).toEqual([
        {
          type: 'Container',
          default_request: { cpu: '250m', memory: '512Mi' },
          default: { cpu: '1000m', memory: '1024Mi' },
          max: { cpu: '16', memory: '64Gi' },
        },
      ]);
    });
  });

  describe('validation', () => {
    it('rejects malformed, /0 or missing cluster ranges', () => {
      expect(() => synthBaseline({ podCidrs: ['10.66.0.0'] })).toThrow(/podCidrs: "10.66.0.0" is not an IPv4 CIDR/);
      expect(() => synthBaseline({ serviceCidrs: ['0.0.0.0/0'] })).toThrow(/serviceCidrs: "0.0.0.0\/0"/);
      expect(() => synthBaseline({ nodeCidrs: [] })).toThrow(/nodeCidrs must list at least one CIDR/);
    });

    it('rejects defaults the API server would refuse', () => {
      expect(() => synthBaseline({ servingDefaultCpuRequestMillicores: 2000 })).toThrow(/servingDefaultCpuRequestMillicores must not exceed servingDefaultCpuLimitMillicores/);
      expect(() => synthBaseline({ servingDefaultMemoryLimitMiB: 70000 })).toThrow(/servingDefaultMemoryLimitMiB must not exceed servingContainerMaxMemoryGiB/);
    });

    it('rejects impossible ports and sizes', () => {
      expect(() => synthBaseline({ servingPort: 70000 })).toThrow(/70000 is not a TCP port/);
      expect(() => synthBaseline({ servingQuotaGpus: 0 })).toThrow(/servingQuotaGpus must be a positive integer/);
    });
  });
});
