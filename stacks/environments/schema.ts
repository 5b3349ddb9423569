/**
 * The typed shape of an environment config. Structural rules (types, formats,
 * name syntax) live here; rules that relate several fields (CIDR overlap,
 * min <= max, prod needs admins) live in `validate.ts`.
 */
import { z } from 'zod';
import { isCidr } from '../../constructs/common/cidr';
import { observabilitySchema } from './observability-schema';
import { costSchema } from './cost-schema';
import { replicationSchema } from './replication-schema';
import { deliverySchema } from './delivery-schema';

export const CLOUDS = ['aws', 'gcp', 'azure'] as const;
export type Cloud = (typeof CLOUDS)[number];

export const ENVIRONMENT_NAMES = ['dev', 'staging', 'prod'] as const;
export type EnvironmentName = (typeof ENVIRONMENT_NAMES)[number];

const cidr = z.string().refine(isCidr, {
  error: 'must be an IPv4 network in CIDR notation with no host bits set, such as 10.0.0.0/16',
});

const kubernetesVersion = z.string().regex(/^1\.\d{2}$/, {
  error: 'must be a Kubernetes minor version such as "1.33" (patch versions are chosen by the cloud)',
});

const uuid = z.string().regex(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/, {
  error: 'must be a lowercase UUID such as 00000000-0000-0000-0000-000000000000',
});

const gpu = z.strictObject({
  /** Accelerator type: the GKE accelerator name on GCP (`nvidia-l4`), a label value elsewhere. */
  type: z.string().regex(/^[a-z0-9-]+$/, { error: 'must be an accelerator name such as "nvidia-l4" or "nvidia-tesla-t4"' }),
  /** GPUs per node. */
  count: z.number().int().min(1, { error: 'must be at least 1 GPU per node' }),
});

export const nodePoolSchema = z.strictObject({
  /** Pool name; one syntax serves all three clouds (AKS allows only 1-12 lowercase letters and digits). */
  name: z.string().regex(/^[a-z][a-z0-9]{0,11}$/, {
    error: 'must be 1-12 lowercase letters and digits starting with a letter (AKS rule, applied on every cloud), such as "gpu"',
  }),
  /** system: cluster add-ons only; serving: CPU inference; gpu: GPU inference, tainted `nvidia.com/gpu`. */
  role: z.enum(['system', 'serving', 'gpu'], { error: 'must be one of system, serving, gpu' }),
  /** Instance type (AWS), machine type (GCP) or VM size (Azure). */
  machineType: z.string().min(1, { error: 'must name an instance type, machine type or VM size' }),
  minSize: z.number().int().min(0, { error: 'must be a whole number of nodes, 0 or more' }),
  maxSize: z.number().int().min(1, { error: 'must be a whole number of nodes, 1 or more' }),
  /** Spot / preemptible capacity. */
  spot: z.boolean().default(false),
  diskSizeGiB: z.number().int().min(20, { error: 'must be at least 20 GiB' }).default(100),
  gpu: gpu.optional(),
});

const regionCommon = {
  /** Provider region, e.g. us-west-2, europe-west1, centralindia. */
  region: z.string(),
  role: z.enum(['primary', 'secondary', 'tertiary'], { error: 'must be one of primary, secondary, tertiary' }),
  /** AWS region name used as the Route53 latency label for this region's endpoint. */
  latencyLabel: z.string(),
  kubernetesVersion,
  /** Zones for nodes and subnets, in the cloud's own naming (us-west-2a, europe-west1-b, "1"). */
  zones: z.array(z.string().min(1)).min(1, { error: 'must list at least one zone' }),
  nodePools: z.array(nodePoolSchema).min(1, { error: 'must define at least a system node pool' }),
  /** Principals granted cluster-admin: IAM ARNs (AWS), IAM members (GCP), Entra object IDs (Azure). */
  adminPrincipals: z.array(z.string()),
  /** CIDRs allowed to reach the Kubernetes API; empty means a private-only endpoint. */
  apiAllowedCidrs: z.array(cidr),
};

const awsRegion = z.strictObject({
  cloud: z.literal('aws'),
  ...regionCommon,
  accountId: z.string().regex(/^\d{12}$/, { error: 'must be a 12-digit AWS account ID' }),
  /** `serviceCidr`: ClusterIP range, set explicitly so every range of every region is known and disjoint. */
  network: z.strictObject({ vpcCidr: cidr, serviceCidr: cidr }),
  /** One NAT gateway per zone (HA) or a single shared one (cheaper). */
  natGatewayPerZone: z.boolean(),
  modelBucketName: z.string(),
});

const gcpRegion = z.strictObject({
  cloud: z.literal('gcp'),
  ...regionCommon,
  projectId: z.string().regex(/^[a-z][a-z0-9-]{4,28}[a-z0-9]$/, {
    error: 'must be a GCP project ID: 6-30 lowercase letters, digits and hyphens, starting with a letter',
  }),
  projectNumber: z.string().regex(/^\d{6,20}$/, { error: 'must be the numeric GCP project number' }),
  releaseChannel: z.enum(['RAPID', 'REGULAR', 'STABLE'], { error: 'must be one of RAPID, REGULAR, STABLE' }),
  network: z.strictObject({ subnetCidr: cidr, podCidr: cidr, serviceCidr: cidr, controlPlaneCidr: cidr }),
  modelBucketName: z.string(),
});

const azureRegion = z.strictObject({
  cloud: z.literal('azure'),
  ...regionCommon,
  subscriptionId: uuid,
  tenantId: uuid,
  network: z.strictObject({ vnetCidr: cidr, nodeSubnetCidr: cidr, podCidr: cidr, serviceCidr: cidr }),
  storageAccountName: z.string(),
});

export const regionSchema = z.discriminatedUnion('cloud', [awsRegion, gcpRegion, azureRegion], {
  error: `must have cloud set to one of ${CLOUDS.join(', ')}`,
});

const backend = z.discriminatedUnion(
  'type',
  [
    z.strictObject({
      type: z.literal('s3'),
      bucket: z.string().min(3, { error: 'must name the S3 state bucket' }),
      region: z.string(),
      /** Keys are `<keyPrefix>/<stack>.tfstate`. */
      keyPrefix: z.string().default('skyline'),
    }),
    z.strictObject({ type: z.literal('local'), directory: z.string().default('terraform-state') }),
  ],
  { error: 'must have type "s3" or "local"' },
);

const positiveInt = (unit: string) => z.number().int().min(1, { error: `must be a whole number of ${unit}, 1 or more` });

/** Regions Route53 health checkers probe from (the API's closed list). */
export const ROUTE53_CHECKER_REGIONS = ['us-east-1', 'us-west-1', 'us-west-2', 'eu-west-1', 'ap-southeast-1', 'ap-southeast-2', 'ap-northeast-1', 'sa-east-1'] as const;

/** Global DNS: the zone, and the Route53 health checks that are the data-plane safety net. */
const dns = z.strictObject({
  /** An existing public hosted zone for `domain`; absent, the global stack creates one. */
  hostedZoneId: z.string().regex(/^Z[A-Z0-9]{1,31}$/, { error: 'must be a Route53 hosted zone ID such as Z0123456789ABCDEFGHIJ' }).optional(),
  /** 10 (fast, costs more) or 30 seconds between checks from each checker region. */
  healthCheckIntervalSeconds: z.union([z.literal(10), z.literal(30)], { error: 'must be 10 or 30: the only intervals Route53 health checks support' }),
  healthCheckRegions: z
    .array(z.enum(ROUTE53_CHECKER_REGIONS, { error: `must be a Route53 checker region: ${ROUTE53_CHECKER_REGIONS.join(', ')}` }))
    .min(3, { error: 'must list at least 3 checker regions, so one region\'s network trouble cannot fail an endpoint' }),
  /** Latency measurement costs extra and is off by default. */
  measureLatency: z.boolean().default(false),
  /** TTL of the regional A records; at most 60 s so a weight change reaches clients within a minute. */
  recordTtlSeconds: z.number().int().min(5, { error: 'must be at least 5 seconds' }).max(60, { error: 'must be at most 60 seconds, or clients keep a failed region too long' }),
});

/** What runs in every cluster, sized per environment. */
const workloads = z.strictObject({
  /** Let's Encrypt account and directory for the gateway certificate. */
  acme: z.strictObject({
    email: z.string().regex(/^[^@\s]+@[^@\s]+\.[^@\s]+$/, { error: 'must be an e-mail address Let\'s Encrypt can write to about expiring certificates' }),
    server: z.enum(['production', 'staging'], { error: 'must be "production" or "staging" (untrusted certificates, for trials)' }),
  }),
  gatewayReplicas: positiveInt('Envoy proxies'),
  prometheus: z.strictObject({
    retentionDays: positiveInt('days'),
    storageGiB: positiveInt('GiB'),
    replicas: positiveInt('replicas'),
    cpuMillicores: positiveInt('millicores'),
    memoryMiB: positiveInt('MiB'),
  }),
  modelServing: z.strictObject({
    /** The user's inference image (FastAPI, TorchServe...): `/health` answers 2xx once the model is loaded. */
    image: z.strictObject({
      repository: z.string().regex(/^[a-z0-9.-]+(:\d+)?(\/[a-z0-9._-]+)+$/, { error: 'must be an image repository such as ghcr.io/acme/model-server' }),
      tag: z.string().regex(/^[\w][\w.-]{0,127}$/, { error: 'must be an image tag such as 1.4.2' }),
      /** Pins the exact image; the tag is then informational. Recommended for staging and prod. */
      digest: z.string().regex(/^sha256:[0-9a-f]{64}$/, { error: 'must be an image digest such as sha256:<64 hex digits>' }).optional(),
    }),
    containerPort: z.number().int().min(1024, { error: 'must be an unprivileged port (1024-65535): the container runs as non-root' }).max(65535, { error: 'must be at most 65535' }),
    minReplicas: positiveInt('replicas'),
    maxReplicas: positiveInt('replicas'),
    cpuMillicores: positiveInt('millicores'),
    memoryMiB: positiveInt('MiB'),
    /** 0 serves on CPU nodes; more schedules each replica on the GPU pool with that many GPUs. */
    gpusPerReplica: z.number().int().min(0, { error: 'must be 0 (CPU) or a whole number of GPUs' }),
    targetCpuUtilizationPercent: z.number().int().min(10, { error: 'must be between 10 and 100' }).max(100, { error: 'must be between 10 and 100' }),
    /** Scale on the per-pod request rate too (served by prometheus-adapter); absent = CPU and memory only. */
    targetRequestsPerSecond: z.number().positive({ error: 'must be a positive request rate per pod' }).optional(),
    modelVolumeSizeGiB: positiveInt('GiB'),
  }),
  /** Where the bundled services' images are: `<registry>/skyline-<service>:<tag>` (built from services/<service>/Dockerfile). */
  serviceImages: z.strictObject({
    registry: z.string().regex(/^[a-z0-9.-]+(:\d+)?(\/[a-z0-9._-]+)*$/, { error: 'must be an image registry path such as ghcr.io/acme' }),
    tag: z.string().regex(/^[\w][\w.-]{0,127}$/, { error: 'must be an image tag such as 0.1.0' }).refine((tag) => tag !== 'latest', { error: 'must be a fixed release tag, not "latest"' }),
  }),
  /** Ceiling of what ml-serving may request in each cluster. */
  servingQuota: z.strictObject({ cpuCores: positiveInt('cores'), memoryGiB: positiveInt('GiB'), gpus: z.number().int().min(0), pods: positiveInt('pods') }),
});

export const environmentSchema = z.strictObject({
  name: z.enum(ENVIRONMENT_NAMES, { error: `must be one of ${ENVIRONMENT_NAMES.join(', ')}` }),
  /** Public DNS domain; the API is served at api.<domain>. */
  domain: z.string().regex(/^([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,}$/, {
    error: 'must be a lowercase DNS name such as ml.example.com',
  }),
  backend,
  /** Protects clusters, buckets and keys from `terraform destroy`. */
  deletionProtection: z.boolean(),
  logRetentionDays: z.number().int().min(1, { error: 'must be at least 1 day' }),
  /** Days a replaced or deleted model object version is kept before it expires. */
  noncurrentVersionRetentionDays: z.number().int().min(1, { error: 'must be at least 1 day' }),
  tags: z.record(z.string(), z.string()).default({}),
  /** Keyed by `<cloud>-<region>`, e.g. `aws-us-west-2`. */
  regions: z.record(z.string(), regionSchema),
  dns,
  workloads,
  observability: observabilitySchema,
  cost: costSchema,
  replication: replicationSchema,
  delivery: deliverySchema,
});

export type EnvironmentConfigInput = z.input<typeof environmentSchema>;
export type EnvironmentConfig = z.output<typeof environmentSchema>;
export type RegionConfig = z.output<typeof regionSchema>;
export type AwsRegionConfig = Extract<RegionConfig, { cloud: 'aws' }>;
export type GcpRegionConfig = Extract<RegionConfig, { cloud: 'gcp' }>;
export type AzureRegionConfig = Extract<RegionConfig, { cloud: 'azure' }>;
export type NodePoolConfig = z.output<typeof nodePoolSchema>;
export type WorkloadsConfig = z.output<typeof workloads>;
export type DnsConfig = z.output<typeof dns>;
