import { NAMESPACES } from '../../constructs/workloads/namespaces';
import { UPSTREAM_CHARTS } from '../../constructs/workloads/upstream-charts';
import { policyOf, resourcesOfType, synthEnvironment, type TerraformJson } from '../helpers/synth';

/** The workloads stacks of an environment, keyed by region key. */
function synthWorkloads(environmentName: string): Record<string, TerraformJson> {
  return Object.fromEntries(
    Object.entries(synthEnvironment(environmentName))
      .filter(([name]) => name.endsWith('-workloads'))
      .map(([name, stack]) => [name.slice(environmentName.length + 1, -'-workloads'.length), stack]),
  );
}

/** The values of the helm_release whose chart (or local chart path) matches. */
function releaseValues(stack: TerraformJson, chart: RegExp): Record<string, unknown> {
  const release = resourcesOfType(stack, 'helm_release').find((candidate) => chart.test(String(candidate.chart)));
  if (!release) throw new Error(`no release of ${chart}`);
  return JSON.parse((release.values as string[])[0]) as Record<string, unknown>;
}

describe('WorkloadsStack', () => {
  const dev = synthWorkloads('dev');
  const prod = synthWorkloads('prod');

  it('exists for every region, after its infra stack', () => {
    expect(Object.keys(dev).sort()).toEqual(['aws-us-west-2', 'azure-centralindia', 'gcp-europe-west1']);
  });

  it.each([
    ['aws-us-west-2', 'aws', ['eks', 'get-token', '--cluster-name', 'skyline-dev', '--region', 'us-west-2', '--output', 'json']],
    ['gcp-europe-west1', 'gke-gcloud-auth-plugin', []],
    ['azure-centralindia', 'kubelogin', ['get-token', '--login', 'azurecli', '--server-id', '6dae42f8-4368-4678-94ff-3960e28e3630']],
  ])('%s connects with the cloud exec plugin and the infra stack outputs', (region, command, args) => {
    const stack = dev[region];
    const kubernetes = (stack.provider?.kubernetes as Record<string, unknown>[])[0];
    expect(kubernetes.exec).toEqual([{ api_version: 'client.authentication.k8s.io/v1beta1', command, args }]);
    expect(kubernetes.host).toMatch(/data\.terraform_remote_state\.cross-stack-reference-input-dev-.*-infra\.outputs\./);
    expect(kubernetes.cluster_ca_certificate).toMatch(/^\$\{base64decode\(data\.terraform_remote_state\./);
    const helm = (stack.provider?.helm as Record<string, Record<string, unknown>>[])[0];
    expect(helm.kubernetes).toMatchObject({ host: kubernetes.host, exec: { command, args } });
  });

  it('never creates the cluster it deploys to', () => {
    for (const stack of Object.values(dev)) {
      const types = Object.keys(stack.resource ?? {});
      expect(types.filter((type) => /_(eks_cluster|container_cluster|kubernetes_cluster)$/.test(type))).toEqual([]);
    }
  });

  it('labels every namespace with its Pod Security level and denies all traffic by default', () => {
    for (const stack of Object.values(dev)) {
      const namespaces = resourcesOfType(stack, 'kubernetes_namespace_v1').map((namespace) => (namespace.metadata as Record<string, Record<string, string>>));
      expect(namespaces.map((metadata) => [metadata.name, metadata.labels['pod-security.kubernetes.io/enforce']]).sort()).toEqual(
        Object.values(NAMESPACES).map((namespace) => [namespace.name, namespace.podSecurity]).sort(),
      );
      const denies = resourcesOfType(stack, 'kubernetes_network_policy_v1').filter((policy) => (policy.metadata as Record<string, string>).name === 'default-deny');
      // Policies name their namespace by reference, so they are created after it.
      const namespaceReference = /^\$\{kubernetes_namespace_v1\.baseline_([a-z-]+)_[0-9A-F]+\.metadata\[0\]\.name\}$/;
      const deniedNamespaces = denies.map((policy) => namespaceReference.exec(String((policy.metadata as Record<string, string>).namespace))?.[1]);
      expect(deniedNamespaces.sort()).toEqual(Object.values(NAMESPACES).map((namespace) => namespace.name).sort());
    }
  });

  it('installs every upstream chart at its exact pinned version', () => {
    for (const stack of [...Object.values(dev), ...Object.values(prod)]) {
      for (const release of resourcesOfType(stack, 'helm_release').filter((candidate) => candidate.repository)) {
        const pinned = Object.values(UPSTREAM_CHARTS).find((chart) => chart.chart === release.chart);
        expect(pinned).toBeDefined();
        expect(release).toMatchObject({ repository: pinned!.repository, version: pinned!.version, atomic: true, wait: true });
        expect(release.version).toMatch(/^v?\d+\.\d+\.\d+$/);
      }
    }
  });

  it('runs the NVIDIA device plugin where the cloud does not (EKS, AKS), on GPU nodes only', () => {
    const plugin = (stack: TerraformJson) => resourcesOfType(stack, 'helm_release').filter((release) => release.chart === 'nvidia-device-plugin');
    expect(plugin(dev['gcp-europe-west1'])).toEqual([]);
    for (const region of ['aws-us-west-2', 'azure-centralindia']) {
      expect(plugin(dev[region])).toHaveLength(1);
      expect(releaseValues(dev[region], /^nvidia-device-plugin$/)).toMatchObject({
        nodeSelector: { 'skyline.io/pool-role': 'gpu' },
        tolerations: [{ key: 'nvidia.com/gpu', operator: 'Exists', effect: 'NoSchedule' }],
      });
    }
  });

  it('gives Prometheus the cloud, region and env external labels, and sizes it by environment', () => {
    const spec = (stack: TerraformJson) => (releaseValues(stack, /^kube-prometheus-stack$/).prometheus as Record<string, Record<string, unknown>>).prometheusSpec;
    expect(spec(dev['gcp-europe-west1']).externalLabels).toEqual({ cloud: 'gcp', region: 'europe-west1', env: 'dev' });
    expect(spec(prod['azure-centralindia']).externalLabels).toEqual({ cloud: 'azure', region: 'centralindia', env: 'prod' });
    expect(spec(dev['aws-us-west-2'])).toMatchObject({ retention: '7d', replicas: 1, serviceMonitorSelector: {}, serviceMonitorNamespaceSelector: {} });
    expect(spec(prod['aws-us-west-2'])).toMatchObject({ retention: '30d', replicas: 2 });
    expect(releaseValues(dev['aws-us-west-2'], /^kube-prometheus-stack$/)).toMatchObject({
      alertmanager: { enabled: false },
      'prometheus-node-exporter': { namespaceOverride: 'monitoring-node' },
    });
  });

  it('binds the gateway to the address reserved in the infra stack, per cloud', () => {
    const service = (stack: TerraformJson) => releaseValues(stack, /regional-gateway|gateway_chart/).service as Record<string, unknown>;
    const aws = service(dev['aws-us-west-2']).annotations as Record<string, string>;
    expect(aws['service.beta.kubernetes.io/aws-load-balancer-type']).toBe('external');
    expect(aws['service.beta.kubernetes.io/aws-load-balancer-eip-allocations']).toMatch(/^(\$\{data\.terraform_remote_state\.[^}]*aws_eip[^}]*allocation_id\},?){3}$/);
    expect(aws['service.beta.kubernetes.io/aws-load-balancer-subnets']).toMatch(/^(\$\{data\.terraform_remote_state\.[^}]*aws_subnet[^}]*\},?){3}$/);
    expect(service(dev['gcp-europe-west1']).loadBalancerIP).toMatch(/^\$\{data\.terraform_remote_state\.[^}]*google_compute_address[^}]*address\}$/);
    const azure = service(dev['azure-centralindia']).annotations as Record<string, string>;
    expect(azure['service.beta.kubernetes.io/azure-pip-name']).toMatch(/azurerm_public_ip/);
    expect(azure['service.beta.kubernetes.io/azure-load-balancer-resource-group']).toMatch(/azurerm_resource_group/);
  });

  it('serves api.<domain>, <region>.api.<domain> and <region>.control.<domain> with a certificate from the configured ACME directory', () => {
    const values = releaseValues(dev['gcp-europe-west1'], /gateway_chart/);
    expect(values.hostnames).toEqual(['api.ml.example.com', 'europe-west1.api.ml.example.com', 'europe-west1.control.ml.example.com']);
    expect(values.routeNamespaces).toEqual(['ml-serving', 'skyline-system', 'monitoring']);
    expect(values.acme).toMatchObject({ server: 'https://acme-staging-v02.api.letsencrypt.org/directory' });
    expect((releaseValues(prod['gcp-europe-west1'], /gateway_chart/).acme as Record<string, string>).server).toBe('https://acme-v02.api.letsencrypt.org/directory');
  });

  it('lets cert-manager change only _acme-challenge TXT records, from one service account', () => {
    for (const stack of Object.values(dev)) {
      const role = resourcesOfType(stack, 'aws_iam_role').find((candidate) => String(candidate.name).endsWith('-dns01'))!;
      const [trust] = policyOf(role, 'assume_role_policy').Statement;
      expect(Object.values((trust.Condition as Record<string, Record<string, string>>).StringEquals)).toEqual(['system:serviceaccount:cert-manager:route53-dns01', 'sts.amazonaws.com']);
      const write = policyOf(resourcesOfType(stack, 'aws_iam_role_policy').find((policy) => policy.name === 'acme-dns01')!).Statement.find((statement) => statement.Sid === 'WriteChallengeRecordsOnly')!;
      expect(write.Condition).toEqual({
        'ForAllValues:StringEquals': { 'route53:ChangeResourceRecordSetsRecordTypes': ['TXT'] },
        'ForAllValues:StringLike': { 'route53:ChangeResourceRecordSetsNormalizedRecordNames': ['_acme-challenge.ml.example.com', '_acme-challenge.*.ml.example.com'] },
      });
    }
  });

  it('federates GKE and AKS issuers into AWS, and reuses the EKS one', () => {
    expect(resourcesOfType(dev['aws-us-west-2'], 'aws_iam_openid_connect_provider')).toEqual([]);
    expect(resourcesOfType(dev['gcp-europe-west1'], 'aws_iam_openid_connect_provider')).toHaveLength(1);
    const gkeIssuer = Object.values((dev['gcp-europe-west1'] as { locals: Record<string, string> }).locals);
    expect(gkeIssuer).toContain('${trimsuffix("https://container.googleapis.com/v1/projects/skyline-dev/locations/europe-west1/clusters/skyline-dev", "/")}');
  });

  it('deploys the model server into ml-serving, behind the gateway, on GPUs only where the environment asks', () => {
    const serving = (stack: TerraformJson) => releaseValues(stack, /model-serving_chart/) as Record<string, Record<string, unknown>>;
    const devAws = serving(dev['aws-us-west-2']);
    expect(devAws.gpu).toEqual({ count: 0, type: '' });
    expect(devAws.routes).toMatchObject({ domain: 'ml.example.com', region: 'us-west-2', parentRef: { name: 'regional', namespace: 'envoy-gateway-system', sectionName: 'https' } });
    expect((devAws.autoscaling.customMetric as Record<string, unknown>).enabled).toBe(false);
    expect(serving(prod['aws-us-west-2']).gpu).toEqual({ count: 1, type: 'nvidia-l4' });
    expect(serving(prod['azure-centralindia']).gpu).toEqual({ count: 1, type: 'nvidia-tesla-t4' });
    expect(serving(prod['gcp-europe-west1']).autoscaling.customMetric).toEqual({ enabled: true, name: 'http_requests_per_second', targetAverageValue: '20' });
    const release = resourcesOfType(prod['gcp-europe-west1'], 'helm_release').find((candidate) => candidate.name === 'model-serving')!;
    expect(release.namespace).toMatch(/^(ml-serving|\$\{kubernetes_namespace_v1\.baseline_ml-serving_)/);
    expect(release.depends_on).toEqual(expect.arrayContaining([expect.stringMatching(/^helm_release\.gateway_release_/), expect.stringMatching(/^helm_release\.monitoring_prometheus_release_/)]));
    // prometheus-adapter serves the request rate the HPA scales on, from the server's request counter.
    const adapterRules = (releaseValues(prod['gcp-europe-west1'], /^prometheus-adapter$/).rules as Record<string, Record<string, unknown>[]>).custom;
    expect(adapterRules).toEqual([expect.objectContaining({ seriesQuery: 'http_requests_total{namespace!="",pod!=""}', name: { matches: '^http_requests_total$', as: 'http_requests_per_second' } })]);
  });

  it('gives the failover controllers of GKE and AKS an AWS role only their service account can assume', () => {
    for (const region of ['gcp-europe-west1', 'azure-centralindia']) {
      const role = resourcesOfType(dev[region], 'aws_iam_role').find((candidate) => candidate.name === `skyline-dev-${region}-failover`)!;
      const [trust] = policyOf(role, 'assume_role_policy').Statement;
      expect(Object.values((trust.Condition as Record<string, Record<string, string>>).StringEquals)).toEqual(['system:serviceaccount:skyline-system:failover', 'sts.amazonaws.com']);
      // Its Route53 permissions come from the global stack, scoped to the zone.
      expect(resourcesOfType(dev[region], 'aws_iam_role_policy').filter((policy) => String(policy.role).includes('failover'))).toEqual([]);
    }
    expect(resourcesOfType(dev['aws-us-west-2'], 'aws_iam_role').map((role) => role.name)).toEqual(['skyline-dev-aws-us-west-2-dns01']);
  });

  it('runs the replicator in the primary region only: S3 and its SQS events as its IRSA role, then GCS and Azure Blob as identities federated with the EKS issuer', () => {
    const replicatorRelease = (stack: TerraformJson) => resourcesOfType(stack, 'helm_release').filter((release) => release.name === 'replicator');
    expect(replicatorRelease(dev['gcp-europe-west1'])).toEqual([]);
    expect(replicatorRelease(dev['azure-centralindia'])).toEqual([]);
    const [release] = replicatorRelease(dev['aws-us-west-2']);
    expect(release.namespace).toMatch(/skyline-system/);
    const values = JSON.parse((release.values as string[])[0]) as Record<string, Record<string, unknown>>;
    expect(values.config).toEqual({
      mode: 'replicate',
      stores: [
        { name: 'us-west-2', kind: 's3', bucket: 'skyline-dev-models-usw2', region: 'us-west-2' },
        { name: 'europe-west1', kind: 'gcs', bucket: 'skyline-dev-models-euw1' },
        { name: 'centralindia', kind: 'azure-blob', accountUrl: 'https://skylinedevmodelsci.blob.core.windows.net', container: 'models' },
      ],
      events: [{ kind: 'sqs', store: 'us-west-2', queueUrl: 'https://sqs.us-west-2.amazonaws.com/111111111111/skyline-dev-models-usw2-events', region: 'us-west-2' }],
      reconcile: { intervalSeconds: 300 },
      server: { host: '0.0.0.0', port: 9464 },
    });
    expect((values.serviceAccount.annotations as Record<string, string>)['eks.amazonaws.com/role-arn']).toMatch(/cross-stack-reference-input-dev-aws-us-west-2-infra\..*cluster_identity-replicator_role_/);
    expect(values.gcpFederation).toMatchObject({
      enabled: true,
      audience: expect.stringMatching(/^\/\/iam\.googleapis\.com\/\$\{google_iam_workload_identity_pool_provider\.gcp-federation_provider_\w+\.name\}$/),
      serviceAccountEmail: expect.stringMatching(/cross-stack-reference-input-dev-gcp-europe-west1-infra\..*identity-replicator_service-account_\w+email\}$/),
    });
    expect(values.azureFederation).toMatchObject({
      enabled: true,
      clientId: expect.stringMatching(/cross-stack-reference-input-dev-azure-centralindia-infra\..*identity-replicator_identity_\w+client_id\}$/),
      tenantId: '00000000-0000-0000-0000-000000000000',
    });

    const aws = dev['aws-us-west-2'];
    const eksIssuer = /^\$\{data\.terraform_remote_state\.cross-stack-reference-input-dev-aws-us-west-2-infra\.outputs\.cross-stack-output-aws_eks_cluster.*identity0oidc0issuer\}$/;
    const [provider] = resourcesOfType(aws, 'google_iam_workload_identity_pool_provider');
    expect(provider).toMatchObject({ oidc: { issuer_uri: expect.stringMatching(eksIssuer) }, attribute_condition: expect.stringContaining("'system:serviceaccount:skyline-system:replicator'") });
    expect(resourcesOfType(aws, 'google_iam_workload_identity_pool')).toEqual([expect.objectContaining({ workload_identity_pool_id: 'skyline-dev-aws-us-west-2' })]);
    const replicatorSubject = (member: unknown) => String(member).endsWith('/subject/system:serviceaccount:skyline-system:replicator');
    expect(resourcesOfType(aws, 'google_service_account_iam_member').filter((binding) => replicatorSubject(binding.member))).toEqual([
      {
        service_account_id: expect.stringMatching(/cross-stack-reference-input-dev-gcp-europe-west1-infra\..*identity-replicator_service-account_\w+name\}$/),
        role: 'roles/iam.workloadIdentityUser',
        member: expect.stringMatching(/^principal:\/\/iam\.googleapis\.com\/\$\{google_iam_workload_identity_pool\.gcp-federation_pool_\w+\.name\}\/subject\/system:serviceaccount:skyline-system:replicator$/),
      },
    ]);
    expect(resourcesOfType(aws, 'azurerm_federated_identity_credential').filter((credential) => credential.subject === 'system:serviceaccount:skyline-system:replicator')).toEqual([
      expect.objectContaining({
        issuer: expect.stringMatching(eksIssuer),
        subject: 'system:serviceaccount:skyline-system:replicator',
        audience: ['api://AzureADTokenExchange'],
        parent_id: expect.stringMatching(/cross-stack-reference-input-dev-azure-centralindia-infra\..*identity-replicator_identity_\w+id\}$/),
      }),
    ]);
    expect(aws.provider?.google).toEqual([expect.objectContaining({ project: 'skyline-dev', region: 'europe-west1' })]);
    expect(aws.provider?.azurerm).toEqual([expect.objectContaining({ subscription_id: '00000000-0000-0000-0000-000000000000', tenant_id: '00000000-0000-0000-0000-000000000000' })]);
    // The pod's first copies need the other clouds to trust it.
    expect(release.depends_on).toEqual(
      expect.arrayContaining([expect.stringMatching(/^google_service_account_iam_member\.gcp-federation_/), expect.stringMatching(/^azurerm_federated_identity_credential\.azure-federation_/)]),
    );
    // No other workloads stack reaches into another cloud's IAM for the replicator.
    for (const region of ['gcp-europe-west1', 'azure-centralindia']) {
      expect(resourcesOfType(dev[region], 'google_iam_workload_identity_pool')).toEqual([]);
      expect(resourcesOfType(dev[region], 'azurerm_federated_identity_credential')).toEqual([]);
    }
  });

  it.each([
    ['aws-us-west-2', { 'eks.amazonaws.com/role-arn': /identity-model-serving_role_\w+arn\}$/ }, {}, { kind: 's3', bucket: 'skyline-dev-models-usw2', region: 'us-west-2' }],
    ['gcp-europe-west1', { 'iam.gke.io/gcp-service-account': /identity-model-serving_service-account_\w+email\}$/ }, {}, { kind: 'gcs', bucket: 'skyline-dev-models-euw1' }],
    [
      'azure-centralindia',
      { 'azure.workload.identity/client-id': /identity-model-serving_identity_\w+client_id\}$/ },
      { 'azure.workload.identity/use': 'true' },
      { kind: 'azure-blob', accountUrl: 'https://skylinedevmodelsci.blob.core.windows.net', container: 'models' },
    ],
  ])('%s: the serving pods run as the region\'s serving identity, their sync sidecar keeping the served model from the region\'s bucket', (region, annotations, podLabels, store) => {
    const values = releaseValues(dev[region], /model-serving_chart/) as Record<string, Record<string, unknown>>;
    const actual = values.serviceAccount.annotations as Record<string, string>;
    expect(Object.keys(actual)).toEqual(Object.keys(annotations));
    for (const [key, pattern] of Object.entries(annotations)) expect(actual[key]).toMatch(pattern);
    expect(values.serviceAccount.name).toBe('model-serving');
    expect(values.podLabels).toEqual(podLabels);
    expect(values.modelSync).toMatchObject({
      enabled: true,
      image: { repository: 'ghcr.io/example/skyline-replicator', tag: '0.1.0', digest: '' },
      config: { mode: 'sync', store, model: 'example-model', directory: '/models', pollIntervalSeconds: 60, signal: { kind: 'file', path: '/models/.reload' } },
    });
  });

  it('runs the failover controller with every region in role order, its peers on their control names, and Route53 access by its own identity', () => {
    const values = (stack: TerraformJson) => releaseValues(stack, /failover_chart/) as Record<string, Record<string, unknown>>;
    const gcp = values(dev['gcp-europe-west1']);
    const config = gcp.config as { instance: { region: string }; regions: { name: string; hostname: string; address: string }[]; peers: { region: string; url: string }[]; dns: Record<string, unknown>; detection: Record<string, number> };
    expect(config.instance.region).toBe('europe-west1');
    expect(config.regions.map((region) => region.name)).toEqual(['us-west-2', 'europe-west1', 'centralindia']);
    expect(config.regions.map((region) => region.hostname)).toEqual(['us-west-2.api.ml.example.com', 'europe-west1.api.ml.example.com', 'centralindia.api.ml.example.com']);
    expect(config.regions[0].address).toMatch(/aws_eip/);
    expect(config.peers).toEqual([
      { region: 'us-west-2', url: 'https://us-west-2.control.ml.example.com' },
      { region: 'centralindia', url: 'https://centralindia.control.ml.example.com' },
    ]);
    // No zone ID: the controller finds the zone the global stack creates after it.
    expect(config.dns).toEqual({ kind: 'route53' });
    expect(config.detection).toEqual({ intervalSeconds: 30, failureThreshold: 3, quorum: 2 });
    expect(gcp.awsWebIdentity).toMatchObject({ enabled: true, roleArn: expect.stringMatching(/aws_iam_role\.aws-federation_failover-identity_role_/) });
    expect(gcp.route).toEqual({ enabled: true, hostname: 'europe-west1.control.ml.example.com', parentRef: { name: 'regional', namespace: 'envoy-gateway-system', sectionName: 'https' } });
    const aws = values(dev['aws-us-west-2']);
    expect(aws.awsWebIdentity).toMatchObject({ enabled: false });
    expect((aws.serviceAccount as Record<string, Record<string, string>>).annotations['eks.amazonaws.com/role-arn']).toMatch(/cluster_identity-failover_role/);
    expect((values(prod['aws-us-west-2']).config as { detection: Record<string, number> }).detection.intervalSeconds).toBe(10);
  });

  it('puts the edge rules and /federate in every region, the global observability in the primary only, and points its failover controller at it', () => {
    const names = (stack: TerraformJson) => resourcesOfType(stack, 'helm_release').map((release) => release.name);
    for (const stack of Object.values(dev)) expect(names(stack)).toContain('edge-observability');
    expect(Object.entries(dev).filter(([, stack]) => names(stack).includes('global-observability')).map(([region]) => region)).toEqual(['aws-us-west-2']);
    const alerts = (region: string) => (releaseValues(dev[region], /failover_chart/) as { config: { alerts: Record<string, unknown> } }).config.alerts;
    expect(alerts('aws-us-west-2')).toEqual({
      kind: 'alertmanager',
      url: 'http://skyline-global-alertmanager.monitoring.svc:9093',
      runbookUrl: 'https://github.com/example/skyline/blob/main/docs/runbooks/alerts/skyline-region-failed-over.md',
    });
    // The other clusters cannot reach it: the federated transition counts raise SkylineFailoverHappened instead.
    expect(alerts('gcp-europe-west1')).toEqual({ kind: 'none' });
  });
});
