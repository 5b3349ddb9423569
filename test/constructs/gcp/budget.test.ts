import { GcpBudget, type GcpBudgetProps } from '../../../constructs/gcp/budget';
import { onlyResourceOfType, resourcesOfType, synthConstructs } from '../../helpers/synth';

const props: GcpBudgetProps = {
  displayName: 'skyline-test-monthly',
  billingAccountId: '01A2B3-C4D5E6-F7A8B9',
  projectId: 'skyline-test',
  projectNumber: '123456789012',
  monthlyAmount: 1500.25,
  currency: 'EUR',
  thresholds: [
    { percent: 80, basis: 'actual' },
    { percent: 100, basis: 'forecasted' },
  ],
  recipients: ['finops@example.com', 'platform@example.com'],
};

describe('gcp GcpBudget', () => {
  const synthesized = synthConstructs((scope) => new GcpBudget(scope, 'budget', props));
  const budget = onlyResourceOfType(synthesized, 'google_billing_budget');

  it('lives on the billing account and counts the project\'s spend only, by calendar month', () => {
    expect(budget).toMatchObject({ billing_account: '01A2B3-C4D5E6-F7A8B9', display_name: 'skyline-test-monthly' });
    expect(budget.budget_filter).toEqual({ projects: ['projects/123456789012'], calendar_period: 'MONTH' });
  });

  it('states the amount in the billing account\'s currency, units and nanos', () => {
    expect(budget.amount).toEqual({ specified_amount: { currency_code: 'EUR', units: '1500', nanos: 250_000_000 } });
  });

  it('has a threshold rule per threshold, as a fraction, on current or forecasted spend', () => {
    expect(budget.threshold_rules).toEqual([
      { threshold_percent: 0.8, spend_basis: 'CURRENT_SPEND' },
      { threshold_percent: 1, spend_basis: 'FORECASTED_SPEND' },
    ]);
  });

  it('e-mails each recipient through a notification channel of its own, besides the billing administrators', () => {
    const channels = resourcesOfType(synthesized, 'google_monitoring_notification_channel');
    expect(channels.map((channel) => ({ type: channel.type, labels: channel.labels, project: channel.project }))).toEqual(
      props.recipients.map((email) => ({ type: 'email', labels: { email_address: email }, project: 'skyline-test' })),
    );
    expect(budget.all_updates_rule).toEqual({
      monitoring_notification_channels: [
        expect.stringMatching(/google_monitoring_notification_channel\.budget_recipient-finops-example-com_.*\.name/),
        expect.stringMatching(/google_monitoring_notification_channel\.budget_recipient-platform-example-com_.*\.name/),
      ],
      disable_default_iam_recipients: false,
    });
  });

  it('refuses more recipients than a budget takes channels', () => {
    const recipients = ['a', 'b', 'c', 'd', 'e', 'f'].map((name) => `${name}@example.com`);
    expect(() => synthConstructs((scope) => new GcpBudget(scope, 'budget', { ...props, recipients }))).toThrow(/6 recipients, but a budget takes 5 notification channels; use a group address/);
  });

  it('refuses a budget without thresholds', () => {
    expect(() => synthConstructs((scope) => new GcpBudget(scope, 'budget', { ...props, thresholds: [] }))).toThrow(/thresholds is empty/);
  });
});
