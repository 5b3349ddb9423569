/**
 * The checks and completions every mapped row goes through, whatever its source format: amounts are decimals,
 * the charge has a date, the currency is an ISO 4217 code (else the row is bad: counted and reported with its
 * location, never dropped silently); timestamps become ISO 8601 UTC; enumerated values take the spec's spelling;
 * the service gets its FOCUS ServiceCategory; columns FOCUS requires but the source lacks are derived from others.
 */
import type { Provider } from '../config';
import { DATE_TIME_COLUMNS, DECIMAL_COLUMNS, ENUMERATED_COLUMNS, type FocusColumn, type FocusValues, type ServiceCategory } from './columns';
import { isServiceCategory, type ServiceCategoryMap } from './service-categories';
import { formatTimestamp, isCurrencyCode, parseDecimal, parseTimestamp } from './values';

/** Why a row is bad: an amount that is no number, a charge without a (valid) date, a currency that is no ISO 4217
 * code, or a CSV record whose number of fields differs from the header's. */
export const BAD_ROW_REASONS = ['amount', 'date', 'currency', 'columns'] as const;
export type BadRowReason = (typeof BAD_ROW_REASONS)[number];

/** A row in FOCUS 1.2, with the parsed fields the aggregation needs. */
export interface NormalizedRow {
  /** The FOCUS columns as text, as written to a FOCUS CSV. */
  readonly values: FocusValues;
  /** `aws`, `gcp`, `azure` (from ProviderName; another provider's name, lowercased, e.g. `oracle`). */
  readonly provider: string;
  /** RegionId, or `global` for a charge with none. */
  readonly region: string;
  readonly category: ServiceCategory;
  /** ServiceName, or `unknown` for a charge with none. */
  readonly service: string;
  readonly currency: string;
  readonly billedCost: number;
  readonly chargePeriodStartMs: number;
  /** True when the category is Other because the mapping does not list the service. */
  readonly unmapped: boolean;
}

export type NormalizeResult = { readonly row: NormalizedRow; readonly bad?: undefined } | { readonly bad: BadRowReason; readonly detail: string };

const DAY_MS = 86_400_000;

const PROVIDER_ALIASES: Readonly<Record<string, Provider>> = {
  aws: 'aws',
  'amazon web services': 'aws',
  amazon: 'aws',
  microsoft: 'azure',
  azure: 'azure',
  'microsoft azure': 'azure',
  google: 'gcp',
  'google cloud': 'gcp',
  'google cloud platform': 'gcp',
  gcp: 'gcp',
};

/** For each enumerated column: the allowed values keyed by their lowercase form without spaces and dashes. */
const ENUM_SPELLINGS: readonly [FocusColumn, ReadonlyMap<string, string>][] = Object.entries(ENUMERATED_COLUMNS).map(([column, allowed]) => [
  column as FocusColumn,
  new Map((allowed ?? []).map((value) => [spellingKey(value), value])),
]);

const DECIMALS_BUT_BILLED = DECIMAL_COLUMNS.filter((column) => column !== 'BilledCost');

export interface RowNormalizerOptions {
  /** The provider of the source: the provider of rows without ProviderName. */
  readonly provider: Provider;
  readonly categories: ServiceCategoryMap;
}

export class RowNormalizer {
  /** Exports repeat a few hundred distinct timestamps across millions of rows: parse each once. */
  private readonly timestamps = new Map<string, number | undefined>();
  private readonly isoByMs = new Map<number, string>();
  /** Enumerated values as written → the spec's spelling (null: not an allowed value). */
  private readonly spellings = new Map<string, string | null>();

  constructor(private readonly options: RowNormalizerOptions) {}

  normalize(values: FocusValues): NormalizeResult {
    const billedText = values.BilledCost;
    const billedCost = billedText === undefined ? undefined : parseDecimal(billedText);
    if (billedCost === undefined) return { bad: 'amount', detail: billedText === undefined ? 'BilledCost is missing' : `BilledCost ${JSON.stringify(billedText)} is not a number` };
    for (const column of DECIMALS_BUT_BILLED) {
      const text = values[column];
      if (text !== undefined && parseDecimal(text) === undefined) return { bad: 'amount', detail: `${column} ${JSON.stringify(text)} is not a number` };
    }

    const startText = values.ChargePeriodStart;
    const startMs = startText === undefined ? undefined : this.timestamp(startText);
    if (startMs === undefined) return { bad: 'date', detail: startText === undefined ? 'ChargePeriodStart is missing' : `ChargePeriodStart ${JSON.stringify(startText)} is not a date` };
    for (const column of DATE_TIME_COLUMNS) {
      const text = values[column];
      if (text === undefined) continue;
      const ms = this.timestamp(text);
      if (ms === undefined) return { bad: 'date', detail: `${column} ${JSON.stringify(text)} is not a date` };
      values[column] = this.iso(ms);
    }
    // Derived when the export has no such column: daily exports' charges last a day; the billing period is
    // the calendar month of the charge.
    values.ChargePeriodEnd ??= this.iso(startMs + DAY_MS);
    if (values.BillingPeriodStart === undefined || values.BillingPeriodEnd === undefined) {
      const start = new Date(startMs);
      values.BillingPeriodStart ??= this.iso(Date.UTC(start.getUTCFullYear(), start.getUTCMonth(), 1));
      values.BillingPeriodEnd ??= this.iso(Date.UTC(start.getUTCFullYear(), start.getUTCMonth() + 1, 1));
    }

    const currencyText = values.BillingCurrency;
    const currency = currencyText?.trim().toUpperCase();
    if (currency === undefined || !isCurrencyCode(currency)) {
      return { bad: 'currency', detail: currencyText === undefined ? 'BillingCurrency is missing' : `BillingCurrency ${JSON.stringify(currencyText)} is not an ISO 4217 currency code` };
    }
    values.BillingCurrency = currency;

    for (const [column, spellings] of ENUM_SPELLINGS) {
      const text = values[column];
      if (text === undefined) continue;
      let canonical = this.spellings.get(text);
      if (canonical === undefined) {
        canonical = spellings.get(spellingKey(text)) ?? null;
        if (this.spellings.size < 4096) this.spellings.set(text, canonical);
      }
      if (canonical !== null) values[column] = canonical;
      else if (column === 'ServiceCategory') delete values.ServiceCategory; // not a FOCUS value: mapped below instead
    }

    const provider = this.providerOf(values.ProviderName);
    const service = values.ServiceName;
    const given = values.ServiceCategory;
    let category: ServiceCategory | undefined = given !== undefined && isServiceCategory(given) ? given : undefined;
    let unmapped = false;
    if (category === undefined) {
      category = service === undefined ? undefined : this.options.categories.categoryOf(provider, service);
      if (category === undefined) {
        category = 'Other';
        unmapped = true;
      }
      values.ServiceCategory = category;
    }

    // FOCUS requires these; where the export has no better source, the spec's own fallbacks.
    values.EffectiveCost ??= billedText;
    values.ListCost ??= billedText;
    values.ContractedCost ??= billedText;
    values.InvoiceIssuerName ??= values.ProviderName;
    values.PublisherName ??= values.ProviderName;
    values.ChargeFrequency ??= values.ChargeCategory === 'Usage' ? 'Usage-Based' : 'One-Time';
    if ((values.ChargeCategory === 'Usage' || values.ChargeCategory === 'Purchase') && values.ChargeClass !== 'Correction') values.SkuPriceId ??= values.SkuId;

    return {
      row: {
        values,
        provider,
        region: values.RegionId ?? 'global',
        category,
        service: service ?? 'unknown',
        currency,
        billedCost,
        chargePeriodStartMs: startMs,
        unmapped,
      },
    };
  }

  private providerOf(providerName: string | undefined): string {
    if (providerName === undefined) return this.options.provider;
    const key = providerName.trim().toLowerCase();
    return PROVIDER_ALIASES[key] ?? (key.replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '') || this.options.provider);
  }

  private timestamp(text: string): number | undefined {
    if (this.timestamps.has(text)) return this.timestamps.get(text);
    if (this.timestamps.size >= 4096) this.timestamps.clear();
    const ms = parseTimestamp(text.trim());
    this.timestamps.set(text, ms);
    return ms;
  }

  private iso(ms: number): string {
    let text = this.isoByMs.get(ms);
    if (text === undefined) {
      if (this.isoByMs.size >= 4096) this.isoByMs.clear();
      text = formatTimestamp(ms);
      this.isoByMs.set(ms, text);
    }
    return text;
  }
}

function spellingKey(value: string): string {
  return value.replace(/[\s-]/g, '').toLowerCase();
}
