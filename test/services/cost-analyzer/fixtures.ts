/** Paths of the cost fixtures and a way to read one through the analyzer's own pipeline. */
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import type { Provider, SourceFormat } from '../../../services/cost-analyzer/src/config';
import type { NormalizedRow } from '../../../services/cost-analyzer/src/focus/normalize';
import { DEFAULT_SERVICE_CATEGORIES } from '../../../services/cost-analyzer/src/focus/service-categories';
import { readSource, type SourceReading } from '../../../services/cost-analyzer/src/read-source';
import { LocalFileStore } from '../../../services/cost-analyzer/src/sources/local-file-store';
import { ObjectExportSource } from '../../../services/cost-analyzer/src/sources/object-export-source';
import { PROJECT_ROOT } from '../../helpers/app-command';
import { PEER_BINARIES } from '../../helpers/peers';

export const FIXTURES = join(PROJECT_ROOT, 'test', 'fixtures');
export const FOCUS_SAMPLE = join(FIXTURES, 'focus', 'focus_sample_1.0.csv');
export const COST_FIXTURES = join(FIXTURES, 'cost');
export const fixture = (name: string): string => join(COST_FIXTURES, name);

/** Everything before the window start is history the tests do not want cut off. */
export const ALL_TIME = { fromMs: 0 };

export const NO_RETRY = { attempts: 1, baseDelayMs: 0, maxDelayMs: 0 };

/** Reads a local export file or directory as one source; returns its good rows and the reading. */
export async function readLocal(path: string, provider: Provider, format: SourceFormat = 'auto'): Promise<{ rows: NormalizedRow[]; reading: SourceReading }> {
  const rows: NormalizedRow[] = [];
  const reading = await readSource(new ObjectExportSource('test', provider, format, new LocalFileStore(path)), {
    window: ALL_TIME,
    categories: DEFAULT_SERVICE_CATEGORIES,
    retry: NO_RETRY,
    onRow: (row) => {
      rows.push(row);
      return undefined;
    },
  });
  return { rows, reading };
}

/** Reads a local export as the service does (no row callback, so failed parts are reported, not thrown). */
export function readLocalReading(path: string, provider: Provider, format: SourceFormat = 'auto'): Promise<SourceReading> {
  return readSource(new ObjectExportSource('test', provider, format, new LocalFileStore(path)), { window: ALL_TIME, categories: DEFAULT_SERVICE_CATEGORIES, retry: NO_RETRY });
}

/** Sums BilledCost by a key of the row. */
export function totals(rows: readonly NormalizedRow[], key: (row: NormalizedRow) => string): Record<string, number> {
  const sums: Record<string, number> = {};
  for (const row of rows) sums[key(row)] = (sums[key(row)] ?? 0) + row.billedCost;
  return sums;
}

/** Writes `csvPath` as a Parquet file (typed columns, `rowsPerGroup` rows per row group) with pyarrow. */
export function writeParquet(csvPath: string, parquetPath: string, options: { rowsPerGroup: number; decimals: readonly string[]; timestamps: readonly string[]; maps?: readonly string[] }): void {
  const args = [join(COST_FIXTURES, 'csv_to_parquet.py'), csvPath, parquetPath, String(options.rowsPerGroup), options.decimals.join(','), options.timestamps.join(','), (options.maps ?? []).join(',')];
  execFileSync(PEER_BINARIES.focusPython, args, { stdio: 'pipe' });
}

/** The decimal and timestamp columns of cur-legacy.csv, typed in its Parquet version as AWS types them. */
export const CUR_LEGACY_TYPES = {
  decimals: ['lineItem/UsageAmount', 'lineItem/UnblendedRate', 'lineItem/UnblendedCost', 'lineItem/BlendedCost', 'pricing/publicOnDemandCost', 'pricing/publicOnDemandRate', 'savingsPlan/SavingsPlanEffectiveCost'],
  timestamps: ['bill/BillingPeriodStartDate', 'bill/BillingPeriodEndDate', 'lineItem/UsageStartDate', 'lineItem/UsageEndDate'],
} as const;
