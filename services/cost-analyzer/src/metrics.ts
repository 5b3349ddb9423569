/**
 * The analyzer's Prometheus series (DESIGN § 6 names), on its own registry, set from each report. Gauges are
 * reset before each report is applied, so a service that left the bill leaves the metrics too.
 */
import { Counter, Gauge, type Registry } from 'prom-client';
import type { CostReport, ForecastReport } from './report';

export class CostMetrics {
  readonly monthToDate: Gauge<'provider' | 'region' | 'category' | 'service' | 'currency'>;
  readonly forecast: Gauge<'provider' | 'currency' | 'bound'>;
  readonly categoryForecast: Gauge<'provider' | 'category' | 'currency' | 'bound'>;
  readonly budget: Gauge<'provider' | 'currency'>;
  readonly backtestError: Gauge<'provider' | 'currency' | 'day'>;
  readonly unmappedRows: Counter<'provider'>;
  readonly badRows: Counter<'provider' | 'reason'>;
  readonly rowsRead: Counter<'source'>;
  readonly sourceUp: Gauge<'source'>;
  readonly lastRefresh: Gauge;

  constructor(readonly registry: Registry) {
    const registers = [registry];
    this.monthToDate = new Gauge({ name: 'skyline_cost_month_to_date', help: 'Billed cost of the current month so far (FOCUS BilledCost), per provider, region, FOCUS ServiceCategory, service and currency', labelNames: ['provider', 'region', 'category', 'service', 'currency'], registers });
    this.forecast = new Gauge({ name: 'skyline_cost_forecast_end_of_month', help: 'Forecast billed cost of the whole current month per provider and currency; bound="point" is the forecast, "lower"/"upper" its prediction interval', labelNames: ['provider', 'currency', 'bound'], registers });
    this.categoryForecast = new Gauge({ name: 'skyline_cost_category_forecast_end_of_month', help: 'Forecast billed cost of the whole current month per provider, FOCUS ServiceCategory and currency; bound point/lower/upper', labelNames: ['provider', 'category', 'currency', 'bound'], registers });
    this.budget = new Gauge({ name: 'skyline_cost_budget_amount', help: 'Monthly budget per provider and currency, from the config', labelNames: ['provider', 'currency'], registers });
    this.backtestError = new Gauge({ name: 'skyline_cost_forecast_backtest_error_ratio', help: "Mean absolute percentage error (as a ratio) of the end-of-month forecast made at the given day of past months; day=\"all\" over every forecast day", labelNames: ['provider', 'currency', 'day'], registers });
    this.unmappedRows = new Counter({ name: 'skyline_cost_unmapped_rows_total', help: 'Rows read whose service the category mapping does not list (counted as Other); every refresh re-reads the exports and counts again', labelNames: ['provider'], registers });
    this.badRows = new Counter({ name: 'skyline_cost_bad_rows_total', help: 'Rows not counted because they are bad (reason amount, date, currency or columns); every refresh re-reads the exports and counts again', labelNames: ['provider', 'reason'], registers });
    this.rowsRead = new Counter({ name: 'skyline_cost_rows_read_total', help: 'Rows read and counted, per source', labelNames: ['source'], registers });
    this.sourceUp = new Gauge({ name: 'skyline_cost_source_up', help: '1 if the latest read of the source completed (every part read or gone), else 0', labelNames: ['source'], registers });
    this.lastRefresh = new Gauge({ name: 'skyline_cost_last_refresh_timestamp_seconds', help: 'When the latest report was computed (Unix time)', registers });
  }

  /** Sets the gauges from a report of the current month. */
  applyReport(report: CostReport, budgets: readonly { provider: string; currency: string; amount: number }[], nowMs: number): void {
    this.monthToDate.reset();
    this.forecast.reset();
    this.categoryForecast.reset();
    this.budget.reset();
    this.backtestError.reset();
    for (const line of report.lines) {
      this.monthToDate.inc({ provider: line.provider, region: line.region, category: line.category, service: line.service, currency: line.currency }, line.cost);
    }
    for (const total of report.totals) setBounds(this.forecast, { provider: total.provider, currency: total.currency }, total.forecast);
    for (const category of report.categories) setBounds(this.categoryForecast, { provider: category.provider, category: category.category, currency: category.currency }, category.forecast);
    for (const budget of budgets) this.budget.set({ provider: budget.provider, currency: budget.currency }, budget.amount);
    for (const series of report.backtest) {
      if (series.mape !== undefined) this.backtestError.set({ provider: series.provider, currency: series.currency, day: 'all' }, series.mape);
      for (const [day, error] of Object.entries(series.mapeByDay)) this.backtestError.set({ provider: series.provider, currency: series.currency, day }, error);
    }
    this.lastRefresh.set(nowMs / 1000);
  }
}

function setBounds<Label extends string>(gauge: Gauge<Label | 'bound'>, labels: Record<Label, string>, forecast: ForecastReport | undefined): void {
  if (forecast === undefined) return;
  gauge.set({ ...labels, bound: 'point' } as Record<Label | 'bound', string>, forecast.point);
  gauge.set({ ...labels, bound: 'lower' } as Record<Label | 'bound', string>, forecast.lower);
  gauge.set({ ...labels, bound: 'upper' } as Record<Label | 'bound', string>, forecast.upper);
}
