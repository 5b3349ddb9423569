/**
 * The report on synthetic months with known answers: month-to-date, the forecast from complete days only,
 * currencies kept apart, budgets, the backtest on whole past months, closed months.
 */
import { parseCostAnalyzerConfig } from '../../../services/cost-analyzer/src/config';
import { buildReport, type ReportOptions } from '../../../services/cost-analyzer/src/report';
import { ledgerOf, month } from './synthetic-ledger';

const config = parseCostAnalyzerConfig({ sources: [{ provider: 'aws', kind: 'file', path: '/x' }] });
const options = (overrides: Partial<ReportOptions>): ReportOptions => ({
  month: '2024-06',
  asOfMs: Date.parse('2024-06-11T12:00:00Z'),
  forecast: config.forecast,
  budgets: [],
  historyMonths: 3,
  ...overrides,
});
const linear = (day: number): number => 100 + 2 * (day - 1);

describe('buildReport', () => {
  it('forecasts from the complete days and counts today in the month to date', () => {
    // Days 1–10 complete at 100, day 11 half-way (50 so far): 1050 to date; 1000 + 20 days at 100 = 3000.
    const ledger = ledgerOf([...month('2024-06', 10, () => 100), { day: '2024-06-11', cost: 50 }]);
    const report = buildReport(ledger, options({}));
    expect(report.closed).toBe(false);
    expect(report.totals).toHaveLength(1);
    expect(report.totals[0].monthToDate).toBe(1050);
    expect(report.totals[0].forecast).toEqual({ point: 3000, lower: 3000, upper: 3000, daysObserved: 7, confidenceLevel: 0.9 });
  });

  it('keeps currencies apart and reports budgets, also those with no cost yet', () => {
    const ledger = ledgerOf([...month('2024-06', 10, () => 109), ...month('2024-06', 10, () => 5000, { provider: 'azure', currency: 'INR', service: 'Virtual Machines', region: 'centralindia' })]);
    const report = buildReport(ledger, options({ budgets: [{ provider: 'aws', amount: 3000, currency: 'USD' }, { provider: 'gcp', amount: 500, currency: 'EUR' }] }));
    expect(report.totals.map((total) => [total.provider, total.currency, Math.round(total.monthToDate)])).toEqual([
      ['aws', 'USD', 1090],
      ['azure', 'INR', 50_000],
      ['gcp', 'EUR', 0],
    ]);
    expect(report.totals[0].budget!.forecastShare).toBeCloseTo((30 * 109) / 3000, 9);
    expect(report.totals[1].forecast!.point).toBeCloseTo(150_000, 6);
    expect(report.totals[2]).toMatchObject({ budget: { amount: 500, monthToDateShare: 0 } });
    expect(report.lines.map((line) => line.currency)).toEqual(['INR', 'USD']); // by cost, never added up
  });

  it('forecasts per category too', () => {
    const ledger = ledgerOf([...month('2024-06', 10, () => 10), ...month('2024-06', 10, () => 4, { category: 'Storage', service: 'Amazon Simple Storage Service' })]);
    const report = buildReport(ledger, options({}));
    expect(report.categories.map((category) => [category.category, category.forecast!.point])).toEqual([
      ['Compute', 300],
      ['Storage', 120],
    ]);
    expect(report.totals[0].forecast!.point).toBeCloseTo(420, 9);
  });

  it('makes no forecast before minDays complete days', () => {
    const report = buildReport(ledgerOf(month('2024-06', 3, linear)), options({ asOfMs: Date.parse('2024-06-03T10:00:00Z') }));
    expect(report.totals[0].monthToDate).toBe(306);
    expect(report.totals[0].forecast).toBeUndefined();
  });

  it('reports a past month as closed, with its final cost and no forecast', () => {
    const report = buildReport(ledgerOf(month('2024-06', 30, linear)), options({ asOfMs: Date.parse('2024-08-15T00:00:00Z') }));
    expect(report).toMatchObject({ closed: true, asOf: '2024-07-01T00:00:00Z' });
    expect(report.totals[0].monthToDate).toBe(3870);
    expect(report.totals[0].forecast).toBeUndefined();
  });

  it('backtests on the whole past months only', () => {
    const ledger = ledgerOf([
      ...month('2024-03', 31, () => 7),
      ...month('2024-04', 30, (day) => (day <= 15 ? 10 : 20)), // doubles mid-month: the forecast misses
      ...month('2024-05', 31, () => 7).filter((_, index) => index >= 4), // the export began on May 5: not whole
      ...month('2024-06', 10, linear),
    ]);
    const report = buildReport(ledger, options({}));
    expect(report.backtest).toHaveLength(1);
    const [series] = report.backtest;
    expect(series.months.map((entry) => entry.month)).toEqual(['2024-03', '2024-04']);
    expect(series.mapeByDay[7]).toBeCloseTo((0 + 1 / 3) / 2, 9); // March exact; April 300 vs 450 at day 7
    expect(series.coverage).toBeGreaterThan(0);
  });
});
