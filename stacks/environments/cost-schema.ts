/**
 * The `cost` section of an environment config: each cloud's monthly budget, who is told when spend crosses a
 * threshold, and where each cloud's billing export lands. The shape is here; `costProblems` holds the rules that
 * relate it to the rest of the config (names the regions already use, one cost home per cloud). Documented in
 * docs/configuration.md ("Cost").
 */
import { z } from 'zod';
import type { Cloud } from './schema';

/** `actual`: spend so far crossed the threshold; `forecasted`: the cloud's own end-of-month forecast does. */
export const BUDGET_BASES = ['actual', 'forecasted'] as const;

/** What Azure Cost Management can export today (FocusCost waits for the provider: docs/adr/008-azure-cost-export-format.md). */
export const AZURE_EXPORT_COST_TYPES = ['AmortizedCost', 'ActualCost'] as const;

/** BigQuery multi-regions: only these get the previous month's billing data backfilled when the export is enabled. */
export const GCP_EXPORT_LOCATIONS = ['EU', 'US'] as const;

/** The fewest days of export files kept: the analyzer reads the current month and backtests on the three before it. */
const MIN_EXPORT_RETENTION_DAYS = 124;

/** The most budget thresholds: AWS and Azure accept 5 notifications per budget. */
const MAX_THRESHOLDS = 5;
/** The most recipients: a GCP budget accepts 5 monitoring notification channels (one e-mail each). */
const MAX_RECIPIENTS = 5;

const email = z.string().regex(/^[^@\s]+@[^@\s]+\.[^@\s]+$/, { error: 'must be an e-mail address such as finops@example.com' });

const monthlyBudget = z.number().positive({ error: 'must be the monthly budget, more than 0, in the currency given next to it' });

const currency = z.string().regex(/^[A-Z]{3}$/, { error: 'must be an ISO 4217 currency code such as USD or EUR: the billing account\'s currency' });

const threshold = z.strictObject({
  /** Percent of the monthly budget, e.g. 80; more than 100 warns of overspend. */
  percent: z.number().positive({ error: 'must be a percentage of the budget, more than 0' }).max(1000, { error: 'must be at most 1000 (Azure\'s limit)' }),
  basis: z.enum(BUDGET_BASES, { error: `must be one of ${BUDGET_BASES.join(', ')}` }),
});

export const costSchema = z.strictObject({
  /** Who gets the budget notifications of all three clouds. */
  recipients: z
    .array(email)
    .min(1, { error: 'must list at least one e-mail address, or nobody hears of a budget burn' })
    .max(MAX_RECIPIENTS, { error: `must list at most ${MAX_RECIPIENTS} addresses (a GCP budget takes 5 notification channels); use a group address` }),
  /** When each cloud's budget notifies: the same thresholds everywhere. */
  thresholds: z
    .array(threshold)
    .min(1, { error: 'must list at least one threshold such as { percent: 100, basis: "actual" }' })
    .max(MAX_THRESHOLDS, { error: `must list at most ${MAX_THRESHOLDS} thresholds (AWS and Azure accept 5 notifications per budget)` }),
  /** Days an export file is kept in the AWS bucket and the Azure container. GCP's export table is Google's, kept without expiry. */
  exportRetentionDays: z
    .number()
    .int({ error: 'must be a whole number of days' })
    .min(MIN_EXPORT_RETENTION_DAYS, { error: `must be at least ${MIN_EXPORT_RETENTION_DAYS} days: the analyzer reads the current month and backtests its forecast on the three before it` }),
  aws: z.strictObject({
    monthlyBudget,
    currency: z.literal('USD', { error: 'must be USD: AWS Budgets track cost in US dollars only' }),
    /** The bucket Data Exports writes the FOCUS table to; S3 names are global. */
    exportBucketName: z.string().regex(/^[a-z0-9][a-z0-9-]{1,61}[a-z0-9]$/, {
      error: 'must be an S3 bucket name: 3-63 lowercase letters, digits and hyphens, starting and ending with a letter or digit (no dots: they break TLS)',
    }),
  }),
  gcp: z.strictObject({
    monthlyBudget,
    currency,
    /** The Cloud Billing account that pays for the projects: the budget lives on it, and names the export table. */
    billingAccountId: z.string().regex(/^[0-9A-F]{6}-[0-9A-F]{6}-[0-9A-F]{6}$/, {
      error: 'must be a Cloud Billing account ID such as 01A2B3-C4D5E6-F7A8B9 (Billing > Account management), or set SKYLINE_GCP_BILLING_ACCOUNT_ID',
    }),
    /** Location of the export dataset: a multi-region, so the export backfills the previous month. */
    exportLocation: z.enum(GCP_EXPORT_LOCATIONS, { error: `must be one of ${GCP_EXPORT_LOCATIONS.join(', ')}: only multi-region datasets get the previous month backfilled` }),
  }),
  azure: z.strictObject({
    /** In the subscription's billing currency: Azure budgets take no currency of their own. */
    monthlyBudget,
    currency,
    /** The storage account Cost Management exports into; names are global. */
    exportStorageAccountName: z.string().regex(/^[a-z0-9]{3,24}$/, { error: 'must be a storage account name: 3-24 lowercase letters and digits only (no hyphens)' }),
    exportCostType: z.enum(AZURE_EXPORT_COST_TYPES, { error: `must be one of ${AZURE_EXPORT_COST_TYPES.join(', ')} (FocusCost is not creatable yet: docs/adr/008-azure-cost-export-format.md)` }),
  }),
});

type CostConfig = z.output<typeof costSchema>;
export type BudgetThreshold = CostConfig['thresholds'][number];

/** The part of an environment config the cost rules read. */
interface CostContext {
  readonly cost: CostConfig;
  readonly regions: Readonly<Record<string, { readonly cloud: Cloud; readonly role: string; readonly modelBucketName?: string; readonly storageAccountName?: string }>>;
}

type Report = (path: readonly (string | number)[], value: unknown, message: string) => void;

/** The cost rules that relate fields to each other or to the regions; each problem names the field, the value and the fix. */
export function costProblems(env: CostContext, report: Report): void {
  const { cost } = env;
  const regions = Object.entries(env.regions);
  cost.recipients.forEach((recipient, index) => {
    if (cost.recipients.indexOf(recipient) !== index) report(['cost', 'recipients', index], recipient, 'appears more than once; list each address once');
  });
  cost.thresholds.forEach((entry, index) => {
    const first = cost.thresholds.findIndex((other) => other.percent === entry.percent && other.basis === entry.basis);
    if (first !== index) report(['cost', 'thresholds', index], entry, `duplicates cost.thresholds[${first}]; remove it or change its percent`);
  });
  const primary = regions.find(([, region]) => region.role === 'primary');
  if (primary && primary[1].cloud !== 'aws') {
    report(['regions', primary[0], 'cloud'], primary[1].cloud, 'the cost analyzer runs in the primary region and reaches the three billing exports from EKS (IRSA, federation to GCP and Azure); make an AWS region primary');
  }
  for (const [key, region] of regions) {
    if (region.modelBucketName === cost.aws.exportBucketName) {
      report(['cost', 'aws', 'exportBucketName'], cost.aws.exportBucketName, `is the model bucket of regions.${key}; give the export its own bucket`);
    }
    if (region.storageAccountName === cost.azure.exportStorageAccountName) {
      report(['cost', 'azure', 'exportStorageAccountName'], cost.azure.exportStorageAccountName, `is the model storage account of regions.${key}; give the export its own account`);
    }
  }
}

const ROLE_ORDER = ['primary', 'secondary', 'tertiary'];

/**
 * The region of `cloud` whose infra stack holds that cloud's account-level cost pieces (export, budget): the
 * highest-ranked one, so an environment with two regions of one cloud creates them once. Undefined without one.
 */
export function costHomeRegionKey(env: Pick<CostContext, 'regions'>, cloud: Cloud): string | undefined {
  return Object.entries(env.regions)
    .filter(([, region]) => region.cloud === cloud)
    .sort(([, a], [, b]) => ROLE_ORDER.indexOf(a.role) - ROLE_ORDER.indexOf(b.role))[0]?.[0];
}
