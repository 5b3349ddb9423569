import { AwsBudget } from '../../../constructs/aws/budget';
import { onlyResourceOfType, synthConstructs } from '../../helpers/synth';

const props = {
  name: 'skyline-test-monthly',
  monthlyAmountUsd: 1234.5,
  thresholds: [
    { percent: 80, basis: 'actual' as const },
    { percent: 110, basis: 'forecasted' as const },
  ],
  recipients: ['finops@example.com', 'platform@example.com'],
};

describe('aws AwsBudget', () => {
  const budget = onlyResourceOfType(
    synthConstructs((scope) => new AwsBudget(scope, 'budget', props)),
    'aws_budgets_budget',
  );

  it('is a monthly cost budget in US dollars', () => {
    expect(budget).toMatchObject({ name: 'skyline-test-monthly', budget_type: 'COST', time_unit: 'MONTHLY', limit_amount: '1234.50', limit_unit: 'USD' });
  });

  it('notifies every recipient at each threshold, on actual or forecasted spend', () => {
    expect(budget.notification).toEqual([
      { comparison_operator: 'GREATER_THAN', notification_type: 'ACTUAL', threshold: 80, threshold_type: 'PERCENTAGE', subscriber_email_addresses: props.recipients },
      { comparison_operator: 'GREATER_THAN', notification_type: 'FORECASTED', threshold: 110, threshold_type: 'PERCENTAGE', subscriber_email_addresses: props.recipients },
    ]);
  });

  it('refuses a budget that would tell nobody', () => {
    expect(() => synthConstructs((scope) => new AwsBudget(scope, 'budget', { ...props, recipients: [] }))).toThrow(
      'AwsBudget skyline-test-monthly: recipients is empty: list at least one e-mail address',
    );
  });
});
