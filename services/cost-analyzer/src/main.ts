/**
 * `npm run cost -- --config PATH` (the image's entrypoint, same flags) serves; `npm run cost -- report --config
 * PATH ...` prints one report. A bad config or command line exits 2 with every problem listed.
 */
import { ConfigError } from '../../common/src/config';
import { createLogger } from '../../common/src/logger';
import { drainOnSignals } from '../../common/src/shutdown';
import { parseCommand, UsageError, type Command } from './cli';
import type { CostAnalyzerConfig } from './config';
import { loadCostAnalyzerConfig } from './load-config';
import { runReportCommand } from './report-command';
import { CostAnalyzerService } from './service';

/** Below the chart's terminationGracePeriodSeconds (30), so the drain ends before the kubelet's SIGKILL. */
const DRAIN_TIMEOUT_MS = 25_000;

async function main(): Promise<void> {
  let command: Command;
  let config: CostAnalyzerConfig;
  try {
    command = parseCommand(process.argv.slice(2));
    config = loadCostAnalyzerConfig(command.configPath);
  } catch (error) {
    process.stderr.write(`${error instanceof ConfigError || error instanceof UsageError ? error.message : `cost-analyzer: ${(error as Error).message}`}\n`);
    process.exit(2);
  }
  if (command.kind === 'report') {
    // The report goes to stdout; logs to stderr, warnings and worse unless the config asks for more.
    const logger = createLogger({ service: 'cost-analyzer', level: config.logLevel === 'info' ? 'warn' : config.logLevel, destination: process.stderr });
    try {
      process.exitCode = await runReportCommand(command, config, { logger, stdout: process.stdout });
    } catch (error) {
      process.stderr.write(`cost-analyzer report: ${(error as Error).message}\n`);
      process.exitCode = 1;
    }
    return;
  }
  const logger = createLogger({ service: 'cost-analyzer', level: config.logLevel });
  const service = new CostAnalyzerService(config, { logger });
  drainOnSignals({ logger, drain: () => service.stop(), timeoutMs: DRAIN_TIMEOUT_MS });
  await service.start();
}

main().catch((error: unknown) => {
  process.stderr.write(`cost-analyzer: ${(error as Error).stack ?? String(error)}\n`);
  process.exit(1);
});
