/**
 * `npm run cost -- report ...`: reads every source once, prints the report of a month (tables, or JSON with
 * --json) and, with --focus-csv, writes that month's rows as FOCUS CSV. The CSV is written to `<path>.partial` and
 * renamed when complete: a run that fails leaves no half file behind. Exit 0 when every source was read whole, 1
 * otherwise (the report is still printed, with the failures).
 */
import { createWriteStream } from 'node:fs';
import { rename, rm } from 'node:fs/promises';
import type { Writable } from 'node:stream';
import { systemClock, type Clock } from '../../common/src/clock';
import type { Logger } from '../../common/src/logger';
import { isComplete, mergeLedgers, readSources, readWindow, sourceStatus } from './analysis';
import type { Command } from './cli';
import type { CostAnalyzerConfig } from './config';
import { FocusCsvWriter } from './focus/focus-csv-writer';
import type { NormalizedRow } from './focus/normalize';
import { DEFAULT_SERVICE_CATEGORIES } from './focus/service-categories';
import { formatTimestamp, monthBounds } from './focus/values';
import { buildReport } from './report';
import { renderReport } from './report-table';
import type { BillingSource } from './sources/billing-source';
import { createBillingSource } from './sources/factory';

export interface ReportCommandOptions {
  readonly logger: Logger;
  readonly stdout: Writable;
  readonly clock?: Clock;
  readonly sources?: readonly BillingSource[];
}

export async function runReportCommand(command: Extract<Command, { kind: 'report' }>, config: CostAnalyzerConfig, options: ReportCommandOptions): Promise<number> {
  const nowMs = (options.clock ?? systemClock).now();
  const currentMonth = formatTimestamp(nowMs).slice(0, 7);
  const month = command.month ?? currentMonth;
  if (month > currentMonth) throw new Error(`--month ${month} has not begun yet (it is ${currentMonth})`);
  const { startMs, endMs } = monthBounds(month);
  const sources = options.sources ?? config.sources.map((source) => createBillingSource(source, { azureAccountKey: config.azureAccountKey }));

  const partialPath = command.focusCsvPath && `${command.focusCsvPath}.partial`;
  const writer = partialPath ? new FocusCsvWriter(createWriteStream(partialPath), command.focusVersion) : undefined;
  const onRow = writer && ((row: NormalizedRow) => (row.chargePeriodStartMs >= startMs && row.chargePeriodStartMs < endMs ? writer.write(row.values) : undefined));

  let readings;
  try {
    readings = await readSources(sources, readWindow(config, month), { categories: DEFAULT_SERVICE_CATEGORIES, logger: options.logger, onRow });
  } catch (error) {
    if (writer && partialPath) {
      await writer.end().catch(() => undefined);
      await rm(partialPath, { force: true });
    }
    throw new Error(`reading the sources failed, no FOCUS CSV written: ${(error as Error).message}`);
  }
  if (writer && partialPath && command.focusCsvPath) {
    await writer.end();
    await rename(partialPath, command.focusCsvPath);
    options.logger.info({ path: command.focusCsvPath, rows: writer.rowsWritten, version: command.focusVersion }, 'FOCUS CSV written');
  }

  const report = buildReport(mergeLedgers(readings), {
    month,
    asOfMs: month === currentMonth ? nowMs : endMs,
    forecast: config.forecast,
    budgets: config.budgets,
    historyMonths: config.historyMonths,
    sources: readings.map((reading) => sourceStatus(reading, nowMs)),
  });
  options.stdout.write(command.json ? `${JSON.stringify(report, null, 2)}\n` : renderReport(report));
  return readings.every(isComplete) ? 0 : 1;
}
