/**
 * What the three clouds' budgets share: when they notify (thresholds on actual or forecasted spend) and whom.
 * Each budget construct extends these props and maps them to its cloud's notification model.
 */
import type { BudgetThreshold } from '../../stacks/environments/cost-schema';

export interface BudgetNotificationProps {
  /** One notification per threshold: a percentage of the monthly amount, on actual or forecasted spend. */
  readonly thresholds: readonly BudgetThreshold[];
  /** E-mail addresses every notification goes to. */
  readonly recipients: readonly string[];
}

/** Refuses a budget that could never tell anyone anything; the environment config is checked the same way at load. */
export function checkBudgetNotifications(budget: string, props: BudgetNotificationProps): void {
  const problems: string[] = [];
  if (props.thresholds.length === 0) problems.push('thresholds is empty: list at least one, such as { percent: 100, basis: "actual" }');
  if (props.recipients.length === 0) problems.push('recipients is empty: list at least one e-mail address');
  if (problems.length > 0) throw new Error(`${budget}: ${problems.join('; ')}`);
}
