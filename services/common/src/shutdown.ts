/**
 * SIGTERM (what Kubernetes sends before it kills a pod) drains the service: `drain` stops taking work and
 * finishes what is in flight, then the process exits 0, so a rollout never counts as a crash. A drain that
 * fails or outlasts `timeoutMs` exits 1, before the kubelet's SIGKILL would end it with nothing logged.
 */
import type { Logger } from './logger';

export interface DrainOptions {
  readonly logger: Logger;
  readonly drain: () => Promise<void>;
  /** Keep below the pod's terminationGracePeriodSeconds. */
  readonly timeoutMs: number;
  /** @default process.exit */
  readonly exit?: (code: number) => void;
}

/** Installs the handlers for SIGTERM and SIGINT (Ctrl-C in a local run); returns a function that removes them. */
export function drainOnSignals(options: DrainOptions): () => void {
  const exit = options.exit ?? ((code: number) => process.exit(code));
  let draining = false;
  const onSignal = (signal: NodeJS.Signals): void => {
    if (draining) return; // a second signal while draining changes nothing
    draining = true;
    options.logger.info({ signal }, 'draining');
    const timer = setTimeout(() => {
      options.logger.error({ timeoutMs: options.timeoutMs }, 'drain timed out');
      exit(1);
    }, options.timeoutMs);
    options
      .drain()
      .then(() => {
        clearTimeout(timer);
        options.logger.info('drained, exiting');
        exit(0);
      })
      .catch((error: unknown) => {
        clearTimeout(timer);
        options.logger.error({ err: error }, 'drain failed');
        exit(1);
      });
  };
  process.on('SIGTERM', onSignal);
  process.on('SIGINT', onSignal);
  return () => {
    process.removeListener('SIGTERM', onSignal);
    process.removeListener('SIGINT', onSignal);
  };
}
