/**
 * `npm run failover -- --config PATH`, or the image's entrypoint with the same flags: loads and validates the
 * config, runs the controller, drains on SIGTERM and exits 0. A bad config exits 2 with every problem listed.
 */
import { configPathFromArgs } from '../../common/src/args';
import { ConfigError } from '../../common/src/config';
import { createLogger } from '../../common/src/logger';
import { drainOnSignals } from '../../common/src/shutdown';
import type { FailoverConfig } from './config';
import { loadFailoverConfig } from './load-config';
import { FailoverController } from './controller';

/** Below the chart's terminationGracePeriodSeconds (30), so the drain ends before the kubelet's SIGKILL. */
const DRAIN_TIMEOUT_MS = 25_000;

async function main(): Promise<void> {
  let config: FailoverConfig;
  try {
    config = loadFailoverConfig(configPathFromArgs(process.argv.slice(2)));
  } catch (error) {
    process.stderr.write(`${error instanceof ConfigError ? error.message : `failover: ${(error as Error).message}`}\n`);
    process.exit(2);
  }
  const logger = createLogger({ service: 'failover', level: config.logLevel, bindings: { instance: config.instance.name, observer: config.instance.region } });
  const controller = new FailoverController(config, { logger });
  drainOnSignals({ logger, drain: () => controller.stop(), timeoutMs: DRAIN_TIMEOUT_MS });
  await controller.start();
}

main().catch((error: unknown) => {
  process.stderr.write(`failover: ${(error as Error).stack ?? String(error)}\n`);
  process.exit(1);
});
