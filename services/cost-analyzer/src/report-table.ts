/** The report as text tables, for `npm run cost -- report`. */
import type { CostReport, ForecastReport } from './report';

/** Bad rows listed with their location in the printed report (the JSON report keeps more). */
const PRINTED_BAD_ROWS = 20;

export function renderReport(report: CostReport): string {
  const out: string[] = [];
  out.push(`Cost report ${report.month} (as of ${report.asOf}${report.closed ? ', month closed' : ''}): ${report.rowsRead} rows read`);

  out.push('', 'Totals');
  out.push(
    table(
      ['provider', 'currency', 'month to date', 'forecast', 'interval', 'budget', 'forecast/budget'],
      report.totals.map((total) => [
        total.provider,
        total.currency,
        money(total.monthToDate),
        total.forecast ? money(total.forecast.point) : report.closed ? '(closed)' : '(too early)',
        interval(total.forecast),
        total.budget ? money(total.budget.amount) : '',
        total.budget?.forecastShare !== undefined ? percent(total.budget.forecastShare) : '',
      ]),
    ),
  );

  out.push('', 'By category');
  out.push(table(['provider', 'category', 'currency', 'month to date', 'forecast', 'interval'], report.categories.map((category) => [category.provider, category.category, category.currency, money(category.monthToDate), category.forecast ? money(category.forecast.point) : '', interval(category.forecast)])));

  out.push('', 'By provider, region, category and service');
  out.push(table(['provider', 'region', 'category', 'service', 'currency', 'cost', 'rows'], report.lines.map((line) => [line.provider, line.region, line.category, line.service, line.currency, money(line.cost), String(line.rows)])));

  if (report.backtest.length > 0) {
    const days = [...new Set(report.backtest.flatMap((series) => Object.keys(series.mapeByDay)))].sort((a, b) => Number(a) - Number(b));
    out.push('', 'Forecast backtest (mean absolute percentage error of the end-of-month forecast made at day N of past months)');
    out.push(
      table(
        ['provider', 'currency', 'months', ...days.map((day) => `day ${day}`), 'all', 'interval coverage'],
        report.backtest.map((series) => [series.provider, series.currency, series.months.map((month) => month.month).join(' '), ...days.map((day) => percentOrBlank(series.mapeByDay[Number(day)])), percentOrBlank(series.mape), percentOrBlank(series.coverage)]),
      ),
    );
  }

  out.push('', `Unmapped services (category Other): ${report.unmapped.rows} rows`);
  if (report.unmapped.services.length > 0) out.push(table(['provider', 'service', 'rows'], report.unmapped.services.map((entry) => [entry.provider, entry.service, String(entry.rows)])));

  out.push('', `Bad rows (not counted): ${report.badRows.rows}`);
  if (report.badRows.rows > 0) {
    out.push(table(['provider', 'reason', 'rows'], report.badRows.counts.map((entry) => [entry.provider, entry.reason, String(entry.rows)])));
    out.push(table(['location', 'reason', 'detail'], report.badRows.samples.slice(0, PRINTED_BAD_ROWS).map((sample) => [sample.location, sample.reason, sample.detail])));
    if (report.badRows.rows > PRINTED_BAD_ROWS) out.push(`(first ${Math.min(PRINTED_BAD_ROWS, report.badRows.samples.length)} shown; /report lists up to ${report.badRows.samples.length})`);
  }

  out.push('', 'Sources');
  out.push(
    table(
      ['source', 'provider', 'status', 'parts read', 'gone', 'failed', 'where'],
      report.sources.map((source) => [source.name, source.provider, source.status, String(source.partsRead), String(source.partsGone.length), String(source.partsFailed.length), source.error ?? source.description]),
    ),
  );
  for (const source of report.sources) for (const failure of source.partsFailed) out.push(`  ${source.name}: ${failure.location}: ${failure.error}`);
  return `${out.join('\n')}\n`;
}

function table(header: readonly string[], rows: readonly (readonly string[])[]): string {
  if (rows.length === 0) return '  (none)';
  const widths = header.map((name, column) => Math.max(name.length, ...rows.map((row) => row[column].length)));
  const line = (cells: readonly string[]): string => `  ${cells.map((cell, column) => cell.padEnd(widths[column])).join('  ')}`.trimEnd();
  return [line(header.map((name) => name.toUpperCase())), ...rows.map(line)].join('\n');
}

function money(amount: number): string {
  return amount.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 });
}

function interval(forecast: ForecastReport | undefined): string {
  return forecast ? `${money(forecast.lower)} - ${money(forecast.upper)} (${Math.round(forecast.confidenceLevel * 100)}%)` : '';
}

function percent(ratio: number): string {
  return `${(ratio * 100).toFixed(1)}%`;
}

function percentOrBlank(ratio: number | undefined): string {
  return ratio === undefined ? '' : percent(ratio);
}
