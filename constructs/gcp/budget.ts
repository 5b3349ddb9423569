import { BillingBudget } from '@cdktf/provider-google/lib/billing-budget';
import { MonitoringNotificationChannel } from '@cdktf/provider-google/lib/monitoring-notification-channel';
import { Construct } from 'constructs';
import { checkBudgetNotifications, type BudgetNotificationProps } from '../common/budget-notifications';

/** A budget's notification channels: Cloud Billing accepts at most five. */
const MAX_CHANNELS = 5;

export interface GcpBudgetProps extends BudgetNotificationProps {
  /** Display name of the budget on the billing account. */
  readonly displayName: string;
  /** The Cloud Billing account the budget lives on, e.g. `01A2B3-C4D5E6-F7A8B9`. */
  readonly billingAccountId: string;
  /** The project whose spend counts (the billing account may pay for others), and which holds the notification channels. */
  readonly projectId: string;
  /** Its number: budgets filter projects by number. */
  readonly projectNumber: string;
  /** The monthly amount, in `currency`. */
  readonly monthlyAmount: number;
  /** ISO 4217 code; it must be the billing account's currency, or the API refuses the budget. */
  readonly currency: string;
}

/**
 * A monthly budget on the billing account, scoped to one project, with a threshold rule per threshold (on current
 * or forecasted spend) and an e-mail notification channel per recipient. The billing account's administrators are
 * notified too (Cloud Billing's default). It only notifies: nothing is capped.
 */
export class GcpBudget extends Construct {
  readonly budget: BillingBudget;
  readonly notificationChannels: readonly MonitoringNotificationChannel[];

  constructor(scope: Construct, id: string, props: GcpBudgetProps) {
    super(scope, id);
    checkBudgetNotifications(`GcpBudget ${props.displayName}`, props);
    if (props.recipients.length > MAX_CHANNELS) {
      throw new Error(`GcpBudget ${props.displayName}: ${props.recipients.length} recipients, but a budget takes ${MAX_CHANNELS} notification channels; use a group address`);
    }
    this.notificationChannels = props.recipients.map(
      (email) =>
        // Keyed by address, so reordering the recipients replaces no channel.
        new MonitoringNotificationChannel(this, `recipient-${email.replace(/[^A-Za-z0-9-]/g, '-')}`, {
          project: props.projectId,
          displayName: `${props.displayName}: ${email}`,
          type: 'email',
          labels: { email_address: email },
        }),
    );
    const units = Math.floor(props.monthlyAmount);
    this.budget = new BillingBudget(this, 'budget', {
      billingAccount: props.billingAccountId,
      displayName: props.displayName,
      budgetFilter: { projects: [`projects/${props.projectNumber}`], calendarPeriod: 'MONTH' },
      amount: { specifiedAmount: { currencyCode: props.currency, units: String(units), nanos: Math.round((props.monthlyAmount - units) * 1e9) } },
      thresholdRules: props.thresholds.map((threshold) => ({
        // Cloud Billing takes a fraction: 0.8 is 80 %.
        thresholdPercent: threshold.percent / 100,
        spendBasis: threshold.basis === 'actual' ? 'CURRENT_SPEND' : 'FORECASTED_SPEND',
      })),
      allUpdatesRule: {
        monitoringNotificationChannels: this.notificationChannels.map((channel) => channel.name),
        disableDefaultIamRecipients: false,
      },
    });
  }
}
