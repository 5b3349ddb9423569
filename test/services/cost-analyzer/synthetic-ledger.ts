/** Ledgers of synthetic months with known answers, for the report and metrics tests. */
import { CostLedger } from '../../../services/cost-analyzer/src/cost-ledger';
import type { ServiceCategory } from '../../../services/cost-analyzer/src/focus/columns';

export interface SyntheticDay {
  readonly day: string; // YYYY-MM-DD
  readonly cost: number;
  readonly provider?: string;
  readonly currency?: string;
  readonly category?: ServiceCategory;
  readonly service?: string;
  readonly region?: string;
}

export function ledgerOf(days: readonly SyntheticDay[]): CostLedger {
  const ledger = new CostLedger();
  for (const entry of days) {
    const provider = entry.provider ?? 'aws';
    ledger.add({
      values: {},
      provider,
      region: entry.region ?? 'us-west-2',
      category: entry.category ?? 'Compute',
      service: entry.service ?? 'Amazon Elastic Compute Cloud',
      currency: entry.currency ?? 'USD',
      billedCost: entry.cost,
      chargePeriodStartMs: Date.parse(`${entry.day}T06:00:00Z`),
      unmapped: false,
    });
  }
  return ledger;
}

/** Every day of `month` (YYYY-MM) up to `lastDay`, costing `cost(day)`. */
export function month(monthText: string, lastDay: number, cost: (day: number) => number, extra: Omit<SyntheticDay, 'day' | 'cost'> = {}): SyntheticDay[] {
  return Array.from({ length: lastDay }, (_, index) => ({ ...extra, day: `${monthText}-${String(index + 1).padStart(2, '0')}`, cost: cost(index + 1) }));
}
