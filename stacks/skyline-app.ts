import type { App, TerraformStack } from 'cdktf';
import { AwsInfraStack } from './aws-infra-stack';
import { AzureInfraStack } from './azure-infra-stack';
import { BootstrapStack, bootstrapStackName } from './bootstrap-stack';
import type { AwsRegionConfig, EnvironmentConfig, RegionConfig } from './environments/schema';
import { GcpInfraStack } from './gcp-infra-stack';
import { GlobalStack } from './global-stack';
import { WorkloadsStack, type RegionalInfraStack } from './workloads-stack';

/** Stack name contract: `<env>-<region key>-<layer>`, e.g. `dev-aws-us-west-2-infra`. */
export function stackName(environment: EnvironmentConfig, regionKey: string, layer: 'infra' | 'workloads'): string {
  return `${environment.name}-${regionKey}-${layer}`;
}

/** Adds every stack of one environment to `app`, in dependency order: infra, workloads, then `<env>-global`. */
export function addEnvironment(app: App, environment: EnvironmentConfig): TerraformStack[] {
  const regions = Object.entries(environment.regions);
  const infra = regions.map(([regionKey, region]) => ({ regionKey, region, infra: addInfraStack(app, environment, regionKey, region) }));
  const dnsAccount = route53Account(environment);
  const fleet = infra.map((entry) => ({ region: entry.region, infra: entry.infra.stack }));
  const workloads = infra.map(
    ({ regionKey, region, infra: regionalInfra }) =>
      new WorkloadsStack(app, stackName(environment, regionKey, 'workloads'), { environment, regionKey, region, infra: regionalInfra, fleet, dnsAccount }),
  );
  const global = new GlobalStack(app, `${environment.name}-global`, {
    environment,
    dnsAccount,
    regions: infra.map((entry, index) => ({ regionKey: entry.regionKey, region: entry.region, infra: entry.infra.stack, workloads: workloads[index] })),
  });
  return [...infra.map(({ infra: regionalInfra }) => regionalInfra.stack), ...workloads, global];
}

/**
 * Adds `bootstrap-<env>` (state bucket, CI trust), deployed once by a person, never by CI. An environment on local
 * state has neither a bucket to create nor CI to trust: it gets none.
 */
export function addBootstrapStack(app: App, environment: EnvironmentConfig): BootstrapStack | undefined {
  return environment.backend.type === 's3' ? new BootstrapStack(app, bootstrapStackName(environment), { environment }) : undefined;
}

function addInfraStack(app: App, environment: EnvironmentConfig, regionKey: string, region: RegionConfig): RegionalInfraStack {
  const id = stackName(environment, regionKey, 'infra');
  switch (region.cloud) {
    case 'aws':
      return { cloud: 'aws', stack: new AwsInfraStack(app, id, { environment, regionKey, region }) };
    case 'gcp':
      return { cloud: 'gcp', stack: new GcpInfraStack(app, id, { environment, regionKey, region }) };
    case 'azure':
      return { cloud: 'azure', stack: new AzureInfraStack(app, id, { environment, regionKey, region }) };
  }
}

/** Route53 lives in the account of the primary AWS region (config validation guarantees there is one). */
function route53Account(environment: EnvironmentConfig): AwsRegionConfig {
  const awsRegions = Object.values(environment.regions).filter((region): region is AwsRegionConfig => region.cloud === 'aws');
  const account = awsRegions.find((region) => region.role === 'primary') ?? awsRegions[0];
  if (!account) throw new Error(`environment ${environment.name} has no AWS region: Route53 (DNS and certificates) needs one`);
  return account;
}
