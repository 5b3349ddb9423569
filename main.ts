/**
 * Entry point: turns one environment config into stacks and synthesizes them.
 * The only place the IaC reads process.env:
 *   SKYLINE_ENV     dev | staging | prod (default dev)
 *   SKYLINE_CONFIG  path to a JSON file merged over the embedded config
 *   SKYLINE_*_ID    real account, project and subscription IDs (see docs/configuration.md)
 */
import { App } from 'cdktf';
import { environmentOverridesFromProcess } from './stacks/environments/overrides';
import { loadEnvironment } from './stacks/environments/load';
import { addEnvironment } from './stacks/skyline-app';

const environment = loadEnvironment(process.env.SKYLINE_ENV ?? 'dev', environmentOverridesFromProcess(process.env));
const app = new App();
addEnvironment(app, environment);
app.synth();
