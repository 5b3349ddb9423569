/**
 * Azure Cost Management exports (actual or amortized cost) → FOCUS. Enterprise Agreement files name columns
 * in PascalCase (`CostInBillingCurrency`), Microsoft Customer Agreement files in camelCase
 * (`costInBillingCurrency`): names are matched ignoring case. Column meanings: "Understand cost details fields"
 * (learn.microsoft.com/azure/cost-management-billing/automate/understand-usage-details-fields). Rows are daily:
 * `Date` is the day of the charge, and billing period end dates are inclusive (FOCUS ends are exclusive).
 */
import type { FocusColumn, FocusValues } from '../focus/columns';
import { formatTimestamp, parseTimestamp } from '../focus/values';
import { cell, directCopier, hasColumn, lookup, type Cell, type RawValues } from './cells';

const DAY_MS = 86_400_000;

/** ChargeType → [ChargeCategory, ChargeClass]. */
const CHARGE_TYPES: Readonly<Record<string, readonly [string, string | undefined]>> = {
  usage: ['Usage', undefined],
  unusedreservation: ['Usage', undefined],
  unusedsavingsplan: ['Usage', undefined],
  purchase: ['Purchase', undefined],
  refund: ['Purchase', 'Correction'],
  tax: ['Tax', undefined],
  roundingadjustment: ['Adjustment', undefined],
  credit: ['Credit', undefined],
};
const FREQUENCIES: Readonly<Record<string, string>> = { onetime: 'One-Time', recurring: 'Recurring', usagebased: 'Usage-Based' };
const PRICING_MODELS: Readonly<Record<string, string>> = { ondemand: 'Standard', spot: 'Dynamic', reservation: 'Committed', savingsplan: 'Committed' };

export function compileAzureMapper(columns: readonly string[]): (values: RawValues) => FocusValues {
  const c = (...names: string[]): Cell => cell(columns, ...names);
  const cost = c('CostInBillingCurrency', 'Cost', 'PreTaxCost');
  const date = c('Date', 'UsageDate');
  const periodStart = c('BillingPeriodStartDate');
  const periodEnd = c('BillingPeriodEndDate');
  const chargeType = c('ChargeType');
  const frequency = c('Frequency');
  const pricingModel = c('PricingModel');
  const location = c('ResourceLocation', 'Location');
  const quantity = c('Quantity');
  const payGPrice = c('PayGPrice');
  const tags = c('Tags');
  const copyDirect = directCopier<FocusColumn>(columns, [
    ['BillingCurrency', ['BillingCurrencyCode', 'BillingCurrency', 'Currency']],
    ['BillingAccountId', ['BillingAccountId']],
    ['BillingAccountName', ['BillingAccountName']],
    ['SubAccountId', ['SubscriptionId', 'SubscriptionGuid']],
    ['SubAccountName', ['SubscriptionName']],
    ['ServiceName', ['MeterCategory', 'ConsumedService']],
    ['ChargeDescription', ['ProductName', 'MeterName']],
    ['ResourceId', ['ResourceId', 'InstanceName']],
    ['ResourceName', ['ResourceName']],
    ['AvailabilityZone', ['AvailabilityZone']],
    ['ConsumedUnit', ['UnitOfMeasure']],
    ['PricingUnit', ['UnitOfMeasure']],
    ['ListUnitPrice', ['PayGPrice']],
    ['ContractedUnitPrice', ['UnitPrice']],
    ['SkuId', ['ProductId', 'PartNumber']],
    ['SkuPriceId', ['MeterId']],
    ['CommitmentDiscountId', ['BenefitId', 'ReservationId']],
    ['CommitmentDiscountName', ['BenefitName', 'ReservationName']],
    ['InvoiceId', ['InvoiceId']],
    ['PublisherName', ['PublisherName']],
  ]);

  return (values) => {
    const row: FocusValues = { ProviderName: 'Microsoft', InvoiceIssuerName: 'Microsoft' };
    copyDirect(values, row);
    const billed = cost(values);
    if (billed !== undefined) row.BilledCost = row.EffectiveCost = billed;
    const day = date(values);
    if (day !== undefined) {
      row.ChargePeriodStart = day;
      const start = parseTimestamp(day);
      if (start !== undefined) row.ChargePeriodEnd = formatTimestamp(start + DAY_MS);
    }
    const billingStart = periodStart(values);
    if (billingStart !== undefined) row.BillingPeriodStart = billingStart;
    const billingEnd = periodEnd(values);
    const billingEndMs = billingEnd === undefined ? undefined : parseTimestamp(billingEnd);
    if (billingEndMs !== undefined) row.BillingPeriodEnd = formatTimestamp(billingEndMs + DAY_MS);
    const [chargeCategory, chargeClass] = CHARGE_TYPES[(chargeType(values) ?? 'usage').replace(/\s/g, '').toLowerCase()] ?? ['Adjustment', undefined];
    row.ChargeCategory = chargeCategory;
    if (chargeClass !== undefined) row.ChargeClass = chargeClass;
    const chargeFrequency = lookup(FREQUENCIES, frequency(values), chargeCategory === 'Usage' ? 'Usage-Based' : undefined);
    if (chargeFrequency !== undefined) row.ChargeFrequency = chargeFrequency;
    const region = location(values);
    if (region !== undefined) {
      row.RegionName = region;
      row.RegionId = region.replace(/\s/g, '').toLowerCase();
    }
    if (chargeCategory === 'Usage') {
      const amount = quantity(values);
      if (amount !== undefined) row.ConsumedQuantity = row.PricingQuantity = amount;
      row.PricingCategory = lookup(PRICING_MODELS, pricingModel(values), 'Standard');
      const listPrice = payGPrice(values);
      if (amount !== undefined && listPrice !== undefined && Number.isFinite(Number(amount) * Number(listPrice))) row.ListCost = String(Number(amount) * Number(listPrice));
    }
    const tagText = tags(values);
    if (tagText !== undefined) row.Tags = azureTags(tagText);
    return row;
  };
}

/** Enterprise Agreement files write tags as `"team": "ml","env": "prod"` (no braces); FOCUS Tags is a JSON object. */
function azureTags(text: string): string {
  const trimmed = text.trim();
  return trimmed.startsWith('{') ? trimmed : `{${trimmed}}`;
}

export function looksLikeAzure(columns: readonly string[]): boolean {
  return hasColumn(columns, 'CostInBillingCurrency', 'PreTaxCost') || (hasColumn(columns, 'Cost') && hasColumn(columns, 'MeterCategory'));
}
