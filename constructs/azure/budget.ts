import { ConsumptionBudgetSubscription } from '@cdktf/provider-azurerm/lib/consumption-budget-subscription';
import { Fn } from 'cdktf';
import { Construct } from 'constructs';
import { checkBudgetNotifications, type BudgetNotificationProps } from '../common/budget-notifications';

export interface AzureBudgetProps extends BudgetNotificationProps {
  /** Budget name, unique in the subscription: letters, digits, `-` and `_`. */
  readonly name: string;
  /** The subscription whose spend counts (a UUID). */
  readonly subscriptionId: string;
  /** The monthly amount, in the subscription's billing currency (Azure budgets carry no currency of their own). */
  readonly monthlyAmount: number;
}

/**
 * A monthly consumption budget on the subscription, with an e-mail notification per threshold (on actual or
 * forecasted cost). It only notifies: nothing is capped.
 */
export class AzureBudget extends Construct {
  readonly budget: ConsumptionBudgetSubscription;

  constructor(scope: Construct, id: string, props: AzureBudgetProps) {
    super(scope, id);
    checkBudgetNotifications(`AzureBudget ${props.name}`, props);
    this.budget = new ConsumptionBudgetSubscription(this, 'budget', {
      name: props.name,
      subscriptionId: `/subscriptions/${props.subscriptionId}`,
      amount: props.monthlyAmount,
      timeGrain: 'Monthly',
      // The API wants the first day of a month, at most one period in the past: the month of the first apply. Later
      // plans keep it (ignore_changes below): a new start date would replace the budget and reset its history.
      timePeriod: { startDate: Fn.formatdate("YYYY-MM-01'T'00:00:00'Z'", Fn.timestamp()) },
      notification: props.thresholds.map((threshold) => ({
        enabled: true,
        operator: 'GreaterThanOrEqualTo',
        threshold: threshold.percent,
        thresholdType: threshold.basis === 'actual' ? 'Actual' : 'Forecasted',
        contactEmails: [...props.recipients],
      })),
      lifecycle: { ignoreChanges: ['time_period'] },
    });
  }
}
