/**
 * One region's model server stand-in as a process (the runner starts three):
 *
 *   node --require ./scripts/register-ts.js scripts/local/serving/main.ts --region us-west-2 --cloud aws \
 *     --model example-model --directory /tmp/.../models --reload-file /tmp/.../models/.reload --port 8080
 *
 * (`--reload-path /admin/reload` instead of `--reload-file` takes the sidecar's POST.) At start it loads the
 * version the sync sidecar made current before, if any: the sidecar signals switches only. SIGTERM closes the
 * port and exits 0.
 */
import { createLogger } from '../../../services/common/src/logger';
import { drainOnSignals } from '../../../services/common/src/shutdown';
import { ServingStandIn, type ReloadSignal } from './stand-in';

const USAGE = 'usage: --region NAME --cloud CLOUD --model NAME --directory DIR (--reload-file PATH | --reload-path /PATH) --port PORT';

function parseArgs(argv: readonly string[]): Map<string, string> {
  const flags = new Map<string, string>();
  for (let index = 0; index < argv.length; index += 2) {
    const [flag, value] = [argv[index], argv[index + 1]];
    if (!flag.startsWith('--') || value === undefined) throw new Error(`${flag} needs a value; ${USAGE}`);
    flags.set(flag.slice(2), value);
  }
  return flags;
}

async function main(): Promise<void> {
  const flags = parseArgs(process.argv.slice(2));
  const flag = (name: string): string => {
    const value = flags.get(name);
    if (value === undefined) throw new Error(`--${name} is missing; ${USAGE}`);
    return value;
  };
  const reloadFile = flags.get('reload-file');
  const reload: ReloadSignal = reloadFile !== undefined ? { kind: 'file', path: reloadFile } : { kind: 'http', path: flag('reload-path') };
  const region = flag('region');
  const logger = createLogger({ service: 'model-serving', level: 'info', bindings: { region } });
  const standIn = new ServingStandIn({ region, cloud: flag('cloud'), model: flag('model'), directory: flag('directory'), reload, host: '127.0.0.1', port: Number(flag('port')), logger });
  const url = await standIn.start();
  drainOnSignals({ logger, drain: () => standIn.stop(), timeoutMs: 5_000 });
  logger.info({ url, reload }, 'model server stand-in listening');
  try {
    const loaded = await standIn.loadCurrent();
    if (loaded === undefined) logger.info('no current version yet: waiting for the sync sidecar');
  } catch (error) {
    // Still listening: /health answers 503 until the sidecar's next switch brings a version that verifies.
    logger.error({ err: error }, 'the current version does not load');
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`model server stand-in: ${(error as Error).message}\n`);
  process.exit(2);
});
