/**
 * What the local platform emulates, read from the embedded `dev` environment (stacks/environments/dev.ts), the
 * same config `npm run synth` turns into stacks: the regions in role order with their clouds, Route53 latency
 * labels and model buckets, the domain and the DNS settings. Nothing here is a second copy of that config.
 */
import { MODEL_CONTAINER_NAME } from '../../constructs/azure/model-storage';
import { loadEnvironment } from '../../stacks/environments/load';
import type { Cloud, EnvironmentConfig, RegionConfig } from '../../stacks/environments/schema';
import { inRoleOrder } from '../../stacks/region-order';

export interface LocalRegion {
  /** `<cloud>-<region>`, the environment's key, e.g. `aws-us-west-2`. */
  readonly key: string;
  /** Provider region name, e.g. `us-west-2`. */
  readonly name: string;
  readonly cloud: Cloud;
  readonly role: RegionConfig['role'];
  /** The AWS region name Route53 measures latency against for this region. */
  readonly latencyLabel: string;
  /** The region's model bucket (S3, GCS) or container (Azure Blob). */
  readonly modelBucket: string;
}

export interface Topology {
  readonly environment: EnvironmentConfig;
  /** Primary first: each region spills to the next one, the last to the first. */
  readonly regions: readonly LocalRegion[];
}

/** The environment the local platform mirrors. */
export const LOCAL_ENVIRONMENT = 'dev';

export function localTopology(): Topology {
  const environment = loadEnvironment(LOCAL_ENVIRONMENT);
  const regions = inRoleOrder(Object.entries(environment.regions).map(([key, region]) => ({ key, region }))).map(({ key, region }) => ({
    key,
    name: region.region,
    cloud: region.cloud,
    role: region.role,
    latencyLabel: region.latencyLabel,
    // Azure keeps models in a container of the region's storage account; the emulator has one account.
    modelBucket: region.cloud === 'azure' ? MODEL_CONTAINER_NAME : region.modelBucketName,
  }));
  return { environment, regions };
}
