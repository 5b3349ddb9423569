/** The Leadership adapter for leaderElection.kind. */
import type { Clock } from '../../../common/src/clock';
import type { Logger } from '../../../common/src/logger';
import type { LeaderElectionConfig } from '../config';
import { SingleLeadership, type Leadership } from './leadership';
import { LeaseElector } from './lease-elector';

export interface LeadershipDependencies {
  readonly identity: string;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly onChange: (leader: boolean) => void;
}

export async function createLeadership(config: LeaderElectionConfig, dependencies: LeadershipDependencies): Promise<Leadership> {
  switch (config.kind) {
    case 'single':
      dependencies.onChange(true);
      return new SingleLeadership();
    case 'kubernetes-lease': {
      // Loaded only here: @kubernetes/client-node is an ES module, which Node (>= 20.19) requires natively but
      // Jest's CommonJS runtime cannot load, and the tests never use this adapter (no API server runs there).
      const { KubernetesLeaseStore } = await import('./kubernetes-lease-store');
      return new LeaseElector({
        identity: dependencies.identity,
        store: new KubernetesLeaseStore({ namespace: config.namespace, name: config.leaseName }),
        leaseDurationMs: config.leaseDurationSeconds * 1000,
        renewDeadlineMs: config.renewDeadlineSeconds * 1000,
        retryPeriodMs: config.retryPeriodSeconds * 1000,
        clock: dependencies.clock,
        logger: dependencies.logger,
        onChange: dependencies.onChange,
      });
    }
  }
}
