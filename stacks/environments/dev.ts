import type { EnvironmentConfigInput } from './schema';

/**
 * The embedded default: synthesizes with placeholder account, project and
 * subscription IDs so a new user can run `npm run synth` with no setup.
 * Small, spot-heavy, one NAT gateway.
 */
export const dev: EnvironmentConfigInput = {
  name: 'dev',
  domain: 'ml.example.com',
  backend: { type: 's3', bucket: 'skyline-terraform-state-111111111111', region: 'us-west-2', keyPrefix: 'skyline' },
  deletionProtection: false,
  logRetentionDays: 30,
  noncurrentVersionRetentionDays: 7,
  tags: { project: 'skyline', environment: 'dev' },
  dns: {
    healthCheckIntervalSeconds: 30,
    healthCheckRegions: ['us-east-1', 'us-west-2', 'eu-west-1', 'ap-southeast-1'],
    measureLatency: false,
    recordTtlSeconds: 60,
  },
  workloads: {
    acme: { email: 'platform@example.com', server: 'staging' },
    gatewayReplicas: 2,
    prometheus: { retentionDays: 7, storageGiB: 20, replicas: 1, cpuMillicores: 250, memoryMiB: 1024 },
    modelServing: {
      image: { repository: 'ghcr.io/example/model-server', tag: '1.0.0' },
      containerPort: 8080,
      minReplicas: 1,
      maxReplicas: 3,
      cpuMillicores: 500,
      memoryMiB: 1024,
      gpusPerReplica: 0,
      targetCpuUtilizationPercent: 70,
      modelVolumeSizeGiB: 10,
    },
    serviceImages: { registry: 'ghcr.io/example', tag: '0.1.0' },
    servingQuota: { cpuCores: 8, memoryGiB: 16, gpus: 2, pods: 20 },
  },
  cost: {
    recipients: ['finops@example.com'],
    thresholds: [{ percent: 80, basis: 'actual' }, { percent: 100, basis: 'actual' }, { percent: 100, basis: 'forecasted' }],
    exportRetentionDays: 124,
    aws: { monthlyBudget: 1000, currency: 'USD', exportBucketName: 'skyline-dev-cost-exports-usw2' },
    // Placeholder billing account: set the real one with SKYLINE_GCP_BILLING_ACCOUNT_ID.
    gcp: { monthlyBudget: 800, currency: 'USD', billingAccountId: '000000-000000-000000', exportLocation: 'EU' },
    azure: { monthlyBudget: 800, currency: 'USD', exportStorageAccountName: 'skylinedevcostexports', exportCostType: 'AmortizedCost' },
  },
  observability: {
    slo: { availabilityPercent: 99, latencyP95Seconds: 1 },
    replicationLagThresholdSeconds: 1800,
    // Placeholder endpoints: point them at your own pager, chat and dead man's switch. Secrets are referenced,
    // never written here: create them in the monitoring namespace (docs/observability.md).
    receivers: {
      pager: { kind: 'webhook', url: 'https://alerts.example.com/skyline/pager', bearerTokenSecret: { name: 'alertmanager-pager', key: 'token' } },
      chat: { kind: 'webhook', url: 'https://alerts.example.com/skyline/chat', bearerTokenSecret: { name: 'alertmanager-chat', key: 'token' } },
      deadMansSwitch: { kind: 'webhook', url: 'https://deadmansswitch.example.com/ping/skyline-dev' },
    },
    runbookBaseUrl: 'https://github.com/example/skyline/blob/main/docs/runbooks/alerts/',
    globalPrometheus: { retentionDays: 15, storageGiB: 20, replicas: 1, cpuMillicores: 250, memoryMiB: 1024 },
    alertmanagerReplicas: 1,
  },
  delivery: {
    githubRepository: 'example/skyline',
    githubEnvironment: 'dev',
    bootstrapState: 'local',
    stateVersionRetentionDays: 30,
  },
  replication: {
    // Placeholder: the model your serving image loads from <model volume>/current.
    servedModel: 'example-model',
    reloadSignal: { kind: 'file', fileName: '.reload' },
    syncIntervalSeconds: 60,
    reconcileIntervalSeconds: 300,
  },
  regions: {
    'aws-us-west-2': {
      cloud: 'aws',
      region: 'us-west-2',
      role: 'primary',
      latencyLabel: 'us-west-2',
      accountId: '111111111111',
      kubernetesVersion: '1.33',
      zones: ['us-west-2a', 'us-west-2b', 'us-west-2c'],
      network: { vpcCidr: '10.0.0.0/16', serviceCidr: '10.7.0.0/16' },
      natGatewayPerZone: false,
      modelBucketName: 'skyline-dev-models-usw2',
      adminPrincipals: [],
      apiAllowedCidrs: ['203.0.113.0/24'],
      nodePools: [
        { name: 'system', role: 'system', machineType: 'm6i.large', minSize: 1, maxSize: 3, spot: false },
        { name: 'serving', role: 'serving', machineType: 'm6i.xlarge', minSize: 0, maxSize: 4, spot: true },
        { name: 'gpu', role: 'gpu', machineType: 'g6.xlarge', minSize: 0, maxSize: 2, spot: true, gpu: { type: 'nvidia-l4', count: 1 } },
      ],
    },
    'gcp-europe-west1': {
      cloud: 'gcp',
      region: 'europe-west1',
      role: 'secondary',
      latencyLabel: 'eu-west-1',
      projectId: 'skyline-dev',
      projectNumber: '123456789012',
      releaseChannel: 'REGULAR',
      kubernetesVersion: '1.33',
      zones: ['europe-west1-b', 'europe-west1-c', 'europe-west1-d'],
      network: { subnetCidr: '10.1.0.0/20', podCidr: '10.2.0.0/16', serviceCidr: '10.1.16.0/20', controlPlaneCidr: '172.16.0.0/28' },
      modelBucketName: 'skyline-dev-models-euw1',
      adminPrincipals: [],
      apiAllowedCidrs: ['203.0.113.0/24'],
      nodePools: [
        { name: 'system', role: 'system', machineType: 'e2-standard-4', minSize: 1, maxSize: 3, spot: false },
        { name: 'serving', role: 'serving', machineType: 'n2-standard-4', minSize: 0, maxSize: 4, spot: true },
        { name: 'gpu', role: 'gpu', machineType: 'g2-standard-8', minSize: 0, maxSize: 2, spot: true, gpu: { type: 'nvidia-l4', count: 1 } },
      ],
    },
    'azure-centralindia': {
      cloud: 'azure',
      region: 'centralindia',
      role: 'tertiary',
      latencyLabel: 'ap-south-1',
      subscriptionId: '00000000-0000-0000-0000-000000000000',
      tenantId: '00000000-0000-0000-0000-000000000000',
      kubernetesVersion: '1.33',
      zones: ['1', '2', '3'],
      network: { vnetCidr: '10.4.0.0/16', nodeSubnetCidr: '10.4.0.0/20', podCidr: '10.5.0.0/16', serviceCidr: '10.6.0.0/20' },
      storageAccountName: 'skylinedevmodelsci',
      adminPrincipals: [],
      apiAllowedCidrs: ['203.0.113.0/24'],
      nodePools: [
        { name: 'system', role: 'system', machineType: 'Standard_D4s_v5', minSize: 1, maxSize: 3, spot: false },
        { name: 'serving', role: 'serving', machineType: 'Standard_D4s_v5', minSize: 0, maxSize: 4, spot: true },
        { name: 'gpu', role: 'gpu', machineType: 'Standard_NC4as_T4_v3', minSize: 0, maxSize: 2, spot: true, gpu: { type: 'nvidia-tesla-t4', count: 1 } },
      ],
    },
  },
};
