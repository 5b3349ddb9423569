/**
 * Google Cloud's standard usage cost export (the BigQuery table `gcp_billing_export_v1_<account>`) → FOCUS.
 * Nested fields arrive flattened with dots (`service.description`, see flatten-record.ts); repeated fields
 * (`credits`, `labels`) as JSON text. Schema: docs.cloud.google.com/billing/docs/how-to/export-data-bigquery-tables/standard-usage.
 * BilledCost is `cost` plus the (negative) credits, as on the invoice; ListCost is `cost_at_list` when present.
 */
import type { FocusColumn, FocusValues } from '../focus/columns';
import { formatTimestamp } from '../focus/values';
import { cell, directCopier, hasColumn, lookup, sumText, type Cell, type RawValues } from './cells';

const COST_TYPES: Readonly<Record<string, string>> = { regular: 'Usage', tax: 'Tax', adjustment: 'Adjustment', roundingerror: 'Adjustment' };

export function compileGcpMapper(columns: readonly string[]): (values: RawValues) => FocusValues {
  const c = (...names: string[]): Cell => cell(columns, ...names);
  const cost = c('cost');
  const credits = c('credits');
  const costType = c('cost_type');
  const invoiceMonth = c('invoice.month');
  const labels = c('labels');
  const usageAmount = c('usage.amount');
  const usageUnit = c('usage.unit');
  const pricingAmount = c('usage.amount_in_pricing_units');
  const pricingUnit = c('usage.pricing_unit');
  const copyDirect = directCopier<FocusColumn>(columns, [
    ['BillingCurrency', ['currency']],
    ['ChargePeriodStart', ['usage_start_time']],
    ['ChargePeriodEnd', ['usage_end_time']],
    ['BillingAccountId', ['billing_account_id']],
    ['SubAccountId', ['project.id']],
    ['SubAccountName', ['project.name']],
    ['ServiceName', ['service.description']],
    ['SkuId', ['sku.id']],
    ['SkuPriceId', ['sku.id']],
    ['ChargeDescription', ['sku.description']],
    ['RegionId', ['location.region']],
    ['RegionName', ['location.location']],
    ['AvailabilityZone', ['location.zone']],
    ['ResourceId', ['resource.global_name', 'resource.name']],
    ['ResourceName', ['resource.name']],
    ['ListCost', ['cost_at_list']],
    ['PublisherName', ['seller_name']],
  ]);

  return (values) => {
    const row: FocusValues = { ProviderName: 'Google Cloud', InvoiceIssuerName: 'Google Cloud' };
    copyDirect(values, row);
    const creditText = credits(values);
    const amounts = creditAmounts(creditText);
    // Unreadable credits make the amount unknown: the row is reported as bad, never counted without them.
    const billed = amounts === undefined ? `${cost(values) ?? ''} with unreadable credits ${creditText ?? ''}` : sumText(cost(values), amounts);
    if (billed !== undefined) row.BilledCost = row.EffectiveCost = billed;
    const chargeCategory = lookup(COST_TYPES, costType(values), 'Usage') ?? 'Usage';
    row.ChargeCategory = chargeCategory;
    row.ChargeFrequency = chargeCategory === 'Usage' ? 'Usage-Based' : 'One-Time';
    if (chargeCategory === 'Usage') {
      row.PricingCategory = 'Standard';
      const consumed = usageAmount(values);
      if (consumed !== undefined) row.ConsumedQuantity = consumed;
      const consumedUnit = usageUnit(values);
      if (consumedUnit !== undefined) row.ConsumedUnit = consumedUnit;
      const priced = pricingAmount(values);
      if (priced !== undefined) row.PricingQuantity = priced;
      const priceUnit = pricingUnit(values);
      if (priceUnit !== undefined) row.PricingUnit = priceUnit;
    }
    const month = invoiceMonth(values);
    if (month !== undefined && /^\d{6}$/.test(month)) {
      const year = Number(month.slice(0, 4));
      const monthIndex = Number(month.slice(4)) - 1;
      row.BillingPeriodStart = formatTimestamp(Date.UTC(year, monthIndex, 1));
      row.BillingPeriodEnd = formatTimestamp(Date.UTC(year, monthIndex + 1, 1));
    }
    const tags = labelsToTags(labels(values));
    if (tags !== undefined) row.Tags = tags;
    return row;
  };
}

/** `credits` is a JSON array of `{name, amount, ...}` (amounts negative); undefined when it cannot be read. */
function creditAmounts(text: string | undefined): number[] | undefined {
  if (text === undefined) return [];
  const parsed = parseJson(text);
  if (!Array.isArray(parsed)) return undefined;
  const amounts: number[] = [];
  for (const credit of parsed) {
    const amount = isRecord(credit) ? Number(credit.amount) : NaN;
    if (!Number.isFinite(amount)) return undefined;
    amounts.push(amount);
  }
  return amounts;
}

/** `labels` is a JSON array of `{key, value}`; FOCUS Tags is one JSON object. */
function labelsToTags(text: string | undefined): string | undefined {
  if (text === undefined) return undefined;
  const parsed = parseJson(text);
  if (!Array.isArray(parsed) || parsed.length === 0) return undefined;
  const tags: Record<string, string> = {};
  for (const label of parsed) {
    if (isRecord(label) && typeof label.key === 'string') tags[label.key] = String(label.value ?? '');
  }
  return JSON.stringify(tags);
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined; // not JSON: the caller decides what that means
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

export function looksLikeGcpStandard(columns: readonly string[]): boolean {
  return hasColumn(columns, 'service.description') && hasColumn(columns, 'cost') && hasColumn(columns, 'usage_start_time');
}
