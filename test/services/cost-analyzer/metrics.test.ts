/** The series a report becomes: names and label sets the alerts and the Helm values depend on. */
import { Registry } from 'prom-client';
import { parseCostAnalyzerConfig } from '../../../services/cost-analyzer/src/config';
import { CostMetrics } from '../../../services/cost-analyzer/src/metrics';
import { buildReport } from '../../../services/cost-analyzer/src/report';
import { ledgerOf, month } from './synthetic-ledger';

describe('CostMetrics', () => {
  it('exports month to date, forecast bounds, budgets and the backtest error', async () => {
    const config = parseCostAnalyzerConfig({ sources: [{ provider: 'aws', kind: 'file', path: '/x' }], budgets: [{ provider: 'aws', amount: 250, currency: 'USD' }] });
    const ledger = ledgerOf([...month('2024-05', 31, () => 10), ...month('2024-06', 10, () => 10)]);
    const report = buildReport(ledger, { month: '2024-06', asOfMs: Date.parse('2024-06-11T00:00:00Z'), forecast: config.forecast, budgets: config.budgets, historyMonths: 3 });
    const metrics = new CostMetrics(new Registry());
    metrics.applyReport(report, config.budgets, Date.parse('2024-06-11T00:00:00Z'));
    const text = await metrics.registry.metrics();
    expect(text).toContain('skyline_cost_month_to_date{provider="aws",region="us-west-2",category="Compute",service="Amazon Elastic Compute Cloud",currency="USD"} 100');
    expect(text).toContain('skyline_cost_forecast_end_of_month{provider="aws",currency="USD",bound="point"} 300');
    expect(text).toContain('skyline_cost_forecast_end_of_month{provider="aws",currency="USD",bound="lower"} 300');
    expect(text).toContain('skyline_cost_forecast_end_of_month{provider="aws",currency="USD",bound="upper"} 300');
    expect(text).toContain('skyline_cost_category_forecast_end_of_month{provider="aws",category="Compute",currency="USD",bound="point"} 300');
    expect(text).toContain('skyline_cost_budget_amount{provider="aws",currency="USD"} 250');
    expect(text).toContain('skyline_cost_forecast_backtest_error_ratio{provider="aws",currency="USD",day="all"} 0');
    expect(text).toContain('skyline_cost_last_refresh_timestamp_seconds 1718064000');

    // A later report without the service drops its series.
    metrics.applyReport(buildReport(ledgerOf([]), { month: '2024-06', asOfMs: Date.parse('2024-06-11T00:00:00Z'), forecast: config.forecast, budgets: [], historyMonths: 0 }), [], 0);
    expect(await metrics.registry.metrics()).not.toContain('skyline_cost_month_to_date{');
  });
});
