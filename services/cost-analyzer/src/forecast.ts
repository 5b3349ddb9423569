/**
 * End-of-month forecast (pure): a run rate. The remaining days of the month cost what the latest whole weeks of
 * complete days cost on average (whole weeks, so a weekday/weekend pattern does not bias the rate; all days while
 * fewer than seven are known). The prediction interval is the one of a sum of m future days around a mean
 * estimated from n days with sample variance s²: Var = s² · (m + m²/n), half-width t_{(1+c)/2, n−1} · √Var.
 * A linear trend fitted to the same days was measured and rejected: on a year of synthetic months with a weekly
 * pattern its backtested error at day 7 was 49 % against 6 % for the run rate (docs/services/cost-analyzer.md).
 * Backtest: the same forecast made at given days of past months, against what those months really cost.
 */
import { studentTQuantile } from './student-t';

export interface MonthForecast {
  /** Expected cost of the whole month. */
  readonly point: number;
  readonly lower: number;
  readonly upper: number;
  /** The complete days the run rate was taken over (the latest whole weeks). */
  readonly daysObserved: number;
}

export interface ForecastInput {
  /** Cost of each complete day of the month so far, day 1 first; at least 3 days. */
  readonly dailyCosts: readonly number[];
  readonly daysInMonth: number;
  /** Coverage of the interval, e.g. 0.9. */
  readonly confidenceLevel: number;
  /**
   * Cost so far, today's incomplete day included; the forecast never ends below it.
   * @default the sum of dailyCosts
   */
  readonly monthToDate?: number;
}

export const MIN_FORECAST_DAYS = 3;
const WEEK = 7;

export function forecastMonthEnd(input: ForecastInput): MonthForecast {
  const { dailyCosts, daysInMonth, confidenceLevel } = input;
  const t = dailyCosts.length;
  if (t < MIN_FORECAST_DAYS) throw new RangeError(`a forecast needs at least ${MIN_FORECAST_DAYS} complete days, got ${t}`);
  if (t > daysInMonth) throw new RangeError(`${t} days observed in a month of ${daysInMonth}`);
  const observed = sum(dailyCosts);
  const monthToDate = Math.max(input.monthToDate ?? observed, observed);

  const n = t >= WEEK ? Math.floor(t / WEEK) * WEEK : t;
  const window = dailyCosts.slice(t - n);
  const rate = sum(window) / n;
  const variance = window.reduce((total, cost) => total + (cost - rate) ** 2, 0) / (n - 1);
  const m = daysInMonth - t;
  const halfWidth = m === 0 ? 0 : studentTQuantile((1 + confidenceLevel) / 2, n - 1) * Math.sqrt(variance * (m + (m * m) / n));

  // Credits can make a day negative; a month's remaining days are not forecast to pay money back.
  const point = Math.max(observed + Math.max(0, rate) * m, monthToDate);
  return { point, lower: Math.max(point - halfWidth, monthToDate), upper: point + halfWidth, daysObserved: n };
}

export interface BacktestForecast {
  /** The day of the month the forecast was made at (days 1..day known). */
  readonly day: number;
  readonly point: number;
  readonly lower: number;
  readonly upper: number;
  /** |point − actual| / |actual|. */
  readonly absolutePercentageError: number;
  /** Whether the actual total fell inside [lower, upper]. */
  readonly covered: boolean;
}

export interface BacktestMonth {
  readonly month: string;
  readonly actual: number;
  readonly forecasts: readonly BacktestForecast[];
}

export interface Backtest {
  readonly months: readonly BacktestMonth[];
  /** Mean absolute percentage error over every forecast; undefined without any month to test on. */
  readonly mape?: number;
  /** The same, per forecast day. */
  readonly mapeByDay: Readonly<Record<number, number>>;
  /** Share of forecasts whose interval held the actual total. */
  readonly coverage?: number;
}

export interface PastMonth {
  readonly month: string;
  /** Cost of every day of the month, day 1 first. */
  readonly dailyCosts: readonly number[];
}

/** Forecasts each past month at each of `days`, compares with its total. Months that cost nothing are skipped. */
export function backtest(history: readonly PastMonth[], days: readonly number[], confidenceLevel: number): Backtest {
  const months: BacktestMonth[] = [];
  for (const { month, dailyCosts } of history) {
    const actual = sum(dailyCosts);
    if (actual === 0) continue;
    const forecasts = days
      .filter((day) => day >= MIN_FORECAST_DAYS && day < dailyCosts.length)
      .map((day) => {
        const forecast = forecastMonthEnd({ dailyCosts: dailyCosts.slice(0, day), daysInMonth: dailyCosts.length, confidenceLevel });
        return {
          day,
          point: forecast.point,
          lower: forecast.lower,
          upper: forecast.upper,
          absolutePercentageError: Math.abs(forecast.point - actual) / Math.abs(actual),
          covered: actual >= forecast.lower && actual <= forecast.upper,
        };
      });
    months.push({ month, actual, forecasts });
  }
  const all = months.flatMap((month) => month.forecasts);
  const mapeByDay: Record<number, number> = {};
  for (const day of days) {
    const errors = all.filter((forecast) => forecast.day === day).map((forecast) => forecast.absolutePercentageError);
    if (errors.length > 0) mapeByDay[day] = sum(errors) / errors.length;
  }
  return {
    months,
    mape: all.length === 0 ? undefined : sum(all.map((forecast) => forecast.absolutePercentageError)) / all.length,
    mapeByDay,
    coverage: all.length === 0 ? undefined : all.filter((forecast) => forecast.covered).length / all.length,
  };
}

function sum(values: readonly number[]): number {
  let total = 0;
  for (const value of values) total += value;
  return total;
}
