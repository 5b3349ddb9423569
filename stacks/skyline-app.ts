import type { App, TerraformStack } from 'cdktf';
import { AwsInfraStack } from './aws-infra-stack';
import { AzureInfraStack } from './azure-infra-stack';
import type { EnvironmentConfig, RegionConfig } from './environments/schema';
import { GcpInfraStack } from './gcp-infra-stack';

/** Stack name contract: `<env>-<region key>-infra`, e.g. `dev-aws-us-west-2-infra`. */
export function infraStackName(environment: EnvironmentConfig, regionKey: string): string {
  return `${environment.name}-${regionKey}-infra`;
}

/** Adds every stack of one environment to `app`, in dependency order. */
export function addEnvironment(app: App, environment: EnvironmentConfig): TerraformStack[] {
  return Object.entries(environment.regions).map(([regionKey, region]) => addInfraStack(app, environment, regionKey, region));
}

function addInfraStack(app: App, environment: EnvironmentConfig, regionKey: string, region: RegionConfig): TerraformStack {
  const id = infraStackName(environment, regionKey);
  switch (region.cloud) {
    case 'aws':
      return new AwsInfraStack(app, id, { environment, regionKey, region });
    case 'gcp':
      return new GcpInfraStack(app, id, { environment, regionKey, region });
    case 'azure':
      return new AzureInfraStack(app, id, { environment, regionKey, region });
  }
}
