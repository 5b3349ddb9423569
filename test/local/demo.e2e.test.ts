/**
 * `npm run local -- demo` end to end, headless: the same Platform and runDemo the command runs, with every
 * process real (emulators, services, model servers, Alertmanager), and each step's outcome asserted where it
 * lands — object stores, model servers, Route53 in moto, Alertmanager — beside what the demo reported.
 * About a minute: the platform starts in ~10 s and the scenario's waits are the shortened intervals'.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ALERT_NAMES } from '../../constructs/observability/alerts';
import { FAILOVER_ALERT_NAME } from '../../services/failover/src/alerts/alerts';
import { manifestKey } from '../../services/replicator/src/layout';
import { SAMPLE_BILLING_MONTH } from '../../scripts/local/billing-exports';
import { DEMO_VERSION, runDemo, type DemoReport } from '../../scripts/local/demo';
import { readWeights } from '../../scripts/local/dns-records';
import { LOCAL_INTERVALS } from '../../scripts/local/intervals';
import { HeadlessOutput } from '../../scripts/local/output';
import { Platform } from '../../scripts/local/platform';
import { localTopology } from '../../scripts/local/topology';
import type { ModelsStatus } from '../../scripts/local/serving/stand-in';
import { PROJECT_ROOT } from '../helpers/app-command';

jest.setTimeout(180_000);

const output = new HeadlessOutput();
const processExits: string[] = [];
let platform: Platform | undefined;
let report: DemoReport;

beforeAll(async () => {
  platform = await Platform.start({ topology: localTopology(), output, onProcessExit: (message) => processExits.push(message) });
  report = await runDemo(platform, output);
}, 180_000);

afterAll(async () => {
  await platform?.stop();
}, 30_000);

function started(): Platform {
  if (platform === undefined) throw new Error('the platform did not start');
  return platform;
}

/** The sample exports' rows, counted from the files: CSV lines but the header, JSON lines. */
function sampleRows(): number {
  const lines = (path: string): number => readFileSync(join(PROJECT_ROOT, path), 'utf8').trimEnd().split('\n').length;
  return lines('test/fixtures/focus/focus_sample_1.0.csv') - 1 + lines('test/fixtures/cost/azure-mca-amortized.csv') - 1 + lines('test/fixtures/cost/gcp-standard.jsonl');
}

async function modelsStatus(url: string): Promise<ModelsStatus> {
  return (await (await fetch(`${url}/v1/models`)).json()) as ModelsStatus;
}

describe('npm run local -- demo', () => {
  it('publishes a version to the primary bucket, replicates it to the other clouds and every region reloads it', async () => {
    const { publish } = report;
    const [primary, ...others] = started().regions;
    expect(publish).toMatchObject({ model: started().model, version: DEMO_VERSION, source: primary.store.location });
    expect(Object.keys(publish.replicatedMs).sort()).toEqual(others.map((runtime) => runtime.region.name).sort());
    for (const runtime of others) expect(await runtime.store.exists(manifestKey({ model: started().model, version: DEMO_VERSION }))).toBe(true);
    for (const runtime of started().regions) {
      const status = await modelsStatus(runtime.servingUrl);
      expect(status.loaded).toMatchObject({ model: started().model, version: DEMO_VERSION, files: publish.files, bytes: publish.bytes });
    }
  });

  it('takes the primary down: the controllers move its weights to the next region, the controller and the global Prometheus alert, Alertmanager pages', () => {
    const { outage } = report;
    const [primary, secondary] = started().regions;
    expect(outage).toMatchObject({ region: primary.region.name, spillRegion: secondary.region.name, weights: { self: 0, spill: 100 } });
    expect(outage.controllerAlert.labels).toMatchObject({ alertname: FAILOVER_ALERT_NAME, region: primary.region.name, cloud: primary.region.cloud, env: 'dev', severity: 'critical' });
    expect(outage.ruleAlert.labels).toMatchObject({ alertname: ALERT_NAMES.regionDown, region: primary.region.name, env: 'dev', severity: 'critical' });
    // The generated route: critical alerts page.
    expect([outage.controllerAlert.receiver, outage.ruleAlert.receiver]).toEqual(['pager', 'pager']);
    // DESIGN § 7's bound: failureThreshold (3) probes and one interval more, plus slack for a loaded machine.
    expect(outage.failedOverMs).toBeLessThan((3 + 1) * LOCAL_INTERVALS.failoverProbe * 1000 + 5_000);
    // The rule alert holds for its shortened `for` on federated series: never before it.
    expect(outage.ruleAlert.activeMs).toBeGreaterThanOrEqual(LOCAL_INTERVALS.alertFor * 1000);
  });

  it('brings it back: the server reloads its model, the weights return in steps held for the soak, both alerts resolve', () => {
    const { recovery } = report;
    expect(recovery.reloadedVersion).toBe(DEMO_VERSION);
    expect(recovery.steps.map((step) => step.self)).toEqual([0, 10, 50, 100]);
    // Each step is held for the soak. Seen by polling Route53, a step may be seen late on a loaded machine: half
    // the soak still tells a held step from none.
    const soakMs = LOCAL_INTERVALS.restoreSoak * 1000;
    for (let index = 2; index < recovery.steps.length; index++) {
      expect(recovery.steps[index].atMs - recovery.steps[index - 1].atMs).toBeGreaterThanOrEqual(soakMs / 2);
    }
    // The controller resolves its alert once the restore reached 100, not before (a second for a late poll).
    expect(recovery.resolvedMs[FAILOVER_ALERT_NAME]).toBeGreaterThanOrEqual(recovery.steps[3].atMs - 1_000);
    expect(Object.keys(recovery.resolvedMs).sort()).toEqual([ALERT_NAMES.regionDown, FAILOVER_ALERT_NAME].sort());
  });

  it('reports the sample billing month from every export, each row read once', () => {
    const { cost } = report;
    expect(cost.report.month).toBe(SAMPLE_BILLING_MONTH);
    expect(cost.report.sources.map((source) => [source.name, source.status])).toEqual([
      ['aws-focus', 'ok'],
      ['azure-amortized', 'ok'],
      ['gcp-standard', 'ok'],
    ]);
    expect(cost.report.rowsRead).toBe(sampleRows());
    for (const provider of ['aws', 'azure', 'gcp']) {
      expect(cost.report.totals.filter((total) => total.provider === provider).reduce((sum, total) => sum + total.monthToDate, 0)).toBeGreaterThan(0);
    }
  });

  it('ends with every region back at full weight, healthy and serving the demo version', async () => {
    const { zoneId, dns, topology } = started();
    for (const runtime of started().regions) {
      expect(await readWeights(dns, zoneId, topology.environment.domain, runtime.region.name)).toEqual({ self: 100, spill: 0 });
      expect((await fetch(`${runtime.servingUrl}/health`)).status).toBe(200);
    }
    const active = (await started().alertmanager.alerts()).filter((alert) => [FAILOVER_ALERT_NAME, ALERT_NAMES.regionDown].includes(alert.labels.alertname) && alert.status.state === 'active');
    expect(active).toEqual([]);
    expect(processExits).toEqual([]);
  });

  it('printed each step with its timings', () => {
    const text = output.lines.join('\n');
    expect(text).toMatch(new RegExp(`^1\\. Publish ${started().model} v2`, 'm'));
    expect(text).toMatch(/replicated: europe-west1 \(gs:\/\/\S+\) \d+\.\d s, centralindia \(\S+\) \d+\.\d s/);
    expect(text).toMatch(/^2\. Take us-west-2 down/m);
    expect(text).toMatch(/weights self 0 \/ spill 100 .* after \d+\.\d s/);
    expect(text).toMatch(/^3\. Bring us-west-2 back/m);
    expect(text).toMatch(/restore: self weight 50 after \d+\.\d s/);
    expect(text).toMatch(/^4\. The cost report of the sample billing data \(2024-09\)/m);
    expect(text).toMatch(/^ +Totals$/m);
  });
});
