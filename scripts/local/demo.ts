/**
 * The guided scenario of `npm run local -- demo`, on a running Platform. Each step prints what happened with
 * its timings and returns them; the end-to-end test (test/local/demo.e2e.test.ts) runs the same function
 * headless and asserts each step's outcome.
 */
import { SAMPLE_BILLING_MONTH } from './billing-exports';
import type { Output } from './output';
import type { Platform } from './platform';
import { printCostReport, type CostReportResult } from './steps/cost-report';
import { publishModel, type PublishResult } from './steps/publish-model';
import { bringRegionBack, takeRegionDown, type OutageResult, type RecoveryResult } from './steps/region-outage';

/** The version the demo publishes (start-up published v1). */
export const DEMO_VERSION = 'v2';

export interface DemoReport {
  readonly publish: PublishResult;
  readonly outage: OutageResult;
  readonly recovery: RecoveryResult;
  readonly cost: CostReportResult;
}

export async function runDemo(platform: Platform, output: Output, signal?: AbortSignal): Promise<DemoReport> {
  // The primary: the region whose loss matters most, and whose traffic spills to the secondary.
  const region = platform.regions[0].region.name;

  output.print(`1. Publish ${platform.model} ${DEMO_VERSION} to ${region}'s bucket: watch it replicate and every region reload it`);
  const publish = await publishModel(platform, platform.model, DEMO_VERSION, output, signal);

  output.print(`\n2. Take ${region} down: watch the weights move and the alert fire`);
  const outage = await takeRegionDown(platform, region, output, signal);

  output.print(`\n3. Bring ${region} back: watch the gradual restore`);
  const recovery = await bringRegionBack(platform, region, output, signal);

  output.print(`\n4. The cost report of the sample billing data (${SAMPLE_BILLING_MONTH})`);
  const cost = await printCostReport(platform.costConfig, SAMPLE_BILLING_MONTH, platform.serviceEnvironment, output);

  return { publish, outage, recovery, cost };
}
