/**
 * The FOCUS columns (FinOps Open Cost and Usage Specification): 1.2 is the analyzer's internal schema (DESIGN § 9);
 * 1.0 is what the published focus-validator checks and what the FinOps Foundation's sample data is in.
 */

/** Every FOCUS 1.2 column, in the order the analyzer writes them. */
export const FOCUS_1_2_COLUMNS = [
  'AvailabilityZone',
  'BilledCost',
  'BillingAccountId',
  'BillingAccountName',
  'BillingAccountType',
  'BillingCurrency',
  'BillingPeriodEnd',
  'BillingPeriodStart',
  'CapacityReservationId',
  'CapacityReservationStatus',
  'ChargeCategory',
  'ChargeClass',
  'ChargeDescription',
  'ChargeFrequency',
  'ChargePeriodEnd',
  'ChargePeriodStart',
  'CommitmentDiscountCategory',
  'CommitmentDiscountId',
  'CommitmentDiscountName',
  'CommitmentDiscountQuantity',
  'CommitmentDiscountStatus',
  'CommitmentDiscountType',
  'CommitmentDiscountUnit',
  'ConsumedQuantity',
  'ConsumedUnit',
  'ContractedCost',
  'ContractedUnitPrice',
  'EffectiveCost',
  'InvoiceId',
  'InvoiceIssuerName',
  'ListCost',
  'ListUnitPrice',
  'PricingCategory',
  'PricingCurrency',
  'PricingCurrencyContractedUnitPrice',
  'PricingCurrencyEffectiveCost',
  'PricingCurrencyListUnitPrice',
  'PricingQuantity',
  'PricingUnit',
  'ProviderName',
  'PublisherName',
  'RegionId',
  'RegionName',
  'ResourceId',
  'ResourceName',
  'ResourceType',
  'ServiceCategory',
  'ServiceName',
  'ServiceSubcategory',
  'SkuId',
  'SkuMeter',
  'SkuPriceDetails',
  'SkuPriceId',
  'SubAccountId',
  'SubAccountName',
  'SubAccountType',
  'Tags',
] as const;

export type FocusColumn = (typeof FOCUS_1_2_COLUMNS)[number];

/** Columns added after FOCUS 1.0 (in 1.1 and 1.2): absent from a 1.0 file. */
const ADDED_AFTER_1_0: ReadonlySet<FocusColumn> = new Set<FocusColumn>([
  'BillingAccountType',
  'CapacityReservationId',
  'CapacityReservationStatus',
  'CommitmentDiscountQuantity',
  'CommitmentDiscountUnit',
  'InvoiceId',
  'PricingCurrency',
  'PricingCurrencyContractedUnitPrice',
  'PricingCurrencyEffectiveCost',
  'PricingCurrencyListUnitPrice',
  'ServiceSubcategory',
  'SkuMeter',
  'SkuPriceDetails',
  'SubAccountType',
]);

/** The FOCUS 1.0 columns, in the same order. */
export const FOCUS_1_0_COLUMNS: readonly FocusColumn[] = FOCUS_1_2_COLUMNS.filter((column) => !ADDED_AFTER_1_0.has(column));

/** FOCUS ServiceCategory values (the same list in 1.0, 1.1 and 1.2): the analyzer's unified categories. */
export const SERVICE_CATEGORIES = [
  'AI and Machine Learning',
  'Analytics',
  'Business Applications',
  'Compute',
  'Databases',
  'Developer Tools',
  'Multicloud',
  'Identity',
  'Integration',
  'Internet of Things',
  'Management and Governance',
  'Media',
  'Migration',
  'Mobile',
  'Networking',
  'Security',
  'Storage',
  'Web',
  'Other',
] as const;
export type ServiceCategory = (typeof SERVICE_CATEGORIES)[number];

export const CHARGE_CATEGORIES = ['Usage', 'Purchase', 'Tax', 'Credit', 'Adjustment'] as const;
export const CHARGE_FREQUENCIES = ['One-Time', 'Recurring', 'Usage-Based'] as const;
export const PRICING_CATEGORIES = ['Standard', 'Dynamic', 'Committed', 'Other'] as const;

/** Columns whose values come from a closed list: a value is rewritten to the spelling of the list. */
export const ENUMERATED_COLUMNS: Readonly<Partial<Record<FocusColumn, readonly string[]>>> = {
  ServiceCategory: SERVICE_CATEGORIES,
  ChargeCategory: CHARGE_CATEGORIES,
  ChargeFrequency: CHARGE_FREQUENCIES,
  PricingCategory: PRICING_CATEGORIES,
  ChargeClass: ['Correction'],
  CommitmentDiscountCategory: ['Spend', 'Usage'],
  CommitmentDiscountStatus: ['Used', 'Unused'],
};

/** Date-time columns: written as ISO 8601 UTC, `2024-09-01T00:00:00Z`. */
export const DATE_TIME_COLUMNS: readonly FocusColumn[] = ['BillingPeriodEnd', 'BillingPeriodStart', 'ChargePeriodEnd', 'ChargePeriodStart'];

/** Decimal columns. */
export const DECIMAL_COLUMNS: readonly FocusColumn[] = [
  'BilledCost',
  'CommitmentDiscountQuantity',
  'ConsumedQuantity',
  'ContractedCost',
  'ContractedUnitPrice',
  'EffectiveCost',
  'ListCost',
  'ListUnitPrice',
  'PricingCurrencyContractedUnitPrice',
  'PricingCurrencyEffectiveCost',
  'PricingCurrencyListUnitPrice',
  'PricingQuantity',
];

/** A FOCUS row as text, the way it is written to CSV: a missing column or a null value is `undefined`. */
export type FocusValues = Partial<Record<FocusColumn, string>>;
