/**
 * Validates an environment config: the zod schema for shape, then the rules
 * that relate fields to each other. Every problem names the field, the bad
 * value and the fix; all problems are reported at once, not the first only.
 */
import type { z } from 'zod';
import { cidrContains, cidrsOverlap, parseCidr } from '../../constructs/common/cidr';
import { costProblems } from './cost-schema';
import { KNOWN_REGIONS, LATENCY_LABELS } from './known-regions';
import { environmentSchema, type EnvironmentConfig, type NodePoolConfig, type RegionConfig } from './schema';

type Path = readonly (string | number)[];

export interface ConfigProblem {
  /** Dotted path of the offending field, e.g. `regions.aws-us-west-2.nodePools[1].minSize`. */
  readonly field: string;
  readonly value: unknown;
  /** What is wrong and how to fix it. */
  readonly message: string;
}

export class ConfigError extends Error {
  constructor(
    readonly environment: string,
    readonly problems: readonly ConfigProblem[],
  ) {
    super(
      `Invalid environment config "${environment}" (${problems.length} problem${problems.length === 1 ? '' : 's'}):\n` +
        problems.map((p) => `  - ${p.field}: ${p.message} (got ${render(p.value)})`).join('\n'),
    );
    this.name = 'ConfigError';
  }
}

/** Parses and validates `input`; throws a ConfigError listing every problem. */
export function validateEnvironment(input: unknown, label: string): EnvironmentConfig {
  const parsed = environmentSchema.safeParse(input);
  if (!parsed.success) {
    throw new ConfigError(label, parsed.error.issues.map((issue) => fromZodIssue(issue, input)));
  }
  const problems = semanticProblems(parsed.data);
  if (problems.length > 0) throw new ConfigError(label, problems);
  return parsed.data;
}

function fromZodIssue(issue: z.core.$ZodIssue, input: unknown): ConfigProblem {
  const path = issue.path.filter((part): part is string | number => typeof part !== 'symbol');
  if (issue.code === 'unrecognized_keys') {
    return {
      field: formatPath(path),
      value: issue.keys,
      message: `unknown field${issue.keys.length === 1 ? '' : 's'} ${issue.keys.join(', ')}; remove ${issue.keys.length === 1 ? 'it' : 'them'} or fix the spelling`,
    };
  }
  const value = valueAt(input, path);
  const message =
    issue.code === 'invalid_type' && value === undefined ? `is required: ${issue.message}` : issue.message;
  return { field: formatPath(path), value, message };
}

function semanticProblems(env: EnvironmentConfig): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  const report = (path: Path, value: unknown, message: string) =>
    problems.push({ field: formatPath(path), value, message });

  const regions = Object.entries(env.regions);
  if (regions.length === 0) report(['regions'], env.regions, 'lists no region; add at least the primary region');

  for (const [key, region] of regions) checkRegion(env, key, region, report);

  if (regions.length > 0 && !regions.some(([, region]) => region.cloud === 'aws')) {
    report(['regions'], regions.map(([key]) => key), 'has no AWS region, but Route53 (DNS, health checks, certificates) needs an AWS account; add one');
  }
  const primaries = regions.filter(([, region]) => region.role === 'primary').map(([key]) => key);
  if (regions.length > 0 && primaries.length !== 1) {
    report(['regions'], primaries, 'must have exactly one region with role "primary"; set role on the others to secondary or tertiary');
  }
  reportDuplicates(regions, (region) => region.role, 'role', 'give each region its own role', report);
  reportDuplicates(regions, (region) => region.latencyLabel, 'latencyLabel', 'Route53 needs one latency label per region', report);
  reportDuplicates(regions, bucketNameOf, bucketFieldOf, 'bucket and storage account names are global; choose another', report);
  checkCidrOverlaps(regions, report);
  checkModelServing(env, regions, report);
  costProblems(env, report);
  return problems;
}

/** The serving deployment must fit the quota and the node pools it will be scheduled on. */
function checkModelServing(env: EnvironmentConfig, regions: [string, RegionConfig][], report: Report): void {
  const serving = env.workloads.modelServing;
  const quota = env.workloads.servingQuota;
  const at = (field: string): Path => ['workloads', 'modelServing', field];
  if (serving.minReplicas > serving.maxReplicas) {
    report(at('minReplicas'), serving.minReplicas, `is greater than maxReplicas ${serving.maxReplicas}; lower minReplicas or raise maxReplicas`);
  }
  const needs = [
    { field: 'cpuCores', total: (serving.maxReplicas * serving.cpuMillicores) / 1000, limit: quota.cpuCores, unit: 'cores' },
    { field: 'memoryGiB', total: (serving.maxReplicas * serving.memoryMiB) / 1024, limit: quota.memoryGiB, unit: 'GiB' },
    { field: 'gpus', total: serving.maxReplicas * serving.gpusPerReplica, limit: quota.gpus, unit: 'GPUs' },
    { field: 'pods', total: serving.maxReplicas, limit: quota.pods, unit: 'pods' },
  ];
  for (const need of needs) {
    if (need.total > need.limit) {
      report(['workloads', 'servingQuota', need.field], need.limit, `cannot hold maxReplicas (${serving.maxReplicas}) replicas, which request ${need.total} ${need.unit}; raise it to ${need.total} or lower maxReplicas`);
    }
  }
  if (serving.gpusPerReplica === 0) return;
  for (const [key, region] of regions) {
    const gpuPool = region.nodePools.find((pool) => pool.role === 'gpu');
    if (!gpuPool?.gpu || gpuPool.gpu.count < serving.gpusPerReplica) {
      report(at('gpusPerReplica'), serving.gpusPerReplica, `needs a gpu pool with at least ${serving.gpusPerReplica} GPU(s) per node in regions.${key}; add one or set gpusPerReplica: 0`);
    }
  }
}

type Report = (path: Path, value: unknown, message: string) => void;

function checkRegion(env: EnvironmentConfig, key: string, region: RegionConfig, report: Report): void {
  const at = (...rest: (string | number)[]): Path => ['regions', key, ...rest];
  const known = KNOWN_REGIONS[region.cloud];
  if (!known.includes(region.region)) {
    report(at('region'), region.region, `is not a known ${region.cloud} region; use one such as ${suggest(region.region, known)}`);
  } else {
    // Key and zone names derive from the region: checking them against a misspelt region only adds noise.
    if (key !== `${region.cloud}-${region.region}`) {
      report(['regions', key], key, `region keys are "<cloud>-<region>"; rename it to "${region.cloud}-${region.region}"`);
    }
    checkZones(region, at, report);
  }
  if (!LATENCY_LABELS.includes(region.latencyLabel)) {
    report(at('latencyLabel'), region.latencyLabel, `must be an AWS region name (Route53 latency records accept no other); use one such as ${suggest(region.latencyLabel, LATENCY_LABELS)}`);
  }
  checkNodePools(env, region, at, report);
  checkBucketName(region, at, report);
  checkAdmins(env, region, at, report);
  region.apiAllowedCidrs.forEach((allowed, index) => {
    if (parseCidr(allowed)?.prefixLength === 0) {
      report(at('apiAllowedCidrs', index), allowed, 'would open the Kubernetes API to the whole internet; list your VPN or office ranges, or none for a private endpoint');
    }
  });
  if (region.cloud === 'gcp' && parseCidr(region.network.controlPlaneCidr)?.prefixLength !== 28) {
    report(at('network', 'controlPlaneCidr'), region.network.controlPlaneCidr, 'GKE requires a /28 for the control plane; use a range such as 172.16.0.0/28');
  }
  if (region.cloud === 'azure' && !cidrContains(region.network.vnetCidr, region.network.nodeSubnetCidr)) {
    report(at('network', 'nodeSubnetCidr'), region.network.nodeSubnetCidr, `must lie inside vnetCidr ${region.network.vnetCidr}; pick a range within it`);
  }
}

function checkZones(region: RegionConfig, at: (...rest: (string | number)[]) => Path, report: Report): void {
  const zonePattern = {
    aws: new RegExp(`^${escape(region.region)}[a-z]$`),
    gcp: new RegExp(`^${escape(region.region)}-[a-z]$`),
    azure: /^[1-3]$/,
  }[region.cloud];
  const example = { aws: `${region.region}a`, gcp: `${region.region}-b`, azure: '1' }[region.cloud];
  region.zones.forEach((zone, index) => {
    if (!zonePattern.test(zone)) report(at('zones', index), zone, `is not a zone of ${region.region}; use zone names such as "${example}"`);
  });
  if (region.cloud === 'aws' && (region.zones.length < 2 || region.zones.length > 3)) {
    report(at('zones'), region.zones, 'list 2 or 3 availability zones: EKS needs at least 2, and the VPC is split into 3 private subnets plus a public block');
  }
  reportDuplicateValues(region.zones, at('zones'), 'list each zone once', report);
}

function checkNodePools(env: EnvironmentConfig, region: RegionConfig, at: (...rest: (string | number)[]) => Path, report: Report): void {
  region.nodePools.forEach((pool, index) => {
    const poolAt = (...rest: string[]) => at('nodePools', index, ...rest);
    if (pool.minSize > pool.maxSize) {
      report(poolAt('minSize'), pool.minSize, `is greater than maxSize ${pool.maxSize}; lower minSize or raise maxSize`);
    }
    if (pool.role === 'gpu' && !pool.gpu) {
      report(poolAt('gpu'), pool.gpu, 'a gpu pool must declare its accelerator; add gpu: { type: "nvidia-l4", count: 1 } (or your type)');
    }
    if (pool.role !== 'gpu' && pool.gpu) {
      report(poolAt('gpu'), pool.gpu, `only pools with role "gpu" get GPUs (this one is "${pool.role}"); remove gpu or set role: "gpu"`);
    }
    if (pool.role === 'gpu' && pool.gpu && !gpuMachineType(region, pool)) {
      const expected = { aws: 'a g* or p* instance type such as g6.xlarge', gcp: 'a machine type that accepts the accelerator', azure: 'an N-series VM size such as Standard_NC4as_T4_v3' }[region.cloud];
      report(poolAt('machineType'), pool.machineType, `does not carry GPUs; use ${expected}`);
    }
    if (pool.role === 'system' && pool.spot && (env.name === 'prod' || region.cloud === 'azure')) {
      const why = region.cloud === 'azure' ? 'AKS refuses spot capacity for the system (default) pool' : 'a spot system pool can lose cluster add-ons at any time in prod';
      report(poolAt('spot'), pool.spot, `${why}; set spot: false`);
    }
    if (pool.role === 'system' && region.cloud === 'azure' && pool.minSize < 1) {
      report(poolAt('minSize'), pool.minSize, 'AKS needs at least one node in the system (default) pool; set minSize: 1 or more');
    }
  });
  reportDuplicateValues(region.nodePools.map((pool) => pool.name), at('nodePools'), 'give each node pool a unique name', report, 'name');
  const systemPools = region.nodePools.filter((pool) => pool.role === 'system').length;
  if (systemPools !== 1) {
    report(at('nodePools'), region.nodePools.map((pool) => pool.role), `needs exactly one pool with role "system" (found ${systemPools}); it hosts the cluster add-ons`);
  }
}

function gpuMachineType(region: RegionConfig, pool: NodePoolConfig): boolean {
  switch (region.cloud) {
    case 'aws':
      return /^(g|p)\d/.test(pool.machineType);
    case 'azure':
      return /^Standard_N/.test(pool.machineType);
    case 'gcp':
      // GKE attaches the accelerator to general machine types (n1-*) or uses accelerator-optimized ones (a2, a3, g2).
      return /^(n1|a2|a3|g2)-/.test(pool.machineType);
  }
}

function checkBucketName(region: RegionConfig, at: (...rest: (string | number)[]) => Path, report: Report): void {
  switch (region.cloud) {
    case 'aws': {
      const name = region.modelBucketName;
      if (!/^[a-z0-9][a-z0-9-]{1,61}[a-z0-9]$/.test(name) || name.startsWith('xn--') || name.endsWith('-s3alias')) {
        report(at('modelBucketName'), name, 'is not a valid S3 bucket name; use 3-63 lowercase letters, digits and hyphens, starting and ending with a letter or digit (dots are refused: they break TLS on virtual-hosted URLs)');
      }
      return;
    }
    case 'gcp': {
      const name = region.modelBucketName;
      if (!/^[a-z0-9][a-z0-9_-]{1,61}[a-z0-9]$/.test(name) || name.startsWith('goog') || name.includes('google')) {
        report(at('modelBucketName'), name, 'is not a valid GCS bucket name; use 3-63 lowercase letters, digits, hyphens and underscores, starting and ending with a letter or digit, without "goog" or "google"');
      }
      return;
    }
    case 'azure': {
      const name = region.storageAccountName;
      if (!/^[a-z0-9]{3,24}$/.test(name)) {
        report(at('storageAccountName'), name, 'is not a valid storage account name; use 3-24 lowercase letters and digits only (no hyphens)');
      }
      return;
    }
  }
}

function checkAdmins(env: EnvironmentConfig, region: RegionConfig, at: (...rest: (string | number)[]) => Path, report: Report): void {
  if (env.name === 'prod' && region.adminPrincipals.length === 0) {
    report(at('adminPrincipals'), region.adminPrincipals, 'prod clusters need at least one admin principal, or nobody can operate them (local accounts are disabled); add your platform team');
  }
  const format = {
    aws: { pattern: /^arn:aws:iam::\d{12}:(role|user)\/[\w+=,.@/-]+$/, example: 'arn:aws:iam::123456789012:role/platform-admin' },
    gcp: { pattern: /^(user|group|serviceAccount):[^@\s]+@[^@\s]+$/, example: 'group:platform@example.com' },
    azure: { pattern: /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/, example: 'the object ID of an Entra group' },
  }[region.cloud];
  region.adminPrincipals.forEach((principal, index) => {
    if (!format.pattern.test(principal)) {
      report(at('adminPrincipals', index), principal, `is not a ${region.cloud} principal; use ${format.example}`);
    }
  });
  reportDuplicateValues(region.adminPrincipals, at('adminPrincipals'), 'list each principal once', report);
}

interface NamedRange {
  readonly path: Path;
  readonly cidr: string;
}

/** Every address range of every region must be disjoint, so private cross-cloud links stay possible. */
function checkCidrOverlaps(regions: [string, RegionConfig][], report: Report): void {
  const ranges: NamedRange[] = regions.flatMap(([key, region]) =>
    Object.entries(region.network)
      // The AKS node subnet lives inside the VNet by design; it is checked for containment instead.
      .filter(([field]) => !(region.cloud === 'azure' && field === 'nodeSubnetCidr'))
      .map(([field, cidr]) => ({ path: ['regions', key, 'network', field], cidr })),
  );
  for (let i = 0; i < ranges.length; i++) {
    for (let j = i + 1; j < ranges.length; j++) {
      if (cidrsOverlap(ranges[i].cidr, ranges[j].cidr)) {
        report(ranges[j].path, ranges[j].cidr, `overlaps ${formatPath(ranges[i].path)} (${ranges[i].cidr}); choose a range that overlaps no other network of any region`);
      }
    }
  }
}

function bucketNameOf(region: RegionConfig): string {
  return region.cloud === 'azure' ? region.storageAccountName : region.modelBucketName;
}

function bucketFieldOf(region: RegionConfig): string {
  return region.cloud === 'azure' ? 'storageAccountName' : 'modelBucketName';
}

function reportDuplicates(
  regions: [string, RegionConfig][],
  valueOf: (region: RegionConfig) => string,
  field: string | ((region: RegionConfig) => string),
  fix: string,
  report: Report,
): void {
  const seen = new Map<string, string>();
  for (const [key, region] of regions) {
    const value = valueOf(region);
    const fieldName = typeof field === 'string' ? field : field(region);
    const first = seen.get(value);
    if (first !== undefined) report(['regions', key, fieldName], value, `duplicates the value of regions.${first}; ${fix}`);
    else seen.set(value, key);
  }
}

function reportDuplicateValues(values: readonly string[], path: Path, fix: string, report: Report, field?: string): void {
  values.forEach((value, index) => {
    if (values.indexOf(value) !== index) {
      report(field ? [...path, index, field] : [...path, index], value, `appears more than once; ${fix}`);
    }
  });
}

/** The known names closest to `value`, to turn a typo into a one-line fix. */
function suggest(value: string, known: readonly string[]): string {
  const ranked = [...known].sort((a, b) => editDistance(value, a) - editDistance(value, b));
  return ranked.slice(0, 3).map((name) => `"${name}"`).join(', ');
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    previous = current;
  }
  return previous[b.length];
}

function formatPath(path: Path): string {
  return path.reduce<string>((text, part) => (typeof part === 'number' ? `${text}[${part}]` : text ? `${text}.${part}` : part), '') || '(root)';
}

function valueAt(input: unknown, path: Path): unknown {
  let value = input;
  for (const part of path) {
    if (value === null || typeof value !== 'object') return undefined;
    value = (value as Record<string | number, unknown>)[part];
  }
  return value;
}

function render(value: unknown): string {
  return value === undefined ? 'nothing' : JSON.stringify(value);
}

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
