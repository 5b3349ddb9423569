/**
 * One pass over every source: read each into its ledger, merge them, report. Shared by the service (every refresh)
 * and the report command (once). The window starts `historyMonths` whole months before the reported month, so
 * the backtest has past months to work on.
 */
import type { Clock } from '../../common/src/clock';
import type { Logger } from '../../common/src/logger';
import type { RetryPolicy } from '../../common/src/retry';
import type { CostAnalyzerConfig } from './config';
import { CostLedger } from './cost-ledger';
import type { NormalizedRow } from './focus/normalize';
import type { ServiceCategoryMap } from './focus/service-categories';
import { addMonths, formatTimestamp, monthBounds } from './focus/values';
import { readSource, type SourceReading } from './read-source';
import type { SourceStatus } from './report';
import type { BillingSource, ReadWindow } from './sources/billing-source';

/** Whole-part retries: exports are read again from the start after a lost connection, at most this often. */
export const PART_RETRY: RetryPolicy = { attempts: 4, baseDelayMs: 1000, maxDelayMs: 30_000 };

export interface AnalysisOptions {
  readonly categories: ServiceCategoryMap;
  readonly logger?: Logger;
  readonly clock?: Clock;
  readonly signal?: AbortSignal;
  readonly retry?: RetryPolicy;
  readonly onRow?: (row: NormalizedRow) => Promise<void> | undefined;
}

/** The read window for a report of `month`. */
export function readWindow(config: Pick<CostAnalyzerConfig, 'historyMonths'>, month: string): ReadWindow {
  return { fromMs: monthBounds(addMonths(month, -config.historyMonths)).startMs };
}

/** Reads the sources one after the other (memory stays that of one part at a time). */
export async function readSources(sources: readonly BillingSource[], window: ReadWindow, options: AnalysisOptions): Promise<SourceReading[]> {
  const readings: SourceReading[] = [];
  for (const source of sources) {
    readings.push(await readSource(source, { window, categories: options.categories, retry: options.retry ?? PART_RETRY, onRow: options.onRow, logger: options.logger, clock: options.clock, signal: options.signal }));
  }
  return readings;
}

export function mergeLedgers(readings: readonly SourceReading[]): CostLedger {
  const merged = new CostLedger();
  for (const reading of readings) merged.merge(reading.ledger);
  return merged;
}

/** Whether a reading is whole: listed, and every part read or gone. */
export function isComplete(reading: SourceReading): boolean {
  return reading.error === undefined && reading.partsFailed.length === 0;
}

export function sourceStatus(reading: SourceReading, readAtMs: number, stale = false): SourceStatus {
  return {
    name: reading.source,
    provider: reading.provider,
    description: reading.description,
    status: stale ? 'stale' : reading.error !== undefined ? 'failed' : reading.partsFailed.length > 0 ? 'partial' : 'ok',
    partsRead: reading.partsRead,
    partsGone: reading.partsGone,
    partsFailed: reading.partsFailed,
    error: reading.error,
    readAt: formatTimestamp(readAtMs),
  };
}
