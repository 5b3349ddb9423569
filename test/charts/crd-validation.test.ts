/**
 * The custom-resource validator the chart tests use (test/helpers/crd-validation.ts), against the real CRD
 * schemas scripts/install-tools.sh fetches: objects shaped like the ones our charts render must pass, and each
 * kind of mistake must be reported, naming the object and the field, so a pass in a chart test means something.
 */
import { isCustomResource, validateCustomResources } from '../helpers/crd-validation';

const httpRoute = {
  apiVersion: 'gateway.networking.k8s.io/v1',
  kind: 'HTTPRoute',
  metadata: { name: 'model-serving-global', namespace: 'ml-serving' },
  spec: {
    parentRefs: [{ group: 'gateway.networking.k8s.io', kind: 'Gateway', name: 'regional', namespace: 'gateway', sectionName: 'https' }],
    hostnames: ['api.ml.example.com'],
    rules: [{ matches: [{ path: { type: 'PathPrefix', value: '/' } }], backendRefs: [{ name: 'model-serving', port: 8080 }] }],
  },
};

const certificate = {
  apiVersion: 'cert-manager.io/v1',
  kind: 'Certificate',
  metadata: { name: 'regional-tls', namespace: 'gateway' },
  spec: {
    secretName: 'regional-tls',
    dnsNames: ['api.ml.example.com', 'us-west-2.api.ml.example.com'],
    privateKey: { algorithm: 'ECDSA', size: 256, rotationPolicy: 'Always' },
    issuerRef: { group: 'cert-manager.io', kind: 'ClusterIssuer', name: 'regional-acme' },
  },
};

const envoyProxy = {
  apiVersion: 'gateway.envoyproxy.io/v1alpha1',
  kind: 'EnvoyProxy',
  metadata: { name: 'skyline', namespace: 'gateway' },
  spec: {
    provider: {
      type: 'Kubernetes',
      kubernetes: {
        envoyService: { type: 'LoadBalancer', externalTrafficPolicy: 'Local', annotations: { 'service.beta.kubernetes.io/aws-load-balancer-type': 'external' } },
        envoyDeployment: {
          replicas: 2,
          pod: {
            securityContext: { runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } },
            topologySpreadConstraints: [
              { maxSkew: 1, topologyKey: 'topology.kubernetes.io/zone', whenUnsatisfiable: 'ScheduleAnyway', labelSelector: { matchLabels: { 'gateway.envoyproxy.io/owning-gateway-name': 'regional' } } },
            ],
          },
          container: {
            resources: { requests: { cpu: '250m', memory: '256Mi' }, limits: { cpu: 1, memory: '512Mi' } },
            securityContext: { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] } },
          },
        },
        envoyPDB: { minAvailable: 1 },
      },
    },
  },
};

const serviceMonitor = {
  apiVersion: 'monitoring.coreos.com/v1',
  kind: 'ServiceMonitor',
  metadata: { name: 'model-serving', namespace: 'ml-serving', labels: { 'skyline.io/monitor': 'true' } },
  spec: {
    selector: { matchLabels: { 'app.kubernetes.io/name': 'model-serving', 'app.kubernetes.io/instance': 'model-serving' } },
    namespaceSelector: { matchNames: ['ml-serving'] },
    endpoints: [{ port: 'metrics', path: '/metrics', interval: '30s' }],
  },
};

const gateway = {
  apiVersion: 'gateway.networking.k8s.io/v1',
  kind: 'Gateway',
  metadata: { name: 'regional', namespace: 'gateway' },
  spec: { gatewayClassName: 'skyline', listeners: [{ name: 'http', protocol: 'HTTP', port: 80, allowedRoutes: { namespaces: { from: 'Same' } } }] },
};

/** A deep copy of `object` with `change` applied to it: the fixtures above stay as they are. */
function modified<T extends object>(object: T, change: (copy: T) => void): T {
  const copy = structuredClone(object);
  change(copy);
  return copy;
}

describe('validateCustomResources', () => {
  it.each([
    ['an HTTPRoute (Gateway API)', httpRoute],
    ['a Certificate (cert-manager)', certificate],
    ['an EnvoyProxy (Envoy Gateway)', envoyProxy],
    ['a ServiceMonitor (prometheus-operator)', serviceMonitor],
    ['a Gateway', gateway],
  ])('accepts %s like the ones our charts render', (_label, document) => {
    expect(validateCustomResources([document])).toEqual([]);
  });

  it('accepts both forms of an int-or-string, and anything under x-kubernetes-preserve-unknown-fields', () => {
    const byNumber = modified(serviceMonitor, (copy) => Object.assign(copy.spec.endpoints[0], { targetPort: 9090 }));
    const byName = modified(serviceMonitor, (copy) => Object.assign(copy.spec.endpoints[0], { targetPort: 'metrics' }));
    // EnvoyDeployment.patch.value is free-form JSON merged into the Deployment.
    const patched = modified(envoyProxy, (copy) => Object.assign(copy.spec.provider.kubernetes.envoyDeployment, { patch: { type: 'StrategicMerge', value: { spec: { anything: [{ goes: true }] } } } }));
    expect(validateCustomResources([byNumber, byName, patched])).toEqual([]);
  });

  it('leaves built-in kinds to kubernetes-validate', () => {
    const deployment = { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'x' }, spec: { replica: 2 } };
    // networking.k8s.io is built in, gateway.networking.k8s.io is not: the group is matched whole.
    const networkPolicy = { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name: 'x' }, spec: {} };
    expect(validateCustomResources([deployment, networkPolicy, { apiVersion: 'v1', kind: 'Service', metadata: { name: 'x' } }])).toEqual([]);
    expect([deployment, networkPolicy, httpRoute, certificate].map(isCustomResource)).toEqual([false, false, true, true]);
  });

  it('rejects a misspelt field, at any depth, as strict field validation does', () => {
    const misspelt = [
      modified(httpRoute, (copy) => Object.assign(copy.spec, { hostname: copy.spec.hostnames })),
      modified(certificate, (copy) => Object.assign(copy.spec.privateKey, { rotationPolicyy: 'Always' })),
      modified(envoyProxy, (copy) => Object.assign(copy.spec.provider.kubernetes.envoyDeployment, { replica: 2 })),
      modified(serviceMonitor, (copy) => Object.assign(copy, { spce: {} })),
    ];
    expect(validateCustomResources(misspelt)).toEqual([
      'HTTPRoute ml-serving/model-serving-global (gateway.networking.k8s.io/v1): spec: unknown field "hostname"',
      'Certificate gateway/regional-tls (cert-manager.io/v1): spec.privateKey: unknown field "rotationPolicyy"',
      'EnvoyProxy gateway/skyline (gateway.envoyproxy.io/v1alpha1): spec.provider.kubernetes.envoyDeployment: unknown field "replica"',
      'ServiceMonitor ml-serving/model-serving (monitoring.coreos.com/v1): (root): unknown field "spce"',
    ]);
  });

  it('rejects a value outside an enum', () => {
    const wrong = [
      modified(httpRoute, (copy) => Object.assign(copy.spec.rules[0].matches[0].path, { type: 'Prefix' })),
      modified(certificate, (copy) => Object.assign(copy.spec.privateKey, { algorithm: 'ECDSA-P256' })),
      modified(envoyProxy, (copy) => Object.assign(copy.spec.provider, { type: 'Kubernetess' })),
    ];
    expect(validateCustomResources(wrong)).toEqual([
      'HTTPRoute ml-serving/model-serving-global (gateway.networking.k8s.io/v1): spec.rules[0].matches[0].path.type: must be one of "Exact", "PathPrefix", "RegularExpression"',
      'Certificate gateway/regional-tls (cert-manager.io/v1): spec.privateKey.algorithm: must be one of "RSA", "ECDSA", "Ed25519"',
      expect.stringMatching(/^EnvoyProxy gateway\/skyline \(gateway\.envoyproxy\.io\/v1alpha1\): spec\.provider\.type: must be one of "Kubernetes"/),
    ]);
  });

  it('accepts any well-formed listener protocol: Gateway API leaves protocols open to implementations (no enum to check)', () => {
    const custom = modified(gateway, (copy) => Object.assign(copy.spec.listeners[0], { protocol: 'HTTPX' }));
    expect(validateCustomResources([custom])).toEqual([]);
    const malformed = modified(gateway, (copy) => Object.assign(copy.spec.listeners[0], { protocol: 'HTTP X' }));
    expect(validateCustomResources([malformed])).toEqual([expect.stringContaining('spec.listeners[0].protocol: must match pattern')]);
  });

  it('rejects a missing required field', () => {
    const missing = [
      modified(certificate, (copy) => delete (copy.spec as { secretName?: string }).secretName),
      modified(httpRoute, (copy) => delete (copy.spec.parentRefs[0] as { name?: string }).name),
      modified(serviceMonitor, (copy) => delete (copy.metadata as { name?: string }).name),
    ];
    expect(validateCustomResources(missing)).toEqual([
      "Certificate gateway/regional-tls (cert-manager.io/v1): spec: must have required property 'secretName'",
      "HTTPRoute ml-serving/model-serving-global (gateway.networking.k8s.io/v1): spec.parentRefs[0]: must have required property 'name'",
      "ServiceMonitor ml-serving/(no name) (monitoring.coreos.com/v1): metadata: must have required property 'name'",
    ]);
  });

  it('rejects wrong types, patterns, lengths, bounds and item counts', () => {
    const route = (change: (copy: typeof httpRoute) => void): typeof httpRoute => modified(httpRoute, change);
    expect(
      validateCustomResources([
        route((copy) => Object.assign(copy.spec.rules[0].backendRefs[0], { port: '8080' })),
        route((copy) => Object.assign(copy.spec.rules[0].backendRefs[0], { port: 80_800 })),
        route((copy) => Object.assign(copy.spec, { hostnames: ['API.ml.example.com'] })),
        route((copy) => Object.assign(copy.spec, { hostnames: [`${'a'.repeat(250)}.example.com`] })),
        modified(gateway, (copy) => Object.assign(copy.spec, { listeners: [] })),
        modified(serviceMonitor, (copy) => Object.assign(copy.spec.endpoints[0], { interval: '30 seconds', targetPort: true })),
        route((copy) => Object.assign(copy.spec, { hostnames: null })),
      ]),
    ).toEqual([
      'HTTPRoute ml-serving/model-serving-global (gateway.networking.k8s.io/v1): spec.rules[0].backendRefs[0].port: must be integer',
      'HTTPRoute ml-serving/model-serving-global (gateway.networking.k8s.io/v1): spec.rules[0].backendRefs[0].port: must be <= 65535',
      expect.stringContaining('spec.hostnames[0]: must match pattern'),
      'HTTPRoute ml-serving/model-serving-global (gateway.networking.k8s.io/v1): spec.hostnames[0]: must NOT have more than 253 characters',
      'Gateway gateway/regional (gateway.networking.k8s.io/v1): spec.listeners: must NOT have fewer than 1 items',
      expect.stringContaining('spec.endpoints[0].interval: must match pattern'),
      'ServiceMonitor ml-serving/model-serving (monitoring.coreos.com/v1): spec.endpoints[0].targetPort: must be integer or string',
      // The API server would drop the null field; a chart that renders an empty key has a template slip.
      'HTTPRoute ml-serving/model-serving-global (gateway.networking.k8s.io/v1): spec.hostnames: must be array',
    ]);
  });

  it('rejects a custom resource it has no CRD for, so nothing passes unchecked', () => {
    expect(
      validateCustomResources([
        { apiVersion: 'monitoring.coreos.com/v1', kind: 'ServiceMonitors', metadata: { name: 'x' }, spec: {} },
        { apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'x' } },
        { ...httpRoute, apiVersion: 'gateway.networking.k8s.io/v1alpha2' },
        // Standard channel only: experimental kinds are not installed as such, and our charts must not need them.
        { apiVersion: 'gateway.networking.k8s.io/v1alpha2', kind: 'TCPRoute', metadata: { name: 'x' }, spec: {} },
        { metadata: { name: 'no-kind' } },
      ]),
    ).toEqual([
      expect.stringMatching(/^ServiceMonitors x \(monitoring\.coreos\.com\/v1\): no CRD for kind ServiceMonitors in API group monitoring\.coreos\.com \(it has .*\bServiceMonitor\b/),
      expect.stringMatching(/^Widget x \(example\.com\/v1\): no CRD for API group example\.com in \.tools\/crds \(it has .*gateway\.networking\.k8s\.io/),
      expect.stringMatching(/^HTTPRoute ml-serving\/model-serving-global \(gateway\.networking\.k8s\.io\/v1alpha2\): HTTPRoute is served as v1, v1beta1, not v1alpha2/),
      expect.stringMatching(/^TCPRoute x \(gateway\.networking\.k8s\.io\/v1alpha2\): no CRD for kind TCPRoute in API group gateway\.networking\.k8s\.io/),
      'document 5: no apiVersion and kind',
    ]);
  });
});
