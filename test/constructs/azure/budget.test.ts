import { AzureBudget, type AzureBudgetProps } from '../../../constructs/azure/budget';
import { onlyResourceOfType, synthConstructs } from '../../helpers/synth';

const props: AzureBudgetProps = {
  name: 'skyline-test-monthly',
  subscriptionId: '00000000-0000-0000-0000-000000000000',
  monthlyAmount: 1500,
  thresholds: [
    { percent: 80, basis: 'actual' },
    { percent: 100, basis: 'forecasted' },
  ],
  recipients: ['finops@example.com'],
};

describe('azure AzureBudget', () => {
  const budget = onlyResourceOfType(
    synthConstructs((scope) => new AzureBudget(scope, 'budget', props)),
    'azurerm_consumption_budget_subscription',
  );

  it('is a monthly budget on the subscription', () => {
    expect(budget).toMatchObject({ name: 'skyline-test-monthly', subscription_id: '/subscriptions/00000000-0000-0000-0000-000000000000', amount: 1500, time_grain: 'Monthly' });
  });

  it('notifies every recipient at each threshold, on actual or forecasted cost', () => {
    expect(budget.notification).toEqual([
      { enabled: true, operator: 'GreaterThanOrEqualTo', threshold: 80, threshold_type: 'Actual', contact_emails: ['finops@example.com'] },
      { enabled: true, operator: 'GreaterThanOrEqualTo', threshold: 100, threshold_type: 'Forecasted', contact_emails: ['finops@example.com'] },
    ]);
  });

  it('starts on the first of the month of the first apply, and keeps that start so the budget is never replaced', () => {
    expect(budget.time_period).toEqual({ start_date: "${formatdate(\"YYYY-MM-01'T'00:00:00'Z'\", timestamp())}" });
    expect(budget.lifecycle).toEqual({ ignore_changes: ['time_period'] });
  });

  it('refuses a budget that would tell nobody', () => {
    expect(() => synthConstructs((scope) => new AzureBudget(scope, 'budget', { ...props, recipients: [] }))).toThrow(/recipients is empty/);
  });
});
