/**
 * AWS Cost and Usage Report rows → FOCUS. Legacy CUR names columns `lineItem/UnblendedCost`; CUR 2.0 (AWS Data
 * Exports) `line_item_unblended_cost`: every field below lists both. Column meanings: the CUR data dictionary
 * (docs.aws.amazon.com/cur/latest/userguide/data-dictionary.html).
 */
import type { FocusColumn, FocusValues } from '../focus/columns';
import { cell, columnIndex, directCopier, hasColumn, lookup, present, type Cell, type RawValues } from './cells';

/** lineItem/LineItemType → [ChargeCategory, ChargeFrequency]. */
const LINE_ITEM_TYPES: Readonly<Record<string, readonly [string, string]>> = {
  usage: ['Usage', 'Usage-Based'],
  discountedusage: ['Usage', 'Usage-Based'],
  savingsplancoveredusage: ['Usage', 'Usage-Based'],
  tax: ['Tax', 'Recurring'],
  fee: ['Purchase', 'One-Time'],
  rifee: ['Purchase', 'Recurring'],
  savingsplanupfrontfee: ['Purchase', 'One-Time'],
  savingsplanrecurringfee: ['Purchase', 'Recurring'],
  credit: ['Credit', 'One-Time'],
  refund: ['Credit', 'One-Time'],
  savingsplannegation: ['Credit', 'Usage-Based'],
  bundleddiscount: ['Credit', 'Usage-Based'],
  discount: ['Credit', 'Usage-Based'],
  edpdiscount: ['Credit', 'Usage-Based'],
  privateratediscount: ['Credit', 'Usage-Based'],
};

/** pricing/term → PricingCategory. */
const PRICING_TERMS: Readonly<Record<string, string>> = { ondemand: 'Standard', spot: 'Dynamic', reserved: 'Committed', savingsplan: 'Committed' };

export function compileCurMapper(columns: readonly string[]): (values: RawValues) => FocusValues {
  const c = (legacy: string, v2: string): Cell => cell(columns, legacy, v2);
  const unblendedCost = c('lineItem/UnblendedCost', 'line_item_unblended_cost');
  const lineItemType = c('lineItem/LineItemType', 'line_item_line_item_type');
  const savingsPlanEffectiveCost = c('savingsPlan/SavingsPlanEffectiveCost', 'savings_plan_savings_plan_effective_cost');
  const reservationEffectiveCost = c('reservation/EffectiveCost', 'reservation_effective_cost');
  const productName = c('product/ProductName', 'product_product_name');
  const productCode = c('lineItem/ProductCode', 'line_item_product_code');
  const usageAmount = c('lineItem/UsageAmount', 'line_item_usage_amount');
  const pricingUnit = c('pricing/unit', 'pricing_unit');
  const pricingTerm = c('pricing/term', 'pricing_term');
  const regionCode = cell(columns, 'product/regionCode', 'product_region_code', 'product/region');
  const location = c('product/location', 'product_location');
  const savingsPlanArn = cell(columns, 'savingsPlan/SavingsPlanARN', 'savings_plan_savings_plan_a_r_n', 'savings_plan_savings_plan_arn');
  const reservationArn = cell(columns, 'reservation/ReservationARN', 'reservation_reservation_a_r_n', 'reservation_reservation_arn');
  const copyDirect = directCopier<FocusColumn>(columns, [
    ['BillingCurrency', ['lineItem/CurrencyCode', 'line_item_currency_code']],
    ['ChargePeriodStart', ['lineItem/UsageStartDate', 'line_item_usage_start_date']],
    ['ChargePeriodEnd', ['lineItem/UsageEndDate', 'line_item_usage_end_date']],
    ['BillingPeriodStart', ['bill/BillingPeriodStartDate', 'bill_billing_period_start_date']],
    ['BillingPeriodEnd', ['bill/BillingPeriodEndDate', 'bill_billing_period_end_date']],
    ['BillingAccountId', ['bill/PayerAccountId', 'bill_payer_account_id']],
    ['BillingAccountName', ['bill/PayerAccountName', 'bill_payer_account_name']],
    ['SubAccountId', ['lineItem/UsageAccountId', 'line_item_usage_account_id']],
    ['SubAccountName', ['lineItem/UsageAccountName', 'line_item_usage_account_name']],
    ['AvailabilityZone', ['lineItem/AvailabilityZone', 'line_item_availability_zone']],
    ['ResourceId', ['lineItem/ResourceId', 'line_item_resource_id']],
    ['ChargeDescription', ['lineItem/LineItemDescription', 'line_item_line_item_description']],
    ['ListUnitPrice', ['pricing/publicOnDemandRate', 'pricing_public_on_demand_rate']],
    ['ListCost', ['pricing/publicOnDemandCost', 'pricing_public_on_demand_cost']],
    ['ContractedUnitPrice', ['lineItem/UnblendedRate', 'line_item_unblended_rate']],
    ['SkuId', ['product/sku', 'product_sku']],
    ['SkuPriceId', ['pricing/RateId', 'pricing_rate_id']],
    ['InvoiceId', ['bill/InvoiceId', 'bill_invoice_id']],
    ['InvoiceIssuerName', ['bill/InvoicingEntity', 'bill_invoicing_entity']],
    ['PublisherName', ['lineItem/LegalEntity', 'line_item_legal_entity']],
  ]);
  const tags = tagsReader(columns);

  return (values) => {
    const row: FocusValues = { ProviderName: 'AWS' };
    copyDirect(values, row);
    const billed = unblendedCost(values);
    if (billed !== undefined) row.BilledCost = billed;
    const type = lineItemType(values)?.toLowerCase();
    const [chargeCategory, chargeFrequency] = (type !== undefined && LINE_ITEM_TYPES[type]) || ['Adjustment', 'One-Time'];
    row.ChargeCategory = chargeCategory;
    row.ChargeFrequency = chargeFrequency;
    // The cost after commitment discounts: covered usage carries it in the savings plan / reservation columns;
    // a negation line cancels usage the plan already paid for.
    const effective = type === 'savingsplancoveredusage' ? savingsPlanEffectiveCost(values) : type === 'discountedusage' ? reservationEffectiveCost(values) : type === 'savingsplannegation' ? '0' : billed;
    if (effective !== undefined) row.EffectiveCost = effective;
    const service = productName(values) ?? productCode(values);
    if (service !== undefined) row.ServiceName = service;
    const region = regionCode(values);
    if (region !== undefined) row.RegionId = region;
    const regionName = location(values);
    if (regionName !== undefined) row.RegionName = regionName;
    if (chargeCategory === 'Usage') {
      const quantity = usageAmount(values);
      const unit = pricingUnit(values);
      if (quantity !== undefined) row.ConsumedQuantity = row.PricingQuantity = quantity;
      if (unit !== undefined) row.ConsumedUnit = row.PricingUnit = unit;
      const committed = type === 'savingsplancoveredusage' || type === 'discountedusage';
      row.PricingCategory = committed ? 'Committed' : (lookup(PRICING_TERMS, pricingTerm(values)) ?? 'Standard');
    }
    const commitment = type === 'savingsplancoveredusage' ? savingsPlanArn(values) : type === 'discountedusage' ? reservationArn(values) : undefined;
    if (commitment !== undefined) row.CommitmentDiscountId = commitment;
    const tagText = tags(values);
    if (tagText !== undefined) row.Tags = tagText;
    return row;
  };
}

/**
 * Resource tags: legacy CUR has one column per tag key (`resourceTags/user:team`); CUR 2.0 one `resource_tags`
 * column holding a JSON map. FOCUS Tags is a JSON object either way.
 */
function tagsReader(columns: readonly string[]): (values: RawValues) => string | undefined {
  const mapIndex = columnIndex(columns, ['resource_tags']);
  if (mapIndex >= 0) return (values) => present(values[mapIndex]);
  const tagColumns = columns.flatMap((column, index) => (column.startsWith('resourceTags/') ? [[column.slice('resourceTags/'.length), index] as const] : []));
  if (tagColumns.length === 0) return () => undefined;
  return (values) => {
    const tags: Record<string, string> = {};
    let any = false;
    for (const [key, index] of tagColumns) {
      const value = present(values[index]);
      if (value === undefined) continue;
      tags[key] = value;
      any = true;
    }
    return any ? JSON.stringify(tags) : undefined;
  };
}

export function looksLikeCur(columns: readonly string[]): boolean {
  return hasColumn(columns, 'lineItem/UnblendedCost', 'line_item_unblended_cost');
}
