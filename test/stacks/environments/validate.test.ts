import { EMBEDDED_ENVIRONMENTS, loadEnvironment, type ConfigOverride } from '../../../stacks/environments/load';
import { ConfigError, type ConfigProblem } from '../../../stacks/environments/validate';

/** Loads `environment` with `override` merged in and returns the problems it reports (none when valid). */
function problemsOf(override: ConfigOverride, environment = 'dev'): ConfigProblem[] {
  try {
    loadEnvironment(environment, { config: [override] });
    return [];
  } catch (error) {
    if (error instanceof ConfigError) return [...error.problems];
    throw error;
  }
}

/** The one problem reported for `field`; fails when there is not exactly one. */
function problemAt(problems: ConfigProblem[], field: string): ConfigProblem {
  const matching = problems.filter((problem) => problem.field === field);
  if (matching.length !== 1) throw new Error(`expected one problem at ${field}, got: ${JSON.stringify(problems, null, 2)}`);
  return matching[0];
}

const AWS = 'regions.aws-us-west-2';
const GCP = 'regions.gcp-europe-west1';
const AZURE = 'regions.azure-centralindia';

describe('embedded environments', () => {
  it.each(Object.keys(EMBEDDED_ENVIRONMENTS))('%s is valid', (name) => {
    expect(loadEnvironment(name).name).toBe(name);
  });

  it('refuses an unknown environment name, naming SKYLINE_ENV and the choices', () => {
    expect(() => loadEnvironment('qa')).toThrow(/SKYLINE_ENV: is not an environment; set it to one of dev, staging, prod \(got "qa"\)/);
  });
});

describe('config validation: each message names the field, the bad value and the fix', () => {
  it('rejects CIDRs that overlap across clouds', () => {
    const problem = problemAt(problemsOf({ regions: { 'gcp-europe-west1': { network: { subnetCidr: '10.0.16.0/20' } } } }), `${GCP}.network.subnetCidr`);
    expect(problem.value).toBe('10.0.16.0/20');
    expect(problem.message).toMatch(/overlaps regions\.aws-us-west-2\.network\.vpcCidr \(10\.0\.0\.0\/16\); choose a range/);
  });

  it('rejects CIDRs that overlap inside one region', () => {
    const problems = problemsOf({ regions: { 'azure-centralindia': { network: { serviceCidr: '10.5.128.0/20' } } } });
    expect(problemAt(problems, `${AZURE}.network.serviceCidr`).message).toMatch(/overlaps regions\.azure-centralindia\.network\.podCidr/);
  });

  it('rejects a malformed CIDR, or one with host bits set', () => {
    const problems = problemsOf({ regions: { 'aws-us-west-2': { network: { vpcCidr: '10.0.0.1/16' } } } });
    expect(problemAt(problems, `${AWS}.network.vpcCidr`)).toMatchObject({ value: '10.0.0.1/16', message: expect.stringMatching(/no host bits set, such as 10\.0\.0\.0\/16/) });
  });

  it('rejects an unknown region and suggests the closest names', () => {
    const problem = problemAt(problemsOf({ regions: { 'aws-us-west-2': { region: 'us-west2' } } }), `${AWS}.region`);
    expect(problem.value).toBe('us-west2');
    expect(problem.message).toMatch(/not a known aws region; use one such as "us-west-2"/);
  });

  it('rejects an unknown cloud', () => {
    const problem = problemAt(problemsOf({ regions: { 'aws-us-west-2': { cloud: 'oracle' } } }), `${AWS}.cloud`);
    expect(problem).toMatchObject({ value: 'oracle', message: 'must have cloud set to one of aws, gcp, azure' });
  });

  it('rejects a region key that does not match its cloud and region', () => {
    const problems = problemsOf({ regions: { 'aws-us-west-2': { region: 'us-east-1', zones: ['us-east-1a', 'us-east-1b'] } } });
    expect(problemAt(problems, AWS).message).toMatch(/rename it to "aws-us-east-1"/);
  });

  it('rejects a latency label that is not an AWS region name', () => {
    const problem = problemAt(problemsOf({ regions: { 'gcp-europe-west1': { latencyLabel: 'europe-west1' } } }), `${GCP}.latencyLabel`);
    expect(problem.message).toMatch(/must be an AWS region name/);
  });

  it('rejects a node pool whose minimum exceeds its maximum', () => {
    const pools = [
      { name: 'system', role: 'system', machineType: 'm6i.large', minSize: 4, maxSize: 2 },
    ];
    const problem = problemAt(problemsOf({ regions: { 'aws-us-west-2': { nodePools: pools } } }), `${AWS}.nodePools[0].minSize`);
    expect(problem).toMatchObject({ value: 4, message: 'is greater than maxSize 2; lower minSize or raise maxSize' });
  });

  it('rejects a GPU pool without its GPU type', () => {
    const pools = [
      { name: 'system', role: 'system', machineType: 'e2-standard-4', minSize: 1, maxSize: 2 },
      { name: 'gpu', role: 'gpu', machineType: 'g2-standard-8', minSize: 0, maxSize: 2 },
    ];
    const problem = problemAt(problemsOf({ regions: { 'gcp-europe-west1': { nodePools: pools } } }), `${GCP}.nodePools[1].gpu`);
    expect(problem.message).toMatch(/gpu pool must declare its accelerator; add gpu: \{ type: "nvidia-l4", count: 1 \}/);
  });

  it('rejects a GPU pool on a machine type that carries no GPU', () => {
    const pools = [
      { name: 'system', role: 'system', machineType: 'Standard_D4s_v5', minSize: 1, maxSize: 2 },
      { name: 'gpu', role: 'gpu', machineType: 'Standard_D4s_v5', minSize: 0, maxSize: 2, gpu: { type: 'nvidia-tesla-t4', count: 1 } },
    ];
    const problem = problemAt(problemsOf({ regions: { 'azure-centralindia': { nodePools: pools } } }), `${AZURE}.nodePools[1].machineType`);
    expect(problem.message).toMatch(/use an N-series VM size/);
  });

  it('rejects GPUs on a pool that is not a GPU pool', () => {
    const pools = [{ name: 'system', role: 'system', machineType: 'm6i.large', minSize: 1, maxSize: 2, gpu: { type: 'nvidia-l4', count: 1 } }];
    expect(problemAt(problemsOf({ regions: { 'aws-us-west-2': { nodePools: pools } } }), `${AWS}.nodePools[0].gpu`).message).toMatch(/only pools with role "gpu"/);
  });

  it('rejects an invalid S3 bucket name', () => {
    const problem = problemAt(problemsOf({ regions: { 'aws-us-west-2': { modelBucketName: 'Models.Bucket' } } }), `${AWS}.modelBucketName`);
    expect(problem).toMatchObject({ value: 'Models.Bucket', message: expect.stringMatching(/not a valid S3 bucket name; use 3-63 lowercase/) });
  });

  it('rejects an invalid GCS bucket name', () => {
    const problem = problemAt(problemsOf({ regions: { 'gcp-europe-west1': { modelBucketName: 'google-models' } } }), `${GCP}.modelBucketName`);
    expect(problem.message).toMatch(/not a valid GCS bucket name.*without "goog" or "google"/);
  });

  it('rejects an invalid storage account name', () => {
    const problem = problemAt(problemsOf({ regions: { 'azure-centralindia': { storageAccountName: 'skyline-models' } } }), `${AZURE}.storageAccountName`);
    expect(problem).toMatchObject({ value: 'skyline-models', message: expect.stringMatching(/3-24 lowercase letters and digits only/) });
  });

  it('rejects duplicate node pool names', () => {
    const pools = [
      { name: 'system', role: 'system', machineType: 'm6i.large', minSize: 1, maxSize: 2 },
      { name: 'system', role: 'serving', machineType: 'm6i.large', minSize: 1, maxSize: 2 },
    ];
    const problem = problemAt(problemsOf({ regions: { 'aws-us-west-2': { nodePools: pools } } }), `${AWS}.nodePools[1].name`);
    expect(problem).toMatchObject({ value: 'system', message: 'appears more than once; give each node pool a unique name' });
  });

  it('rejects duplicate bucket names across regions', () => {
    const problem = problemAt(problemsOf({ regions: { 'gcp-europe-west1': { modelBucketName: 'skyline-dev-models-usw2' } } }), `${GCP}.modelBucketName`);
    expect(problem.message).toMatch(/duplicates the value of regions\.aws-us-west-2; bucket and storage account names are global/);
  });

  it('rejects an empty admin list in prod, and only in prod', () => {
    const empty = { regions: { 'aws-us-west-2': { adminPrincipals: [] } } };
    const problem = problemAt(problemsOf(empty, 'prod'), `${AWS}.adminPrincipals`);
    expect(problem.message).toMatch(/prod clusters need at least one admin principal/);
    expect(problemsOf(empty, 'staging')).toEqual([]);
  });

  it('rejects admin principals in the wrong format for their cloud', () => {
    const problem = problemAt(problemsOf({ regions: { 'gcp-europe-west1': { adminPrincipals: ['platform@example.com'] } } }), `${GCP}.adminPrincipals[0]`);
    expect(problem.message).toMatch(/not a gcp principal; use group:platform@example\.com/);
  });

  it('rejects an API endpoint open to the whole internet', () => {
    const problem = problemAt(problemsOf({ regions: { 'aws-us-west-2': { apiAllowedCidrs: ['0.0.0.0/0'] } } }), `${AWS}.apiAllowedCidrs[0]`);
    expect(problem.message).toMatch(/open the Kubernetes API to the whole internet/);
  });

  it('rejects a spot system pool in prod', () => {
    const pools = [{ name: 'system', role: 'system', machineType: 'm6i.large', minSize: 3, maxSize: 6, spot: true }];
    expect(problemAt(problemsOf({ regions: { 'aws-us-west-2': { nodePools: pools } } }, 'prod'), `${AWS}.nodePools[0].spot`).message).toMatch(/set spot: false/);
  });

  it('rejects a spot or empty system pool on Azure in every environment (AKS refuses both)', () => {
    const pools = [{ name: 'system', role: 'system', machineType: 'Standard_D4s_v5', minSize: 0, maxSize: 3, spot: true }];
    const problems = problemsOf({ regions: { 'azure-centralindia': { nodePools: pools } } }, 'dev');
    expect(problemAt(problems, `${AZURE}.nodePools[0].spot`).message).toBe('AKS refuses spot capacity for the system (default) pool; set spot: false');
    expect(problemAt(problems, `${AZURE}.nodePools[0].minSize`).message).toMatch(/at least one node in the system \(default\) pool/);
  });

  it('rejects zero or several primary regions', () => {
    const problems = problemsOf({ regions: { 'gcp-europe-west1': { role: 'primary' } } });
    expect(problemAt(problems, 'regions').message).toMatch(/exactly one region with role "primary"/);
  });

  it('rejects misspelt fields instead of ignoring them', () => {
    const problem = problemAt(problemsOf({ regions: { 'aws-us-west-2': { network: { vpcCdir: '10.0.0.0/16' } } } }), `${AWS}.network`);
    expect(problem.message).toBe('unknown field vpcCdir; remove it or fix the spelling');
  });

  it('rejects zones that do not belong to the region', () => {
    const problem = problemAt(problemsOf({ regions: { 'gcp-europe-west1': { zones: ['europe-west1-b', 'europe-west4-a'] } } }), `${GCP}.zones[1]`);
    expect(problem.message).toMatch(/not a zone of europe-west1; use zone names such as "europe-west1-b"/);
  });

  it('rejects a GKE control-plane range that is not a /28', () => {
    const problem = problemAt(problemsOf({ regions: { 'gcp-europe-west1': { network: { controlPlaneCidr: '172.16.0.0/24' } } } }), `${GCP}.network.controlPlaneCidr`);
    expect(problem.message).toMatch(/requires a \/28/);
  });

  it('rejects a serving deployment that its quota cannot hold', () => {
    const problems = problemsOf({ workloads: { modelServing: { maxReplicas: 40 } } });
    expect(problemAt(problems, 'workloads.servingQuota.pods')).toMatchObject({ value: 20, message: 'cannot hold maxReplicas (40) replicas, which request 40 pods; raise it to 40 or lower maxReplicas' });
    expect(problemAt(problems, 'workloads.servingQuota.cpuCores').message).toMatch(/which request 20 cores/);
  });

  it('rejects GPU serving where a region has no GPU pool big enough', () => {
    const pools = [{ name: 'system', role: 'system', machineType: 'Standard_D4s_v5', minSize: 1, maxSize: 2 }];
    const problems = problemsOf({ workloads: { modelServing: { gpusPerReplica: 1 } }, regions: { 'azure-centralindia': { nodePools: pools } } });
    expect(problemAt(problems, 'workloads.modelServing.gpusPerReplica').message).toMatch(/needs a gpu pool with at least 1 GPU\(s\) per node in regions\.azure-centralindia/);
  });

  it('rejects minReplicas above maxReplicas', () => {
    expect(problemAt(problemsOf({ workloads: { modelServing: { minReplicas: 5 } } }), 'workloads.modelServing.minReplicas').message).toMatch(/greater than maxReplicas 3/);
  });

  it('rejects health checks Route53 cannot run, or too few checker regions, or a TTL over 60 s', () => {
    const problems = problemsOf({ dns: { healthCheckIntervalSeconds: 15, healthCheckRegions: ['us-east-1', 'eu-west-1'], recordTtlSeconds: 300 } });
    expect(problemAt(problems, 'dns.healthCheckIntervalSeconds')).toMatchObject({ value: 15, message: 'must be 10 or 30: the only intervals Route53 health checks support' });
    expect(problemAt(problems, 'dns.healthCheckRegions').message).toMatch(/at least 3 checker regions/);
    expect(problemAt(problems, 'dns.recordTtlSeconds').message).toMatch(/at most 60 seconds/);
    expect(problemAt(problemsOf({ dns: { healthCheckRegions: ['us-east-1', 'us-west-2', 'eu-central-1'] } }), 'dns.healthCheckRegions[2]').message).toMatch(/must be a Route53 checker region/);
  });

  it('reports every problem at once, in a message that lists them', () => {
    const override = { regions: { 'aws-us-west-2': { modelBucketName: 'BAD', apiAllowedCidrs: ['0.0.0.0/0'] } } };
    expect(() => loadEnvironment('dev', { config: [override] })).toThrow(
      /Invalid environment config "dev" \(2 problems\):\n  - regions\.aws-us-west-2\.modelBucketName: .* \(got "BAD"\)\n  - regions\.aws-us-west-2\.apiAllowedCidrs\[0\]: .* \(got "0\.0\.0\.0\/0"\)/,
    );
  });
});
