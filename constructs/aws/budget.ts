import { BudgetsBudget } from '@cdktf/provider-aws/lib/budgets-budget';
import { Construct } from 'constructs';
import { checkBudgetNotifications, type BudgetNotificationProps } from '../common/budget-notifications';

export interface AwsBudgetProps extends BudgetNotificationProps {
  /** Budget name, unique in the account. */
  readonly name: string;
  /** The monthly limit, in US dollars: the only currency AWS Budgets tracks cost in. */
  readonly monthlyAmountUsd: number;
}

/**
 * A monthly cost budget for the whole account, with an e-mail notification per threshold. It only notifies: no
 * budget action stops or throttles anything, because an outage costs more than an overspend.
 */
export class AwsBudget extends Construct {
  readonly budget: BudgetsBudget;

  constructor(scope: Construct, id: string, props: AwsBudgetProps) {
    super(scope, id);
    checkBudgetNotifications(`AwsBudget ${props.name}`, props);
    this.budget = new BudgetsBudget(this, 'budget', {
      name: props.name,
      budgetType: 'COST',
      timeUnit: 'MONTHLY',
      limitAmount: props.monthlyAmountUsd.toFixed(2),
      limitUnit: 'USD',
      notification: props.thresholds.map((threshold) => ({
        comparisonOperator: 'GREATER_THAN',
        notificationType: threshold.basis === 'actual' ? 'ACTUAL' : 'FORECASTED',
        threshold: threshold.percent,
        thresholdType: 'PERCENTAGE',
        subscriberEmailAddresses: [...props.recipients],
      })),
    });
  }
}
