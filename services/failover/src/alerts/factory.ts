/** The Alerts adapter for alerts.kind. */
import type { Clock } from '../../../common/src/clock';
import type { Logger } from '../../../common/src/logger';
import type { FailoverConfig } from '../config';
import { AlertmanagerAlerts } from './alertmanager-alerts';
import { noAlerts, type Alerts } from './alerts';

export function createAlerts(config: FailoverConfig, dependencies: { readonly clock: Clock; readonly logger: Logger }): Alerts {
  const { alerts } = config;
  switch (alerts.kind) {
    case 'none':
      return noAlerts;
    case 'alertmanager':
      return new AlertmanagerAlerts({
        url: alerts.url,
        env: config.env,
        runbookUrl: alerts.runbookUrl,
        repeatMs: alerts.repeatSeconds * 1000,
        timeoutMs: alerts.timeoutSeconds * 1000,
        clock: dependencies.clock,
        logger: dependencies.logger,
      });
  }
}
