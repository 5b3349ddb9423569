import { Testing } from 'cdktf';
import { BootstrapStack } from '../../stacks/bootstrap-stack';
import { loadEnvironment, type ConfigOverride } from '../../stacks/environments/load';
import { addBootstrapStack } from '../../stacks/skyline-app';
import { policyOf, resourcesOfType, type TerraformJson } from '../helpers/synth';

type Resource = Record<string, unknown>;

function synthBootstrap(environmentName: string, ...config: ConfigOverride[]): TerraformJson {
  const environment = loadEnvironment(environmentName, { config });
  return JSON.parse(Testing.synth(new BootstrapStack(Testing.app(), `bootstrap-${environmentName}`, { environment }))) as TerraformJson;
}

/**
 * The resource of `type` whose logical ID starts with `prefix` (the construct path, e.g. `aws-github-trust_deploy-role`),
 * leaving out the state bucket's access-log bucket, which sits inside the state bucket construct.
 */
function resource(stack: TerraformJson, type: string, prefix: string): Resource {
  const matches = Object.entries(stack.resource?.[type] ?? {}).filter(([name]) => name.startsWith(prefix) && !name.startsWith('state-bucket_access-logs'));
  if (matches.length !== 1) throw new Error(`expected one ${type} named ${prefix}*, found ${matches.length}`);
  return matches[0][1];
}

interface Statement {
  readonly Sid?: string;
  readonly Effect: string;
  readonly Action: string | string[];
  readonly Resource?: string | string[];
  readonly Principal?: unknown;
  readonly Condition?: Record<string, Record<string, unknown>>;
}

const trustOf = (role: Resource) => policyOf(role, 'assume_role_policy').Statement as unknown as Statement[];

describe('BootstrapStack', () => {
  const prod = synthBootstrap('prod');

  describe('its own state', () => {
    it('starts local, in terraform-state/ at the top of the working copy: the bucket does not exist yet', () => {
      expect(prod.terraform?.backend).toEqual({ local: { path: '../../../terraform-state/bootstrap-prod.tfstate' } });
    });

    it('moves into the state bucket, locked with S3\'s lockfile, once the config says so', () => {
      const migrated = synthBootstrap('prod', { delivery: { bootstrapState: 's3' } });
      expect(migrated.terraform?.backend).toEqual({
        s3: { bucket: 'skyline-terraform-state-333333333333', key: 'skyline/bootstrap-prod.tfstate', region: 'us-west-2', encrypt: true, use_lockfile: true },
      });
    });

    it('is named outside the <env>-* pattern CI deploys, and is left out for an environment on local state', () => {
      const app = Testing.app();
      expect(addBootstrapStack(app, loadEnvironment('prod'))?.node.id).toBe('bootstrap-prod');
      expect('bootstrap-prod'.startsWith('prod-')).toBe(false);
      expect(addBootstrapStack(Testing.app(), { ...loadEnvironment('dev'), backend: { type: 'local', directory: 'terraform-state' } })).toBeUndefined();
    });
  });

  describe('state bucket', () => {
    const bucket = resource(prod, 'aws_s3_bucket', 'state-bucket_');

    it('is the bucket every stack\'s backend names, which Terraform refuses to destroy', () => {
      expect(bucket).toMatchObject({ bucket: 'skyline-terraform-state-333333333333', force_destroy: false, lifecycle: { prevent_destroy: true } });
    });

    it('is versioned, SSE-KMS with its own rotating key, closed to the public, ACL-free and TLS-only', () => {
      expect(resource(prod, 'aws_s3_bucket_versioning', 'state-bucket_').versioning_configuration).toEqual({ status: 'Enabled' });
      const [rule] = resource(prod, 'aws_s3_bucket_server_side_encryption_configuration', 'state-bucket_').rule as Resource[];
      expect(rule).toEqual({
        apply_server_side_encryption_by_default: { sse_algorithm: 'aws:kms', kms_master_key_id: expect.stringMatching(/^\$\{aws_kms_key\.state-bucket_key_\w+\.arn\}$/) },
        bucket_key_enabled: true,
      });
      expect(resource(prod, 'aws_kms_key', 'state-bucket_key').enable_key_rotation).toBe(true);
      expect(resource(prod, 'aws_s3_bucket_public_access_block', 'state-bucket_public')).toMatchObject({
        block_public_acls: true,
        block_public_policy: true,
        ignore_public_acls: true,
        restrict_public_buckets: true,
      });
      expect(resource(prod, 'aws_s3_bucket_ownership_controls', 'state-bucket_ownership').rule).toEqual({ object_ownership: 'BucketOwnerEnforced' });
      expect(policyOf(resource(prod, 'aws_s3_bucket_policy', 'state-bucket_policy')).Statement).toEqual([
        expect.objectContaining({ Effect: 'Deny', Principal: '*', Action: 's3:*', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
      ]);
    });

    it('keeps old state versions for delivery.stateVersionRetentionDays, then expires them', () => {
      const [rule] = resource(prod, 'aws_s3_bucket_lifecycle_configuration', 'state-bucket_lifecycle').rule as Resource[];
      expect(rule).toMatchObject({ status: 'Enabled', noncurrent_version_expiration: [{ noncurrent_days: 90 }] });
    });

    it('logs every request to its own access-log bucket', () => {
      expect(resourcesOfType(prod, 'aws_s3_bucket_logging')).toEqual([
        {
          bucket: expect.stringMatching(/^\$\{aws_s3_bucket\.state-bucket_\w+\.id\}$/),
          target_bucket: expect.stringMatching(/^\$\{aws_s3_bucket\.state-bucket_access-logs_bucket_\w+\.id\}$/),
          target_prefix: 'skyline-terraform-state-333333333333/',
        },
      ]);
    });
  });

  describe('AWS trust', () => {
    const deploy = resource(prod, 'aws_iam_role', 'aws-github-trust_deploy-role');
    const plan = resource(prod, 'aws_iam_role', 'aws-github-trust_plan-role');

    it('federates GitHub\'s issuer for the STS audience', () => {
      expect(resourcesOfType(prod, 'aws_iam_openid_connect_provider')).toEqual([{ url: 'https://token.actions.githubusercontent.com', client_id_list: ['sts.amazonaws.com'] }]);
    });

    it('lets only the repository\'s prod environment assume the deploy role, and only its pull requests the plan role', () => {
      for (const [role, subject] of [
        [deploy, 'repo:example/skyline:environment:prod'],
        [plan, 'repo:example/skyline:pull_request'],
      ] as const) {
        expect(trustOf(role)).toEqual([
          {
            Effect: 'Allow',
            Principal: { Federated: expect.stringMatching(/^\$\{aws_iam_openid_connect_provider\.aws-github-trust_oidc-provider_\w+\.arn\}$/) },
            Action: 'sts:AssumeRoleWithWebIdentity',
            Condition: { StringEquals: { 'token.actions.githubusercontent.com:aud': 'sts.amazonaws.com', 'token.actions.githubusercontent.com:sub': subject } },
          },
        ]);
      }
      expect(deploy.name).toBe('skyline-prod-github-deploy');
      expect(plan.name).toBe('skyline-prod-github-plan');
    });

    it('gives the deploy role administrator rights, denied its own trust, the OIDC provider and the state bucket\'s protections', () => {
      expect(resource(prod, 'aws_iam_role_policy_attachment', 'aws-github-trust_deploy-administrator').policy_arn).toBe('arn:aws:iam::aws:policy/AdministratorAccess');
      const denies = policyOf(resource(prod, 'aws_iam_role_policy', 'aws-github-trust_deploy-guardrails')).Statement as unknown as Statement[];
      expect(denies.every((statement) => statement.Effect === 'Deny')).toBe(true);
      const denied = (sid: string) => denies.find((statement) => statement.Sid === sid)!;
      expect(denied('KeepCiRolesAsBootstrapped')).toMatchObject({
        Action: expect.arrayContaining(['iam:UpdateAssumeRolePolicy', 'iam:AttachRolePolicy', 'iam:PutRolePolicy', 'iam:DeleteRole']),
        Resource: ['arn:aws:iam::333333333333:role/skyline-prod-github-deploy', 'arn:aws:iam::333333333333:role/skyline-prod-github-plan'],
      });
      expect(denied('KeepGitHubOidcProviderAsBootstrapped').Action).toEqual(expect.arrayContaining(['iam:DeleteOpenIDConnectProvider', 'iam:AddClientIDToOpenIDConnectProvider']));
      expect(denied('KeepStateBucketProtected')).toMatchObject({
        Action: expect.arrayContaining(['s3:DeleteBucket', 's3:PutBucketPolicy', 's3:PutBucketVersioning', 's3:PutLifecycleConfiguration', 's3:PutEncryptionConfiguration']),
        Resource: [expect.stringMatching(/^\$\{aws_s3_bucket\.state-bucket_\w+\.arn\}$/)],
      });
      expect(denied('KeepStateHistory').Action).toEqual(['s3:DeleteObjectVersion']);
      expect(denied('KeepStateKey').Action).toEqual(expect.arrayContaining(['kms:ScheduleKeyDeletion', 'kms:DisableKey', 'kms:PutKeyPolicy']));
    });

    it('gives the plan role read-only rights and the state key for decryption, nothing that writes', () => {
      expect(resource(prod, 'aws_iam_role_policy_attachment', 'aws-github-trust_plan-read-only').policy_arn).toBe('arn:aws:iam::aws:policy/ReadOnlyAccess');
      expect(policyOf(resource(prod, 'aws_iam_role_policy', 'aws-github-trust_plan-state')).Statement).toEqual([
        { Sid: 'DecryptState', Effect: 'Allow', Action: ['kms:Decrypt'], Resource: [expect.stringMatching(/^\$\{aws_kms_key\.state-bucket_key_\w+\.arn\}$/)] },
      ]);
      const planAttachments = resourcesOfType(prod, 'aws_iam_role_policy_attachment').filter((attachment) => String(attachment.role).includes('plan-role'));
      expect(planAttachments.map((attachment) => attachment.policy_arn)).toEqual(['arn:aws:iam::aws:policy/ReadOnlyAccess']);
    });
  });

  describe('GCP trust', () => {
    it('exchanges tokens of the configured repository\'s deploy and plan subjects only', () => {
      expect(resource(prod, 'google_iam_workload_identity_pool_provider', 'gcp-github-trust_provider')).toMatchObject({
        workload_identity_pool_provider_id: 'github',
        oidc: { issuer_uri: 'https://token.actions.githubusercontent.com' },
        attribute_mapping: { 'google.subject': 'assertion.sub', 'attribute.repository': 'assertion.repository' },
        attribute_condition:
          "assertion.repository == 'example/skyline' && (assertion.sub == 'repo:example/skyline:environment:prod' || assertion.sub == 'repo:example/skyline:pull_request')",
      });
      expect(resource(prod, 'google_iam_workload_identity_pool', 'gcp-github-trust_pool').workload_identity_pool_id).toBe('skyline-prod-github');
    });

    it('lets one subject impersonate each service account: the prod environment deploys, pull requests plan', () => {
      const members = resourcesOfType(prod, 'google_service_account_iam_member');
      expect(members.map((member) => [member.role, String(member.member).replace(/\$\{[^}]+\}/, 'POOL')]).sort()).toEqual([
        ['roles/iam.workloadIdentityUser', 'principal://iam.googleapis.com/POOL/subject/repo:example/skyline:environment:prod'],
        ['roles/iam.workloadIdentityUser', 'principal://iam.googleapis.com/POOL/subject/repo:example/skyline:pull_request'],
      ]);
      for (const member of members) expect(member.member).toMatch(/\$\{google_iam_workload_identity_pool\.gcp-github-trust_pool_\w+\.name\}/);
    });

    it('grants the deploy account what the stacks create, and the plan account read-only roles', () => {
      const rolesOf = (kind: string) =>
        resourcesOfType(prod, 'google_project_iam_member')
          .filter((member) => String(member.member).includes(`${kind}-service-account`))
          .map((member) => member.role);
      expect(rolesOf('deploy')).toEqual(expect.arrayContaining(['roles/container.admin', 'roles/compute.securityAdmin', 'roles/cloudkms.admin', 'roles/resourcemanager.projectIamAdmin']));
      expect(rolesOf('deploy')).not.toContain('roles/owner');
      expect(rolesOf('plan').sort()).toEqual(['roles/iam.securityReviewer', 'roles/viewer']);
      for (const member of resourcesOfType(prod, 'google_project_iam_member')) expect(member.project).toBe('skyline-prod');
    });
  });

  describe('Azure trust', () => {
    it('federates one GitHub subject per managed identity, for Entra\'s token exchange audience', () => {
      expect(resourcesOfType(prod, 'azurerm_federated_identity_credential').map((credential) => [credential.name, credential.issuer, credential.subject, credential.audience])).toEqual([
        ['github-deploy', 'https://token.actions.githubusercontent.com', 'repo:example/skyline:environment:prod', ['api://AzureADTokenExchange']],
        ['github-plan', 'https://token.actions.githubusercontent.com', 'repo:example/skyline:pull_request', ['api://AzureADTokenExchange']],
      ]);
    });

    it('assigns the deploy identity resource and role-assignment rights, the plan identity readers, on the subscription only', () => {
      const assignments = resourcesOfType(prod, 'azurerm_role_assignment');
      const rolesOf = (kind: string) => assignments.filter((assignment) => String(assignment.principal_id).includes(`${kind}-identity`)).map((assignment) => assignment.role_definition_name);
      expect(rolesOf('deploy')).toEqual(['Contributor', 'Role Based Access Control Administrator', 'Storage Blob Data Contributor', 'Storage Queue Data Contributor']);
      expect(rolesOf('deploy')).not.toContain('Owner');
      expect(rolesOf('plan')).toEqual(['Reader', 'Storage Blob Data Reader', 'Storage Queue Data Reader']);
      for (const assignment of assignments) expect(assignment.scope).toBe('/subscriptions/33333333-3333-3333-3333-333333333333');
    });
  });

  it('outputs what the workflows need as one JSON repository variable', () => {
    const output = prod.output?.['github-variable'] as { value: string };
    for (const key of ['awsRegion', 'awsDeployRoleArn', 'awsPlanRoleArn', 'gcpWorkloadIdentityProvider', 'gcpDeployServiceAccount', 'gcpPlanServiceAccount', 'azureTenantId', 'azureSubscriptionId', 'azureDeployClientId', 'azurePlanClientId']) {
      expect(output.value).toContain(`"${key}" = `);
    }
    expect(output.value).toMatch(/^\$\{jsonencode\(/);
  });

  it('refuses an environment whose regions of one cloud use several accounts: one CI identity deploys each cloud', () => {
    const second = { ...loadEnvironment('prod').regions['aws-us-west-2'], region: 'us-east-1', role: 'secondary', latencyLabel: 'us-east-1', accountId: '444444444444' };
    const environment = { ...loadEnvironment('prod'), regions: { ...loadEnvironment('prod').regions, 'aws-us-east-1': second } };
    expect(() => new BootstrapStack(Testing.app(), 'bootstrap-prod', { environment: environment as ReturnType<typeof loadEnvironment> })).toThrow(
      'bootstrap-prod: the aws regions use different accountIds (aws-us-west-2: 333333333333, aws-us-east-1: 444444444444); one CI identity per cloud deploys an environment: give every aws region the same accountId',
    );
  });
});
