/**
 * The cost analyzer's config: one YAML file (`--config PATH`), validated at load. The zod schema is the single
 * source of truth: `CostAnalyzerConfigInput` is what one writes (the chart's ConfigMap is built from it in
 * TypeScript by `constructs/workloads/cost-analyzer-values.ts`), `CostAnalyzerConfig` what the analyzer runs with,
 * every default filled in. Field names are a contract with that builder: rename none without changing it too.
 */
import { parseConfig, type EnvOverrides } from '../../common/src/config';
import { LOG_LEVELS } from '../../common/src/log-levels';
import { z } from 'zod';

export const PROVIDERS = ['aws', 'gcp', 'azure'] as const;
export type Provider = (typeof PROVIDERS)[number];

/**
 * The layout of an export's rows. `focus`: FOCUS 1.0–1.2 columns (AWS Data Exports FOCUS table, Azure FocusCost,
 * GCP FOCUS view); `cur`: AWS Cost and Usage Report, legacy `lineItem/...` and CUR 2.0 `line_item_...` columns;
 * `azure-actual` / `azure-amortized`: Azure Cost Management actual / amortized cost exports; `gcp-standard`: the
 * GCP standard usage cost export (BigQuery schema); `auto`: recognised per file from its columns.
 */
export const SOURCE_FORMATS = ['focus', 'cur', 'azure-actual', 'azure-amortized', 'gcp-standard', 'auto'] as const;
export type SourceFormat = (typeof SOURCE_FORMATS)[number];

const ISO_CURRENCY = /^[A-Z]{3}$/;
const SOURCE_NAME = /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/;

const seconds = (what: string) => z.number({ message: `must be a number of seconds (${what})` }).positive({ message: `must be more than 0 seconds (${what})` });
const text = (what: string) => z.string({ message: `must be ${what}` }).min(1, { message: `must be ${what}` });
/** An object-key prefix: no leading slash (keys have none); '' reads the whole bucket or container. */
const keyPrefix = z
  .string({ message: 'must be an object-key prefix such as exports/focus/ (or "" for everything)' })
  .refine((prefix) => !prefix.startsWith('/'), { message: 'must not start with /: object keys have no leading slash' })
  .default('');

const common = {
  /** Names the source in metrics-free places: logs, bad-row locations, the report. @default `<provider>-<kind>-<index>` */
  name: z.string().regex(SOURCE_NAME, { message: 'must be a short lowercase name such as aws-focus' }).optional(),
  /** Whose bill it is: the `provider` label of every series from this source. */
  provider: z.enum(PROVIDERS, { message: 'must be aws, gcp or azure' }),
  /** The export's row layout. @default auto */
  format: z.enum(SOURCE_FORMATS, { message: `must be one of ${SOURCE_FORMATS.join(', ')}` }).default('auto'),
};

const sourceSchema = z.discriminatedUnion(
  'kind',
  [
    z.strictObject({
      ...common,
      /** Objects in S3 (AWS Data Exports, CUR); credentials and endpoint from the SDK's standard settings (IRSA, AWS_ENDPOINT_URL_S3). */
      kind: z.literal('s3'),
      bucket: z.string().regex(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, { message: 'must be an S3 bucket name such as skyline-prod-cost-exports' }),
      prefix: keyPrefix,
      /** The bucket's region. */
      region: z.string().regex(/^[a-z]{2}(-[a-z]+)+-\d$/, { message: 'must be an AWS region such as us-west-2' }),
    }),
    z.strictObject({
      ...common,
      /** A BigQuery billing export table; credentials from Application Default Credentials (GKE Workload Identity). */
      kind: z.literal('bigquery'),
      project: z.string().regex(/^[a-z][a-z0-9-]{4,28}[a-z0-9]$/, { message: 'must be a GCP project ID such as skyline-prod-billing' }),
      dataset: z.string().regex(/^\w{1,1024}$/, { message: 'must be a BigQuery dataset ID (letters, digits, underscores)' }),
      table: z.string().regex(/^[\w-]{1,1024}$/, { message: 'must be a BigQuery table ID such as gcp_billing_export_v1_0123AB_456CDE_789EF0' }),
      /** The dataset's location, where the query job runs. @default the dataset's own */
      location: z.string().min(1).optional(),
    }),
    z.strictObject({
      ...common,
      /** Blobs in an Azure storage container (Cost Management exports); Azure workload identity, or a connection string from the environment. */
      kind: z.literal('azure-blob'),
      accountUrl: z.url({ protocol: /^https?$/, message: 'must be the blob endpoint URL such as https://skylinecost.blob.core.windows.net' }).transform((url) => url.replace(/\/+$/, '')),
      container: z.string().regex(/^[a-z0-9](?!.*--)[a-z0-9-]{1,61}[a-z0-9]$/, { message: 'must be a storage container name (3-63 lowercase letters, digits, hyphens)' }),
      prefix: keyPrefix,
    }),
    z.strictObject({
      ...common,
      /** A local file, or a directory read recursively (files in name order): a mounted volume, or a download. */
      kind: z.literal('file'),
      path: text('a file or directory path'),
    }),
  ],
  { message: 'must be s3, bigquery, azure-blob or file' },
);

const budgetSchema = z.strictObject({
  provider: z.enum(PROVIDERS, { message: 'must be aws, gcp or azure' }),
  /** The monthly budget, in `currency`. */
  amount: z.number({ message: 'must be the monthly budget amount, a number' }).positive({ message: 'must be more than 0' }),
  /** ISO 4217 code of the billing currency the budget is in, e.g. USD. */
  currency: z.string().regex(ISO_CURRENCY, { message: 'must be an ISO 4217 currency code such as USD' }),
});

export const costAnalyzerConfigSchema = z
  .strictObject({
    /** Where the exports land; at least one. */
    sources: z.array(sourceSchema).min(1, { message: 'must list at least one billing export source' }),
    /**
     * Shared key of the storage account of the azure-blob sources, for an emulator or a cluster without workload
     * identity; set it through SKYLINE_COST_AZURE_ACCOUNT_KEY, never in the file. Absent (the default), Azure
     * workload identity (DefaultAzureCredential) is used and no key exists anywhere.
     */
    azureAccountKey: z.string().min(1).optional(),
    /** How often every source is re-read and the metrics recomputed. Exports refresh a few times a day. */
    refreshIntervalSeconds: seconds('time between two reads of the sources').default(3600),
    /** Whole months before the current one that are read too: the forecast's backtest runs on them. */
    historyMonths: z.number().int({ message: 'must be a whole number of months' }).min(0, { message: 'must be 0 or more' }).max(24, { message: 'must be at most 24' }).default(3),
    /** Monthly budgets, exported as `skyline_cost_budget_amount{provider,currency}` for the budget-burn alert. */
    budgets: z.array(budgetSchema).default([]),
    forecast: z
      .strictObject({
        /** Coverage of the prediction interval: `bound="lower"`/`"upper"` enclose the month's total this often. */
        confidenceLevel: z.number({ message: 'must be a probability such as 0.9' }).gt(0.5, { message: 'must be more than 0.5' }).lt(1, { message: 'must be less than 1' }).default(0.9),
        /** Days of the month that must have cost before a forecast is made; earlier, none is exported. */
        minDays: z.number().int({ message: 'must be a whole number of days' }).min(3, { message: 'must be 3 or more days: a trend and its error need three points' }).max(28, { message: 'must be at most 28 days' }).default(3),
        /** Days of past months at which the backtest makes its forecasts. */
        backtestDays: z.array(z.number().int({ message: 'must be a whole day of the month' }).min(3, { message: 'must be a day from 3 to 27' }).max(27, { message: 'must be a day from 3 to 27' })).min(1, { message: 'must list at least one day' }).default([7, 14, 21]),
      })
      .prefault({}),
    server: z
      .strictObject({
        host: z.string().min(1).default('0.0.0.0'),
        port: z.number().int().min(0).max(65535, { message: 'must be a TCP port, or 0 for any free port' }).default(9464),
      })
      .prefault({}),
    logLevel: z.enum(LOG_LEVELS, { message: `must be one of ${LOG_LEVELS.join(', ')}` }).default('info'),
  })
  .superRefine((config, context) => {
    const problem = (path: (string | number)[], input: unknown, message: string): void => {
      context.addIssue({ code: 'custom', path, input, message });
    };
    const names = config.sources.map((source, index) => source.name ?? defaultSourceName(source, index));
    names.forEach((name, index) => {
      if (names.indexOf(name) !== index) problem(['sources', index, 'name'], name, 'is used by two sources; give each source its own name');
    });
    config.budgets.forEach((budget, index) => {
      if (config.budgets.findIndex((other) => other.provider === budget.provider && other.currency === budget.currency) !== index) {
        problem(['budgets', index], `${budget.provider} ${budget.currency}`, 'is a second budget for this provider and currency; one each');
      }
    });
  })
  .transform((config) => ({
    ...config,
    sources: config.sources.map((source, index) => ({ ...source, name: source.name ?? defaultSourceName(source, index) })),
  }));

function defaultSourceName(source: { readonly provider: Provider; readonly kind: string }, index: number): string {
  return `${source.provider}-${source.kind}-${index}`;
}

/** The config as written (YAML, or built in TypeScript for the chart): optional fields may be left out. */
export type CostAnalyzerConfigInput = z.input<typeof costAnalyzerConfigSchema>;
/** The config the analyzer runs with: every default filled in. */
export type CostAnalyzerConfig = z.output<typeof costAnalyzerConfigSchema>;
export type SourceConfig = CostAnalyzerConfig['sources'][number];
export type BudgetConfig = CostAnalyzerConfig['budgets'][number];
export type ForecastConfig = CostAnalyzerConfig['forecast'];

/** Settings that come from the environment rather than the file: secrets. */
export const COST_ANALYZER_ENV_OVERRIDES: EnvOverrides = {
  azureAccountKey: 'SKYLINE_COST_AZURE_ACCOUNT_KEY',
};

/** Validates a config given as an object, e.g. in a test or before rendering the chart's ConfigMap. */
export function parseCostAnalyzerConfig(input: CostAnalyzerConfigInput, source = 'cost-analyzer config', env: NodeJS.ProcessEnv = {}): CostAnalyzerConfig {
  return parseConfig(input, source, { schema: costAnalyzerConfigSchema, envOverrides: COST_ANALYZER_ENV_OVERRIDES, env });
}
