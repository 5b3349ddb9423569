/**
 * The global observability end to end, with the real binaries on 127.0.0.1: three "regional" Prometheus
 * servers run the generated edge rules over metrics from small exporters; each sits behind a stand-in for its
 * regional gateway (TLS, basic auth against an htpasswd {SHA} entry as the SecurityPolicy has it, GET
 * /federate routed and nothing else); one global Prometheus runs the generated federation job and alert rules
 * and sends to a real Alertmanager running the generated configuration.
 *
 * Everything comes from the dev environment as synthesized; what is rewritten, and why:
 * - addresses: federation targets `<region>.control.ml.example.com:443` -> the local gateway stand-ins; the
 *   Alertmanager, and the receivers' URLs -> a local webhook server (paths /pager, /chat, /dms);
 * - TLS trust: the federation job gets `tls_config.ca_file` = the test's self-signed certificate (in a cluster
 *   the gateway's Let's Encrypt certificate is trusted by default);
 * - secret files: the federation password and the receivers' tokens are read from a temp directory instead of
 *   the operator's Secret mounts;
 * - time, so that the test takes seconds, not minutes: scrapes, federation and rule evaluation every 1 s
 *   (30 s in a cluster); the edge rules' rate windows [5m] -> [10s], so that ten seconds of samples fill them
 *   (the recorded names keep their `rate5m`: the global rules and dashboards query them unchanged);
 *   SkylineRegionDown's `for: 3m` -> 2s; Alertmanager's group_wait 30s -> 0s and group_interval -> 1s.
 */
import { spawnSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as http from 'node:http';
import * as https from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import type { AlertmanagerConfig } from '../../constructs/observability/alertmanager-config';
import { ALERT_NAMES } from '../../constructs/observability/alerts';
import { OVERVIEW_QUERIES } from '../../constructs/observability/dashboards/overview';
import { FEDERATION_CREDENTIALS, FEDERATION_PATH, globalPrometheusConfig } from '../../constructs/observability/federation';
import type { AlertingRule, RuleFile, ScrapeConfig } from '../../constructs/observability/prometheus-types';
import { FEDERATED_SERIES } from '../../constructs/observability/recording-rules';
import { startAlertmanager, type AlertmanagerPeer } from '../helpers/peers';
import { startPrometheus, startWebhookReceiver, type PrometheusPeer, type Sample, type WebhookReceiver } from '../helpers/prometheus-peers';
import { synthesizedObservability } from '../constructs/observability/synthesized';

/** The test's time scale (see the file comment). */
const TEST_INTERVAL = '1s';
const TEST_RATE_WINDOW = '10s';
const TEST_REGION_DOWN_FOR = '2s';

/** What each region's exporters report: the values the global server must give back, per region. */
const REGIONS = [
  { region: 'us-west-2', cloud: 'aws', key: 'aws-us-west-2', requestsPerSecond: 12, errorRatio: 0.01, latency: [0.05, 0.1] },
  { region: 'europe-west1', cloud: 'gcp', key: 'gcp-europe-west1', requestsPerSecond: 30, errorRatio: 0.002, latency: [0.1, 0.25] },
  { region: 'centralindia', cloud: 'azure', key: 'azure-centralindia', requestsPerSecond: 6, errorRatio: 0.05, latency: [0.25, 0.5] },
] as const;
type RegionName = (typeof REGIONS)[number]['region'];
const BUCKETS = [0.05, 0.1, 0.25, 0.5, 1];
/** The replicator and the cost analyzer run in the primary region only here: the others must have no such series. */
const REPLICATION = [
  { destination: 'europe-west1', copiesPerSecond: 3, failuresPerSecond: 0, lagSeconds: 42, pending: 7 },
  { destination: 'centralindia', copiesPerSecond: 2, failuresPerSecond: 0.1, lagSeconds: 95, pending: 19 },
];
const COST = [
  { provider: 'aws', spend: { Compute: 1200, Storage: 300 }, forecast: { point: 3100, lower: 2900, upper: 3300 }, budget: 3000 },
  { provider: 'gcp', spend: { Compute: 800 }, forecast: { point: 1700, lower: 1500, upper: 1900 }, budget: 2000 },
  { provider: 'azure', spend: { Compute: 650 }, forecast: { point: 900, lower: 850, upper: 950 }, budget: 1000 },
];
/** Who writes which record pair (the first other region in role order): their weights are exported there only. */
const WEIGHT_WRITERS: Record<RegionName, RegionName> = { 'us-west-2': 'europe-west1', 'europe-west1': 'us-west-2', centralindia: 'us-west-2' };

const startedAt = Date.now() / 1000;
const elapsed = (): number => Date.now() / 1000 - startedAt;
/** Each region's failover controllers' current verdict on every region (1 healthy). */
const healthy: Record<RegionName, Record<RegionName, number>> = Object.fromEntries(
  REGIONS.map(({ region }) => [region, Object.fromEntries(REGIONS.map((target) => [target.region, 1]))]),
) as Record<RegionName, Record<RegionName, number>>;

/** The exposition of one job of one region, computed at scrape time: counters grow linearly at the set rates. */
function exposition(region: (typeof REGIONS)[number], job: string): string | undefined {
  const t = elapsed();
  const lines: string[] = [];
  const histogram = (name: string, labels: string, perSecond: number, [lower, upper]: readonly number[]): void => {
    for (const le of BUCKETS) lines.push(`${name}_bucket{${labels},le="${le}"} ${le >= upper ? perSecond * t : 0}`);
    lines.push(`${name}_bucket{${labels},le="+Inf"} ${perSecond * t}`, `${name}_count{${labels}} ${perSecond * t}`, `${name}_sum{${labels}} ${((lower + upper) / 2) * perSecond * t}`);
  };
  switch (job) {
    case 'model-serving': {
      const { requestsPerSecond: rate, errorRatio } = region;
      lines.push(
        `http_requests_total{handler="/predict",method="POST",status="2xx"} ${rate * (1 - errorRatio) * t}`,
        `http_requests_total{handler="/predict",method="POST",status="5xx"} ${rate * errorRatio * t}`,
        // The kubelet's probes: not user traffic, left out by the edge rules.
        `http_requests_total{handler="/health",method="GET",status="2xx"} ${t}`,
      );
      histogram('http_request_duration_seconds', 'handler="/predict",method="POST"', rate, region.latency);
      return lines.join('\n');
    }
    case 'failover':
      lines.push(`skyline_http_requests_total{route="/observations",code="200",service="failover"} ${2 * t}`);
      histogram('skyline_http_request_duration_seconds', 'route="/observations",service="failover"', 2, [0.005, 0.01]);
      for (const target of REGIONS) {
        lines.push(`skyline_failover_region_healthy{region="${target.region}",cloud="${target.cloud}",service="failover"} ${healthy[region.region][target.region]}`);
        if (WEIGHT_WRITERS[target.region] === region.region) {
          lines.push(`skyline_failover_weight{region="${target.region}",record="self",service="failover"} 100`, `skyline_failover_weight{region="${target.region}",record="spill",service="failover"} 0`);
        }
      }
      return lines.join('\n');
    case 'replicator':
      if (region.region !== 'us-west-2') return undefined;
      for (const pair of REPLICATION) {
        lines.push(
          `skyline_replicator_objects_copied_total{source="us-west-2",destination="${pair.destination}"} ${pair.copiesPerSecond * t}`,
          `skyline_replicator_lag_seconds{source="us-west-2",destination="${pair.destination}"} ${pair.lagSeconds}`,
          `skyline_replicator_pending_objects{source="us-west-2",destination="${pair.destination}"} ${pair.pending}`,
        );
        if (pair.failuresPerSecond > 0) lines.push(`skyline_replicator_failures_total{source="us-west-2",destination="${pair.destination}",reason="verify-mismatch"} ${pair.failuresPerSecond * t}`);
      }
      return lines.join('\n');
    case 'cost-analyzer':
      if (region.region !== 'us-west-2') return undefined;
      for (const { provider, spend, forecast, budget } of COST) {
        for (const [category, amount] of Object.entries(spend)) {
          lines.push(`skyline_cost_month_to_date{provider="${provider}",region="any",category="${category}",service="any",currency="USD"} ${amount}`);
        }
        for (const [bound, amount] of Object.entries(forecast)) lines.push(`skyline_cost_forecast_end_of_month{provider="${provider}",currency="USD",bound="${bound}"} ${amount}`);
        lines.push(`skyline_cost_budget_amount{provider="${provider}",currency="USD"} ${budget}`);
      }
      return lines.join('\n');
    default:
      return undefined;
  }
}

const JOBS = [
  { job: 'model-serving', namespace: 'ml-serving' },
  { job: 'failover', namespace: 'skyline-system' },
  { job: 'replicator', namespace: 'skyline-system' },
  { job: 'cost-analyzer', namespace: 'skyline-system' },
];

interface Closable {
  close(): Promise<void>;
}

function listen(server: http.Server | https.Server): Promise<number> {
  return new Promise((resolve) => server.listen({ host: '127.0.0.1', port: 0 }, () => resolve((server.address() as AddressInfo).port)));
}

function closer(server: http.Server | https.Server): Closable {
  return {
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/**
 * The regional gateway's part in federation, as the HTTPRoute and SecurityPolicy of the edge chart set it up:
 * TLS, basic auth checked against a `<user>:{SHA}<base64 sha1>` htpasswd line, and GET /federate only.
 */
function gatewayStandIn(htpasswd: string, tls: { key: string; cert: string }, upstream: string): https.Server {
  const [user, hash] = htpasswd.split(':');
  return https.createServer(tls, (request, response) => {
    const [scheme, encoded] = (request.headers.authorization ?? '').split(' ');
    const [givenUser, ...password] = Buffer.from(encoded ?? '', 'base64').toString('utf8').split(':');
    const given = `{SHA}${createHash('sha1').update(password.join(':')).digest('base64')}`;
    if (scheme !== 'Basic' || givenUser !== user || given !== hash) {
      response.writeHead(401, { 'www-authenticate': 'Basic realm="federation"' }).end();
      return;
    }
    if (request.method !== 'GET' || new URL(request.url ?? '/', 'https://gateway').pathname !== FEDERATION_PATH) {
      response.writeHead(404).end();
      return;
    }
    const forward = http.request(`${upstream}${request.url}`, { agent: false }, (answer) => {
      response.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(response);
    });
    forward.on('error', () => response.writeHead(502).end('upstream unreachable'));
    forward.end();
  });
}

/** The edge rules at the test's time scale: every `[5m]` range becomes `[10s]`. */
function atTestScale(rules: RuleFile): RuleFile {
  return { groups: rules.groups.map((group) => ({ ...group, rules: group.rules.map((rule) => ({ ...rule, expr: rule.expr.replaceAll('[5m]', `[${TEST_RATE_WINDOW}]`) })) })) };
}

const byLabel = (samples: Sample[], label: string): Record<string, number> => Object.fromEntries(samples.map((sample) => [sample.metric[label], sample.value]));

async function eventually<T>(what: string, timeoutMs: number, probe: () => Promise<T | undefined>): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < deadline) {
    try {
      const result = await probe();
      if (result !== undefined) return result;
    } catch (error) {
      last = error;
    }
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  throw new Error(`${what}: not within ${timeoutMs} ms${last ? ` (last error: ${(last as Error).message})` : ''}`);
}

const dir = mkdtempSync(join(tmpdir(), 'skyline-observability-'));
const servers: Closable[] = [];
const regional = new Map<RegionName, PrometheusPeer>();
let global: PrometheusPeer;
let alertmanager: AlertmanagerPeer;
let receiver: WebhookReceiver;

beforeAll(async () => {
  const generated = synthesizedObservability('dev');

  // A self-signed certificate for 127.0.0.1, which the global Prometheus trusts through ca_file.
  const openssl = spawnSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-days', '1', '-subj', '/CN=127.0.0.1',
    '-addext', 'subjectAltName=IP:127.0.0.1', '-keyout', join(dir, 'tls.key'), '-out', join(dir, 'tls.crt')], { encoding: 'utf8' });
  if (openssl.status !== 0) throw new Error(`openssl: ${openssl.stderr}`);
  const tls = { key: readFileSync(join(dir, 'tls.key'), 'utf8'), cert: readFileSync(join(dir, 'tls.crt'), 'utf8') };

  // The federation credentials as the runbook has them made: a random password, its {SHA} htpasswd line.
  const password = randomBytes(24).toString('hex');
  writeFileSync(join(dir, 'federation-password'), password);
  const htpasswd = `${FEDERATION_CREDENTIALS.username}:{SHA}${createHash('sha1').update(password).digest('base64')}`;

  receiver = await startWebhookReceiver();
  servers.push({ close: () => receiver.stop() });

  const targets: Record<string, string> = {};
  await Promise.all(
    REGIONS.map(async (region) => {
      const exporter = http.createServer((request, response) => {
        const text = exposition(region, (request.url ?? '/').slice(1));
        if (text === undefined) response.writeHead(404).end();
        else response.writeHead(200, { 'content-type': 'text/plain; version=0.0.4' }).end(`${text}\n`);
      });
      const exporterPort = await listen(exporter);
      servers.push(closer(exporter));
      const prometheus = await startPrometheus({
        name: `prometheus-${region.region}`,
        configYaml: stringify({
          global: { scrape_interval: TEST_INTERVAL, evaluation_interval: TEST_INTERVAL, external_labels: { cloud: region.cloud, region: region.region, env: 'dev' } },
          rule_files: ['edge.yml'],
          // As the ServiceMonitors would: job = the Service, plus the namespace label.
          scrape_configs: JOBS.map(({ job, namespace }) => ({ job_name: job, metrics_path: `/${job}`, static_configs: [{ targets: [`127.0.0.1:${exporterPort}`], labels: { namespace } }] })),
        }),
        files: { 'edge.yml': stringify(atTestScale(generated.edge[region.key].rules)) },
      });
      regional.set(region.region, prometheus);
      const gateway = gatewayStandIn(htpasswd, tls, prometheus.url);
      targets[`${region.region}.control.ml.example.com:443`] = `127.0.0.1:${await listen(gateway)}`;
      servers.push(closer(gateway));
    }),
  );

  // The receivers' Secrets, where the rewritten file paths point.
  for (const name of generated.global.alertmanager.secrets) {
    mkdirSync(join(dir, 'secrets', name), { recursive: true });
    writeFileSync(join(dir, 'secrets', name, 'token'), `${name}-token`);
  }
  const amConfig: AlertmanagerConfig = generated.global.alertmanager.config;
  const receiverPaths: Record<string, string> = { pager: '/pager', chat: '/chat', 'dead-mans-switch': '/dms' };
  const rewrittenAm = {
    ...amConfig,
    route: { ...amConfig.route, group_wait: '0s', group_interval: TEST_INTERVAL },
    receivers: amConfig.receivers.map((entry) => ({
      ...entry,
      webhook_configs: entry.webhook_configs?.map((hook) => ({
        ...hook,
        url: `${receiver.url}${receiverPaths[entry.name]}`,
        ...(hook.http_config ? { http_config: { authorization: { ...hook.http_config.authorization, credentials_file: hook.http_config.authorization.credentials_file.replace('/etc/alertmanager/secrets', join(dir, 'secrets')) } } } : {}),
      })),
    })),
  };
  alertmanager = await startAlertmanager({ configYaml: stringify(rewrittenAm) });

  const [federation] = generated.global.prometheus.federationScrapeConfigs;
  const rewrittenJob: ScrapeConfig = {
    ...federation,
    scrape_interval: TEST_INTERVAL,
    scrape_timeout: TEST_INTERVAL,
    basic_auth: { username: federation.basic_auth?.username ?? '', password_file: join(dir, 'federation-password') },
    tls_config: { ca_file: join(dir, 'tls.crt') },
    static_configs: federation.static_configs.map((config) => ({ ...config, targets: config.targets.map((target) => targets[target]) })),
  };
  const rules: RuleFile = {
    groups: generated.global.rules.groups.map((group) => ({
      ...group,
      rules: group.rules.map((rule) => ((rule as AlertingRule).alert === ALERT_NAMES.regionDown ? { ...rule, for: TEST_REGION_DOWN_FOR } : rule)),
    })),
  };
  const config = globalPrometheusConfig({ env: 'dev', federation: rewrittenJob, ruleFiles: ['global.yml'], alertmanagers: [alertmanager.url.replace('http://', '')] });
  global = await startPrometheus({
    name: 'prometheus-global',
    configYaml: stringify({ ...config, global: { ...config.global, scrape_interval: TEST_INTERVAL, scrape_timeout: TEST_INTERVAL, evaluation_interval: TEST_INTERVAL } }),
    files: { 'global.yml': stringify(rules) },
  });
}, 60_000);

afterAll(async () => {
  await Promise.all(servers.map((server) => server.close()));
  rmSync(dir, { recursive: true, force: true });
});

/** Relative closeness: rates come out of extrapolated 10-second windows. */
const near = (actual: number | undefined, expected: number, tolerance = 0.03): boolean => actual !== undefined && Math.abs(actual - expected) <= Math.abs(expected) * tolerance;

describe('global observability, end to end', () => {
  it('answers the overview with every region\'s request rate, p95 latency and error ratio', async () => {
    const rates = await eventually('request rates of all three regions', 40_000, async () => {
      const found = byLabel(await global.query(OVERVIEW_QUERIES.requestRate), 'region');
      return REGIONS.every((region) => near(found[region.region], region.requestsPerSecond)) ? found : undefined;
    });
    expect(Object.keys(rates).sort()).toEqual(REGIONS.map((region) => region.region).sort());
    const p95 = byLabel(await global.query(OVERVIEW_QUERIES.p95Latency), 'region');
    const errors = byLabel(await global.query(OVERVIEW_QUERIES.errorRatio), 'region');
    for (const region of REGIONS) {
      const [lower, upper] = region.latency;
      // All requests fall in one bucket: histogram_quantile interpolates 95 % of the way through it.
      expect(p95[region.region]).toBeCloseTo(lower + (upper - lower) * 0.95, 6);
      expect(errors[region.region]).toBeCloseTo(region.errorRatio, 4);
    }
  }, 45_000);

  it('answers the overview with traffic weights, replication lag, spend, forecast and budget', async () => {
    const weights = await global.query(OVERVIEW_QUERIES.trafficWeights);
    expect(weights.map((sample) => [sample.metric.target_region, sample.metric.record, sample.value]).sort()).toEqual(
      REGIONS.flatMap(({ region }) => [[region, 'self', 100], [region, 'spill', 0]]).sort(),
    );
    expect(byLabel(await global.query(OVERVIEW_QUERIES.replicationLag), 'destination')).toEqual({ 'europe-west1': 42, centralindia: 95 });
    expect(byLabel(await global.query(OVERVIEW_QUERIES.costMonthToDate), 'provider')).toEqual({ aws: 1500, gcp: 800, azure: 650 });
    expect(byLabel(await global.query(OVERVIEW_QUERIES.costForecast), 'provider')).toEqual({ aws: 3100, gcp: 1700, azure: 900 });
    expect(byLabel(await global.query(OVERVIEW_QUERIES.costBudget), 'provider')).toEqual({ aws: 3000, gcp: 2000, azure: 1000 });
    expect(byLabel(await global.query(OVERVIEW_QUERIES.regionReachable), 'region')).toEqual({ 'us-west-2': 1, 'europe-west1': 1, centralindia: 1 });
  });

  it('federates the edge series and nothing else', async () => {
    const federated = `{__name__=~"${FEDERATED_SERIES.join('|')}"}`;
    const perRegion = byLabel(await global.query(`count by (region) (${federated})`), 'region');
    // us-west-2: model-serving 6 (requests, errors, ratio, 3 quantiles) + failover 6 + health of 3 regions + 2 pairs' weights x 2
    //   + replicator 3 service series, 2 copy pairs, 1 failure reason, 2 lags, 2 backlogs + cost 3 spends, 9 forecast bounds, 3 budgets;
    // europe-west1: 6 + 6 + 3 + one pair's weights x 2; centralindia: 6 + 6 + 3.
    expect(perRegion).toEqual({ 'us-west-2': 44, 'europe-west1': 17, centralindia: 15 });
    for (const raw of ['http_requests_total', 'skyline_http_requests_total', 'skyline_failover_region_healthy', 'skyline_replicator_lag_seconds', 'skyline_cost_month_to_date']) {
      expect(await global.query(`count({__name__="${raw}"})`)).toEqual([]);
    }
    // honor_labels: the series keep the region they came from, not the federation target's labels.
    const labels = (await global.query(`${FEDERATED_SERIES[0]}{service="model-serving"}`)).map((sample) => [sample.metric.region, sample.metric.cloud, sample.metric.env]);
    expect(labels.sort()).toEqual(REGIONS.map((region) => [region.region, region.cloud, 'dev']).sort());
  });

  it('fires SkylineRegionDown into Alertmanager, and pages, when a region goes down', async () => {
    expect((await alertmanager.alerts()).filter((alert) => alert.labels.alertname === ALERT_NAMES.regionDown)).toEqual([]);
    // centralindia goes dark: its Prometheus stops answering, and the other regions' controllers see it failing.
    await regional.get('centralindia')?.stop();
    healthy['us-west-2'].centralindia = 0;
    healthy['europe-west1'].centralindia = 0;

    const fired = await eventually('SkylineRegionDown in Alertmanager', 30_000, async () =>
      (await alertmanager.alerts()).find((alert) => alert.labels.alertname === ALERT_NAMES.regionDown && alert.status.state === 'active'),
    );
    expect(fired.labels).toMatchObject({ region: 'centralindia', severity: 'critical', env: 'dev' });
    expect(fired.annotations.runbook_url).toMatch(/\/skyline-region-down\.md$/);
    const page = await receiver.waitFor((notification) => notification.path === '/pager' && notification.alerts.some((alert) => alert.labels.alertname === ALERT_NAMES.regionDown), 15_000);
    expect(page.authorization).toBe('Bearer alertmanager-pager-token');
    expect((await alertmanager.alerts()).filter((alert) => alert.labels.alertname === ALERT_NAMES.regionDown).map((alert) => alert.labels.region)).toEqual(['centralindia']);
  }, 45_000);
});
