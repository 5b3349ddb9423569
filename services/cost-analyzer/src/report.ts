/**
 * The cost report (pure): month-to-date cost by provider, region, category and service, per currency; the
 * end-of-month forecast per provider (and per category) with its interval; the forecast's backtest on the past
 * months read; budgets; bad and unmapped rows. What `/report` serves, the metrics show and the CLI prints.
 */
import type { BudgetConfig, ForecastConfig } from './config';
import type { BadRowSample, CostLedger, DailySeriesKey } from './cost-ledger';
import type { ServiceCategory } from './focus/columns';
import type { BadRowReason } from './focus/normalize';
import { addMonths, dayNumber, daysInMonth, formatTimestamp, monthBounds } from './focus/values';
import { backtest, forecastMonthEnd, type BacktestMonth, type MonthForecast } from './forecast';

export interface ForecastReport extends MonthForecast {
  readonly confidenceLevel: number;
}

export interface ProviderTotal {
  readonly provider: string;
  readonly currency: string;
  readonly monthToDate: number;
  /** Absent while fewer than forecast.minDays complete days are known, and for a closed month. */
  readonly forecast?: ForecastReport;
  readonly budget?: { readonly amount: number; readonly forecastShare?: number; readonly monthToDateShare: number };
}

export interface CategoryTotal {
  readonly provider: string;
  readonly category: ServiceCategory;
  readonly currency: string;
  readonly monthToDate: number;
  readonly forecast?: ForecastReport;
}

export interface CostLineReport {
  readonly provider: string;
  readonly region: string;
  readonly category: ServiceCategory;
  readonly service: string;
  readonly currency: string;
  readonly cost: number;
  readonly rows: number;
}

export interface SeriesBacktest {
  readonly provider: string;
  readonly currency: string;
  readonly mape?: number;
  readonly mapeByDay: Readonly<Record<number, number>>;
  readonly coverage?: number;
  readonly months: readonly BacktestMonth[];
}

export interface SourceStatus {
  readonly name: string;
  readonly provider: string;
  readonly description: string;
  /** `ok`; `partial` when parts failed; `failed` when the source could not be listed; `stale` when the figures are the last good read's. */
  readonly status: 'ok' | 'partial' | 'failed' | 'stale';
  readonly partsRead: number;
  readonly partsGone: readonly string[];
  readonly partsFailed: readonly { readonly location: string; readonly error: string }[];
  readonly error?: string;
  /** When the figures of this source were read. */
  readonly readAt?: string;
}

export interface CostReport {
  readonly month: string;
  readonly asOf: string;
  /** The month is over: its figures are final, there is nothing to forecast. */
  readonly closed: boolean;
  readonly totals: readonly ProviderTotal[];
  readonly categories: readonly CategoryTotal[];
  readonly lines: readonly CostLineReport[];
  readonly backtest: readonly SeriesBacktest[];
  readonly unmapped: { readonly rows: number; readonly services: readonly { readonly provider: string; readonly service: string; readonly rows: number }[] };
  readonly badRows: { readonly rows: number; readonly counts: readonly { readonly provider: string; readonly reason: BadRowReason; readonly rows: number }[]; readonly samples: readonly BadRowSample[] };
  readonly rowsRead: number;
  readonly rowsBeforeWindow: number;
  readonly sources: readonly SourceStatus[];
}

export interface ReportOptions {
  /** The month to report, `YYYY-MM`. */
  readonly month: string;
  /** The instant the figures are as of: now for the current month; the month's end for a past one. */
  readonly asOfMs: number;
  readonly forecast: ForecastConfig;
  readonly budgets: readonly BudgetConfig[];
  /** Past months the backtest may use. */
  readonly historyMonths: number;
  readonly sources?: readonly SourceStatus[];
}

export function buildReport(ledger: CostLedger, options: ReportOptions): CostReport {
  const { month, forecast: settings } = options;
  const { startMs, endMs } = monthBounds(month);
  const asOfMs = Math.min(options.asOfMs, endMs);
  const closed = asOfMs >= endMs;
  const firstDay = dayNumber(startMs);
  const monthDays = daysInMonth(month);
  // Complete days: those before the as-of day (today's charges are still arriving).
  const completeDays = Math.min(monthDays, dayNumber(asOfMs) - firstDay);

  const lines = [...ledger.lines.values()]
    .filter((line) => line.month === month)
    .map(({ provider, region, category, service, currency, cost, rows }) => ({ provider, region, category, service, currency, cost, rows }))
    .sort((a, b) => b.cost - a.cost || a.provider.localeCompare(b.provider) || a.service.localeCompare(b.service));

  const forecastOf = (days: ReadonlyMap<number, number>, monthToDate: number): ForecastReport | undefined => {
    if (closed || completeDays < settings.minDays) return undefined;
    const dailyCosts = Array.from({ length: completeDays }, (_, index) => days.get(firstDay + index) ?? 0);
    return { ...forecastMonthEnd({ dailyCosts, daysInMonth: monthDays, confidenceLevel: settings.confidenceLevel, monthToDate }), confidenceLevel: settings.confidenceLevel };
  };
  const monthCost = (days: ReadonlyMap<number, number>): number => {
    let total = 0;
    for (let day = firstDay; day < firstDay + monthDays; day++) total += days.get(day) ?? 0;
    return total;
  };

  const totals: ProviderTotal[] = [];
  const categories: CategoryTotal[] = [];
  const seriesBacktests: SeriesBacktest[] = [];
  const seen = new Set<string>();
  for (const [key, days] of ledger.series()) {
    if (!hasDaysIn(days, firstDay, monthDays)) continue;
    const monthToDate = monthCost(days);
    const forecast = forecastOf(days, monthToDate);
    if (key.category !== undefined) {
      categories.push({ provider: key.provider, category: key.category, currency: key.currency, monthToDate, forecast });
      continue;
    }
    seen.add(`${key.provider} ${key.currency}`);
    const budget = options.budgets.find((candidate) => candidate.provider === key.provider && candidate.currency === key.currency);
    totals.push({ provider: key.provider, currency: key.currency, monthToDate, forecast, budget: budget && budgetShares(budget.amount, monthToDate, forecast) });
  }
  for (const budget of options.budgets) {
    if (!seen.has(`${budget.provider} ${budget.currency}`)) totals.push({ provider: budget.provider, currency: budget.currency, monthToDate: 0, budget: budgetShares(budget.amount, 0, undefined) });
  }
  for (const [key, days] of ledger.series()) {
    if (key.category !== undefined) continue;
    const result = seriesBacktest(key, days, month, options.historyMonths, settings);
    if (result) seriesBacktests.push(result);
  }

  const unmappedServices = ledger.unmappedServices().sort((a, b) => b.rows - a.rows);
  const badCounts = ledger.badRowCounts();
  return {
    month,
    asOf: formatTimestamp(asOfMs),
    closed,
    totals: totals.sort(byProviderCurrency),
    categories: categories.sort((a, b) => byProviderCurrency(a, b) || b.monthToDate - a.monthToDate),
    lines,
    backtest: seriesBacktests.sort(byProviderCurrency),
    unmapped: { rows: unmappedServices.reduce((total, entry) => total + entry.rows, 0), services: unmappedServices },
    badRows: { rows: badCounts.reduce((total, entry) => total + entry.rows, 0), counts: badCounts, samples: ledger.badRowSamples },
    rowsRead: ledger.rows,
    rowsBeforeWindow: ledger.rowsBeforeWindow,
    sources: options.sources ?? [],
  };
}

function budgetShares(amount: number, monthToDate: number, forecast: ForecastReport | undefined): ProviderTotal['budget'] {
  return { amount, monthToDateShare: monthToDate / amount, forecastShare: forecast && forecast.point / amount };
}

/**
 * The backtest of one provider's series on the months before `month` that the data covers completely (cost on
 * their first and last day: an export that started mid-month would make a month look cheap).
 */
function seriesBacktest(key: DailySeriesKey, days: ReadonlyMap<number, number>, month: string, historyMonths: number, settings: ForecastConfig): SeriesBacktest | undefined {
  const history = [];
  for (let back = historyMonths; back >= 1; back--) {
    const past = addMonths(month, -back);
    const first = dayNumber(monthBounds(past).startMs);
    const length = daysInMonth(past);
    if (!days.has(first) || !days.has(first + length - 1)) continue;
    history.push({ month: past, dailyCosts: Array.from({ length }, (_, index) => days.get(first + index) ?? 0) });
  }
  if (history.length === 0) return undefined;
  const result = backtest(history, settings.backtestDays, settings.confidenceLevel);
  return { provider: key.provider, currency: key.currency, mape: result.mape, mapeByDay: result.mapeByDay, coverage: result.coverage, months: result.months };
}

function hasDaysIn(days: ReadonlyMap<number, number>, firstDay: number, count: number): boolean {
  for (let day = firstDay; day < firstDay + count; day++) if (days.has(day)) return true;
  return false;
}

function byProviderCurrency(a: { provider: string; currency: string }, b: { provider: string; currency: string }): number {
  return a.provider.localeCompare(b.provider) || a.currency.localeCompare(b.currency);
}
