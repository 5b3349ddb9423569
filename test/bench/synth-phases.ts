/**
 * Runs one synthesis in this process and prints how long each phase took, as
 * JSON on stdout: where a synth's time goes beyond loading modules. Started by
 * synth.bench.ts through the same TypeScript hook as main.ts.
 */
const started = performance.now();
/* eslint-disable @typescript-eslint/no-require-imports -- requires, not imports, so each load is timed where it happens */
const { App } = require('cdktf') as typeof import('cdktf');
const cdktfLoaded = performance.now();
require('zod');
const zodLoaded = performance.now();
const { loadEnvironment } = require('../../stacks/environments/load') as typeof import('../../stacks/environments/load');
const { addEnvironment } = require('../../stacks/skyline-app') as typeof import('../../stacks/skyline-app');
/* eslint-enable @typescript-eslint/no-require-imports */
const programLoaded = performance.now();
const environment = loadEnvironment(process.env.SKYLINE_ENV ?? 'dev');
const validated = performance.now();
const app = new App();
addEnvironment(app, environment);
const constructed = performance.now();
app.synth();
const synthesized = performance.now();

const milliseconds = (from: number, to: number) => Math.round(to - from);
console.log(
  JSON.stringify({
    'node start-up and TypeScript hook': milliseconds(0, started),
    'load cdktf': milliseconds(started, cdktfLoaded),
    'load zod': milliseconds(cdktfLoaded, zodLoaded),
    'load program and provider modules': milliseconds(zodLoaded, programLoaded),
    'validate config': milliseconds(programLoaded, validated),
    'construct stacks': milliseconds(validated, constructed),
    'synthesize (resolve, write JSON)': milliseconds(constructed, synthesized),
  }),
);
