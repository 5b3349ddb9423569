/**
 * FOCUS exports (AWS Data Exports FOCUS table, Azure FocusCost, GCP's FOCUS view, the FinOps Foundation sample):
 * columns pass through by name. A 1.0 file simply lacks the 1.1/1.2 columns. The five columns that FOCUS
 * 1.0-preview named differently are read under their old names when the new ones are missing.
 */
import { FOCUS_1_2_COLUMNS, type FocusColumn, type FocusValues } from '../focus/columns';
import { columnIndex, present, type RawValues } from './cells';

const PREVIEW_NAMES: Readonly<Partial<Record<FocusColumn, string>>> = {
  ProviderName: 'Provider',
  PublisherName: 'Publisher',
  InvoiceIssuerName: 'InvoiceIssuer',
  ResourceId: 'ResourceID',
  ChargeCategory: 'ChargeType',
};

export function compileFocusMapper(columns: readonly string[]): (values: RawValues) => FocusValues {
  const pairs: [FocusColumn, number][] = [];
  for (const focusColumn of FOCUS_1_2_COLUMNS) {
    const preview = PREVIEW_NAMES[focusColumn];
    const index = columnIndex(columns, preview === undefined ? [focusColumn] : [focusColumn, preview]);
    if (index >= 0) pairs.push([focusColumn, index]);
  }
  return (values) => {
    const row: FocusValues = {};
    for (const [focusColumn, index] of pairs) {
      const value = present(values[index]);
      if (value !== undefined) row[focusColumn] = value;
    }
    return row;
  };
}

export function looksLikeFocus(columns: readonly string[]): boolean {
  return columns.includes('BilledCost') && columns.includes('ChargePeriodStart');
}
