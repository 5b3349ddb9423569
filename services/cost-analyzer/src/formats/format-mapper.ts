/** The row layouts the analyzer reads, each a mapper from raw cells to FOCUS text, compiled once per header. */
import type { SourceFormat } from '../config';
import type { FocusValues } from '../focus/columns';
import { compileAzureMapper, looksLikeAzure } from './azure-format';
import type { RawValues } from './cells';
import { compileCurMapper, looksLikeCur } from './cur-format';
import { compileFocusMapper, looksLikeFocus } from './focus-format';
import { compileGcpMapper, looksLikeGcpStandard } from './gcp-format';

export type ConcreteFormat = Exclude<SourceFormat, 'auto'>;
export type RowMapper = (values: RawValues) => FocusValues;

const COMPILERS: Readonly<Record<ConcreteFormat, (columns: readonly string[]) => RowMapper>> = {
  focus: compileFocusMapper,
  cur: compileCurMapper,
  'azure-actual': compileAzureMapper,
  // Amortized and actual exports share their columns; amortized rows spread reservation and savings plan
  // purchases over the usage they cover, so both FOCUS cost columns carry the amortized cost.
  'azure-amortized': compileAzureMapper,
  'gcp-standard': compileGcpMapper,
};

export function compileMapper(format: ConcreteFormat, columns: readonly string[]): RowMapper {
  return COMPILERS[format](columns);
}

/** The layout of a header (for `format: auto`), or undefined when it is none the analyzer knows. */
export function detectFormat(columns: readonly string[]): ConcreteFormat | undefined {
  if (looksLikeFocus(columns)) return 'focus';
  if (looksLikeCur(columns)) return 'cur';
  if (looksLikeAzure(columns)) return 'azure-actual';
  if (looksLikeGcpStandard(columns)) return 'gcp-standard';
  return undefined;
}

/** The columns that identify each layout, for the error when a file matches none. */
export const FORMAT_SIGNATURES = 'FOCUS (BilledCost, ChargePeriodStart), CUR (lineItem/UnblendedCost or line_item_unblended_cost), Azure (CostInBillingCurrency), GCP standard (service.description, cost, usage_start_time)';
