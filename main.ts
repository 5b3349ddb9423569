/**
 * Entry point: turns one environment config into stacks and synthesizes them.
 * The only place the IaC reads process.env:
 *   SKYLINE_ENV     dev | staging | prod (default dev)
 *   SKYLINE_CONFIG  path to a JSON file merged over the embedded config
 *   SKYLINE_*       real account, project and subscription IDs (docs/configuration.md)
 */
import { App } from 'cdktf';
import { loadEnvironment } from './stacks/environments/load';
import { environmentOverridesFromProcess } from './stacks/environments/overrides';
import { ConfigError } from './stacks/environments/validate';
import { addBootstrapStack, addEnvironment } from './stacks/skyline-app';

function main(): void {
  const environment = loadEnvironment(process.env.SKYLINE_ENV ?? 'dev', environmentOverridesFromProcess(process.env));
  const app = new App();
  addEnvironment(app, environment);
  addBootstrapStack(app, environment);
  app.synth();
}

try {
  main();
} catch (error) {
  // A config mistake is the user's to fix: show the list of problems, not a stack trace.
  if (!(error instanceof ConfigError) && !(error instanceof Error && error.message.startsWith('SKYLINE_'))) throw error;
  console.error(error.message);
  process.exit(1);
}
