import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { AzurermProvider } from '@cdktf/provider-azurerm/lib/provider';
import { GoogleProvider } from '@cdktf/provider-google/lib/provider';
import { Fn, LocalBackend, TerraformOutput, TerraformStack } from 'cdktf';
import type { Construct } from 'constructs';
import { AwsGitHubTrust } from '../constructs/bootstrap/aws-github-trust';
import { AzureGitHubTrust } from '../constructs/bootstrap/azure-github-trust';
import { GcpGitHubTrust } from '../constructs/bootstrap/gcp-github-trust';
import { githubSubjects } from '../constructs/bootstrap/github-oidc';
import { TerraformStateBucket } from '../constructs/bootstrap/terraform-state-bucket';
import { configureBackend } from './backend';
import type { AwsRegionConfig, AzureRegionConfig, EnvironmentConfig, GcpRegionConfig, RegionConfig } from './environments/schema';

/** `bootstrap-<env>`: outside the `<env>-*` pattern that CI deploys, so no workflow ever touches its own trust. */
export function bootstrapStackName(environment: EnvironmentConfig): string {
  return `bootstrap-${environment.name}`;
}

/**
 * Where the bootstrap stack's local state goes, relative to the stack's working directory
 * (`cdktf.out/stacks/bootstrap-<env>`): `terraform-state/` at the top of the working copy, which synth never cleans
 * and git ignores.
 */
export const BOOTSTRAP_LOCAL_STATE_DIRECTORY = '../../../terraform-state';

export interface BootstrapStackProps {
  /** The environment whose backend and delivery trust the stack creates; its backend must be S3. */
  readonly environment: EnvironmentConfig;
}

/**
 * `bootstrap-<env>`: what must exist before CI can deploy an environment, created once by a person with local
 * credentials (docs/delivery.md, docs/runbooks/first-deploy.md):
 * - the S3 bucket every stack's backend uses (versioned, SSE-KMS, locked down, access-logged);
 * - the trust side of GitHub Actions OIDC federation on each cloud the environment uses: AWS OIDC provider and
 *   deploy/plan roles, GCP workload identity pool and deploy/plan service accounts, Azure managed identities with
 *   federated credentials. No long-lived key exists anywhere.
 *
 * Its own state starts local (the bucket does not exist yet) and moves into the bucket with
 * `delivery.bootstrapState: "s3"` and `cdktf deploy bootstrap-<env> --migrate-state`.
 */
export class BootstrapStack extends TerraformStack {
  readonly stateBucket: TerraformStateBucket;

  constructor(scope: Construct, id: string, props: BootstrapStackProps) {
    super(scope, id);
    const { environment } = props;
    const { backend, delivery } = environment;
    if (backend.type !== 's3') {
      throw new Error(`${id}: backend.type is "${backend.type}"; the bootstrap stack creates the S3 state bucket: set backend.type to "s3"`);
    }
    const aws = onlyAccount(environment, 'aws', (region: AwsRegionConfig) => region.accountId, 'accountId');
    const gcp = onlyAccount(environment, 'gcp', (region: GcpRegionConfig) => region.projectId, 'projectId');
    const azure = onlyAccount(environment, 'azure', (region: AzureRegionConfig) => region.subscriptionId, 'subscriptionId');
    if (!aws) throw new Error(`${id}: environment ${environment.name} has no AWS region; the state bucket lives in the account of one`);

    // Once migrated, the same backend as every other stack: `<keyPrefix>/bootstrap-<env>.tfstate` in the bucket.
    if (delivery.bootstrapState === 's3') configureBackend(this, id, backend);
    else new LocalBackend(this, { path: `${BOOTSTRAP_LOCAL_STATE_DIRECTORY}/${id}.tfstate` });

    const tags = { ...environment.tags, 'managed-by': 'cdktf', 'skyline-stack': id };
    new AwsProvider(this, 'aws', { region: backend.region, allowedAccountIds: [aws.accountId], defaultTags: [{ tags }] });
    const namePrefix = `skyline-${environment.name}`;
    const subjects = githubSubjects(delivery.githubRepository, delivery.githubEnvironment);

    this.stateBucket = new TerraformStateBucket(this, 'state-bucket', {
      bucketName: backend.bucket,
      accountId: aws.accountId,
      noncurrentVersionRetentionDays: delivery.stateVersionRetentionDays,
      accessLogRetentionDays: environment.logRetentionDays,
    });
    const awsTrust = new AwsGitHubTrust(this, 'aws-github-trust', { namePrefix, accountId: aws.accountId, subjects, stateBucket: this.stateBucket });
    // What the workflows need to authenticate, as one JSON value for the repository variable SKYLINE_DELIVERY_<ENV>.
    const variable: Record<string, string> = {
      awsRegion: backend.region,
      awsDeployRoleArn: awsTrust.deployRole.arn,
      awsPlanRoleArn: awsTrust.planRole.arn,
    };

    if (gcp) {
      new GoogleProvider(this, 'google', { project: gcp.projectId, region: gcp.region });
      const gcpTrust = new GcpGitHubTrust(this, 'gcp-github-trust', { namePrefix, projectId: gcp.projectId, githubRepository: delivery.githubRepository, subjects });
      Object.assign(variable, {
        gcpWorkloadIdentityProvider: gcpTrust.provider.name,
        gcpDeployServiceAccount: gcpTrust.deployServiceAccount.email,
        gcpPlanServiceAccount: gcpTrust.planServiceAccount.email,
      });
    }
    if (azure) {
      new AzurermProvider(this, 'azurerm', { features: [{}], subscriptionId: azure.subscriptionId, tenantId: azure.tenantId, resourceProviderRegistrations: 'none' });
      const azureTrust = new AzureGitHubTrust(this, 'azure-github-trust', { namePrefix, subscriptionId: azure.subscriptionId, location: azure.region, subjects, tags });
      Object.assign(variable, {
        azureTenantId: azure.tenantId,
        azureSubscriptionId: azure.subscriptionId,
        azureDeployClientId: azureTrust.deployIdentity.clientId,
        azurePlanClientId: azureTrust.planIdentity.clientId,
      });
    }

    new TerraformOutput(this, 'state-bucket-name', { value: this.stateBucket.bucketName });
    new TerraformOutput(this, 'github-variable', {
      value: Fn.jsonencode(variable),
      description: `gh variable set SKYLINE_DELIVERY_${environment.name.toUpperCase()} --body "$(terraform output -raw github-variable)"`,
    });
  }
}

/**
 * The one region of `cloud` whose account the workflows authenticate to (undefined when the environment has none).
 * The workloads and infra stacks use the ambient credentials of one account, project and subscription per cloud, so
 * an environment whose regions of one cloud are spread over several cannot be deployed by one identity.
 */
function onlyAccount<R extends RegionConfig>(environment: EnvironmentConfig, cloud: R['cloud'], accountOf: (region: R) => string, field: string): R | undefined {
  const regions = Object.entries(environment.regions).filter((entry): entry is [string, R] => entry[1].cloud === cloud);
  const accounts = new Set(regions.map(([, region]) => accountOf(region)));
  if (accounts.size > 1) {
    throw new Error(
      `bootstrap-${environment.name}: the ${cloud} regions use different ${field}s (${regions.map(([key, region]) => `${key}: ${accountOf(region)}`).join(', ')}); ` +
        `one CI identity per cloud deploys an environment: give every ${cloud} region the same ${field}`,
    );
  }
  return regions[0]?.[1];
}
