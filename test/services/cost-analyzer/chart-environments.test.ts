/**
 * The cost-analyzer release exactly as each environment synthesizes it: only in the primary region's workloads
 * stack, reading the three exports the infra stacks create with the budgets of the config, trusted by GCP and Azure
 * through the primary cluster's federations, and rendering, linting and validating with those values (apply-time
 * references replaced by placeholders of the right shape, as the policy gate does). The chart's behaviour is asserted
 * in chart.test.ts; this test proves the stacks feed it what it accepts.
 */
import { COST_ANALYZER_CHART_DIR, type CostAnalyzerValues } from '../../../constructs/workloads/cost-analyzer-values';
import { NAMESPACES } from '../../../constructs/workloads/namespaces';
import { loadEnvironment } from '../../../stacks/environments/load';
import { ENVIRONMENT_NAMES } from '../../../stacks/environments/schema';
import { kubernetesValidate, renderChart, type ChartRenders } from '../../helpers/charts';
import { isCustomResource, validateCustomResources } from '../../helpers/crd-validation';
import { resourcesOfType, synthEnvironment, type TerraformJson } from '../../helpers/synth';
import { withPlaceholders } from '../../policy/checkov-gate';

const ANALYZER_SUBJECT = 'system:serviceaccount:skyline-system:cost-analyzer';

interface Synthesized {
  readonly stacks: Record<string, TerraformJson>;
  readonly release: Record<string, unknown>;
  readonly values: CostAnalyzerValues;
}

const SYNTHESIZED: Record<string, Synthesized> = Object.fromEntries(
  ENVIRONMENT_NAMES.map((environment) => {
    const stacks = synthEnvironment(environment);
    const release = resourcesOfType(stacks[`${environment}-aws-us-west-2-workloads`], 'helm_release').find((candidate) => candidate.name === 'cost-analyzer');
    if (!release) throw new Error(`${environment}: the primary workloads stack installs no cost-analyzer release`);
    return [environment, { stacks, release, values: JSON.parse((release.values as string[])[0]) as CostAnalyzerValues }];
  }),
);

let charts: ChartRenders;
/** kubernetes-validate's lines for the three renders, one run. */
let validation: string[];

beforeAll(() => {
  const valueSets = Object.fromEntries(ENVIRONMENT_NAMES.map((environment) => [environment, JSON.parse(withPlaceholders((SYNTHESIZED[environment].release.values as string[])[0])) as object]));
  charts = renderChart({ chartDir: COST_ANALYZER_CHART_DIR, release: 'cost-analyzer', namespace: NAMESPACES.system.name, valueSets });
  validation = kubernetesValidate(ENVIRONMENT_NAMES.map((environment) => charts.builtinFile(environment)));
}, 120_000);

afterAll(() => charts?.cleanUp());

describe.each(ENVIRONMENT_NAMES)('%s', (environment) => {
  const { stacks, release, values } = SYNTHESIZED[environment];
  const config = loadEnvironment(environment);
  const { cost } = config;
  const azureRegion = config.regions['azure-centralindia'];
  const primary = stacks[`${environment}-aws-us-west-2-workloads`];

  it('runs in the primary region only', () => {
    const installers = Object.entries(stacks)
      .filter(([, stack]) => resourcesOfType(stack, 'helm_release').some((candidate) => candidate.name === 'cost-analyzer'))
      .map(([name]) => name);
    expect(installers).toEqual([`${environment}-aws-us-west-2-workloads`]);
    expect(release.namespace).toBe(NAMESPACES.system.name);
  });

  it('reads the three exports where the infra stacks create them, with each cloud\'s budget', () => {
    expect(values.config.sources).toEqual([
      { name: 'aws-focus', provider: 'aws', kind: 's3', format: 'focus', bucket: cost.aws.exportBucketName, prefix: `focus/skyline-${environment}-focus/data/`, region: 'us-west-2' },
      {
        name: 'gcp-standard',
        provider: 'gcp',
        kind: 'bigquery',
        format: 'gcp-standard',
        project: `skyline-${environment}`,
        dataset: `skyline_${environment}_billing`,
        table: `gcp_billing_export_v1_${cost.gcp.billingAccountId.replace(/-/g, '_')}`,
        location: cost.gcp.exportLocation,
      },
      {
        name: 'azure-amortized',
        provider: 'azure',
        kind: 'azure-blob',
        format: 'azure-amortized',
        accountUrl: `https://${cost.azure.exportStorageAccountName}.blob.core.windows.net`,
        container: 'cost-exports',
        prefix: `exports/skyline${environment}amortizedcost/`,
      },
    ]);
    expect(values.config.budgets).toEqual((['aws', 'gcp', 'azure'] as const).map((provider) => ({ provider, amount: cost[provider].monthlyBudget, currency: cost[provider].currency })));
  });

  it('is trusted by GCP and Azure through the primary cluster\'s federations, before it starts', () => {
    const [poolProvider] = resourcesOfType(primary, 'google_iam_workload_identity_pool_provider');
    expect(poolProvider.attribute_condition).toContain(`'${ANALYZER_SUBJECT}'`);
    const impersonation = Object.entries(primary.resource?.google_service_account_iam_member ?? {}).find(([, member]) => String(member.member).endsWith(`/subject/${ANALYZER_SUBJECT}`));
    expect(impersonation?.[1]).toMatchObject({ role: 'roles/iam.workloadIdentityUser', service_account_id: expect.stringMatching(/identity-cost-analyzer_service-account_.*name\}$/) });
    const credential = Object.entries(primary.resource?.azurerm_federated_identity_credential ?? {}).find(([, candidate]) => candidate.subject === ANALYZER_SUBJECT);
    expect(credential?.[1]).toMatchObject({ audience: ['api://AzureADTokenExchange'], parent_id: expect.stringMatching(/identity-cost-analyzer_identity_.*id\}$/) });
    expect(release.depends_on).toEqual(
      expect.arrayContaining([`google_service_account_iam_member.${impersonation?.[0]}`, `azurerm_federated_identity_credential.${credential?.[0]}`]),
    );
    expect(values.gcpWorkloadIdentity).toMatchObject({ enabled: true, audience: expect.stringMatching(/^\/\/iam\.googleapis\.com\/\$\{google_iam_workload_identity_pool_provider\./) });
    expect(values.azureWorkloadIdentity).toMatchObject({ enabled: true, tenantId: azureRegion.cloud === 'azure' ? azureRegion.tenantId : 'not azure' });
    expect(values.serviceAccount.annotations['eks.amazonaws.com/role-arn']).toMatch(/identity-cost-analyzer_role_.*arn\}$/);
  });

  it('lints strictly, renders the whole release and validates against Kubernetes 1.33 and the ServiceMonitor CRD', () => {
    expect(charts.lint[environment].stdout + charts.lint[environment].stderr).not.toMatch(/\[(WARNING|ERROR)\]/);
    expect(charts.rendered[environment].map((manifest) => manifest.kind).sort()).toEqual(['ConfigMap', 'Deployment', 'NetworkPolicy', 'PodDisruptionBudget', 'Service', 'ServiceAccount', 'ServiceMonitor']);
    const lines = validation.filter((line) => line.includes(` ${charts.builtinFile(environment)} `));
    expect(lines.filter((line) => !line.startsWith('INFO '))).toEqual([]);
    // ConfigMap, Deployment, NetworkPolicy, PodDisruptionBudget, Service, ServiceAccount.
    expect(lines).toHaveLength(6);
    expect(validateCustomResources(charts.rendered[environment].filter((manifest) => isCustomResource(manifest)))).toEqual([]);
  });
});
