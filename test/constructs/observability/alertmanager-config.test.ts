/**
 * The Alertmanager configuration: every environment's passes amtool check-config; and the real Alertmanager,
 * running the generated routes and inhibitions, sends critical alerts to the pager (with its bearer token),
 * warnings to chat and the Watchdog to the dead man's switch, and holds back what a bigger alert explains.
 * Rewritten for the test: the receivers point at a local webhook server (paths /pager, /chat, /dms), the
 * Secrets directory at a temp directory, and the group timings shrink from 30 s / 5 min to 100 ms / 1 s.
 */
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { alertmanagerConfig, receiverSecretNames, RECEIVER_NAMES, type AlertmanagerConfig } from '../../../constructs/observability/alertmanager-config';
import { ALERT_NAMES, CONTROLLER_ALERT_NAME } from '../../../constructs/observability/alerts';
import { loadEnvironment } from '../../../stacks/environments/load';
import { amtool, startWebhookReceiver, type WebhookReceiver } from '../../helpers/prometheus-peers';
import { httpRequest, startAlertmanager, type AlertmanagerPeer, type ReceivedAlert } from '../../helpers/peers';

const dir = mkdtempSync(join(tmpdir(), 'skyline-alertmanager-config-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe.each(['dev', 'staging', 'prod'])('the %s Alertmanager configuration', (environment) => {
  const receivers = loadEnvironment(environment).observability.receivers;
  const config = alertmanagerConfig({ receivers });

  it('passes amtool check-config', () => {
    const file = join(dir, `${environment}.yml`);
    writeFileSync(file, stringify(config));
    const result = amtool(['check-config', file]);
    expect(result.output).toContain('SUCCESS');
    expect(result.output).toContain(' - 3 inhibit rules');
    expect(result.output).toContain(' - 3 receivers');
    expect(result.status).toBe(0);
  });

  it('reads every secret from a mounted Secret file, and mounts exactly those Secrets', () => {
    const text = JSON.stringify(config);
    const files = [...text.matchAll(/"(?:credentials_file|api_url_file|routing_key_file)":"([^"]+)"/g)].map((match) => match[1]);
    for (const file of files) expect(file).toMatch(/^\/etc\/alertmanager\/secrets\/[a-z0-9-]+\/[-._a-zA-Z0-9]+$/);
    expect([...new Set(files.map((file) => file.split('/')[4]))].sort()).toEqual(receiverSecretNames(receivers));
    expect(text).not.toMatch(/"(api_url|routing_key|service_key|credentials)":/);
  });
});

describe('routing and inhibition in the real Alertmanager', () => {
  let alertmanager: AlertmanagerPeer;
  let hooks: WebhookReceiver;
  const secrets = join(dir, 'secrets');

  beforeAll(async () => {
    hooks = await startWebhookReceiver();
    mkdirSync(join(secrets, 'alertmanager-pager'), { recursive: true });
    writeFileSync(join(secrets, 'alertmanager-pager', 'token'), 'pager-token-for-tests');
    const generated: AlertmanagerConfig = alertmanagerConfig({
      receivers: {
        pager: { kind: 'webhook', url: `${hooks.url}/pager`, bearerTokenSecret: { name: 'alertmanager-pager', key: 'token' } },
        chat: { kind: 'webhook', url: `${hooks.url}/chat` },
        deadMansSwitch: { kind: 'webhook', url: `${hooks.url}/dms` },
      },
      secretsDirectory: secrets,
    });
    const config = { ...generated, route: { ...generated.route, group_wait: '100ms', group_interval: '1s' } };
    alertmanager = await startAlertmanager({ configYaml: stringify(config) });
  }, 30_000);

  afterAll(() => hooks?.stop());

  async function post(alerts: Record<string, string>[]): Promise<void> {
    const body = JSON.stringify(alerts.map((labels) => ({ labels, annotations: { summary: 'test' }, startsAt: new Date().toISOString() })));
    const response = await httpRequest(`${alertmanager.url}/api/v2/alerts`, { method: 'POST', body, headers: { 'content-type': 'application/json' } });
    expect(response.status).toBe(200);
  }

  /** The alert with these labels, once Alertmanager has decided whether it is inhibited. */
  async function stateOf(labels: Record<string, string>): Promise<ReceivedAlert & { status: { state: string; inhibitedBy: string[] } }> {
    const deadline = Date.now() + 5_000;
    for (;;) {
      const found = (await alertmanager.alerts()).find((alert) => Object.entries(labels).every(([label, value]) => alert.labels[label] === value));
      if (found && found.status.state !== 'unprocessed') return found as ReceivedAlert & { status: { state: string; inhibitedBy: string[] } };
      if (Date.now() > deadline) throw new Error(`alert ${JSON.stringify(labels)} not processed`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  it('pages critical alerts with the bearer token, sends warnings to chat and the Watchdog to the dead man\'s switch', async () => {
    await post([
      { alertname: ALERT_NAMES.failoverHappened, severity: 'critical', env: 'dev', region: 'europe-west1' },
      { alertname: ALERT_NAMES.replicationLag, severity: 'warning', env: 'dev', region: 'us-west-2', source: 'us-west-2', destination: 'centralindia' },
      { alertname: ALERT_NAMES.watchdog, severity: 'none', env: 'dev' },
    ]);
    const page = await hooks.waitFor((n) => n.path === '/pager' && n.alerts.some((alert) => alert.labels.alertname === ALERT_NAMES.failoverHappened), 10_000);
    expect(page.authorization).toBe('Bearer pager-token-for-tests');
    const chat = await hooks.waitFor((n) => n.path === '/chat' && n.alerts.some((alert) => alert.labels.alertname === ALERT_NAMES.replicationLag), 10_000);
    expect(chat.authorization).toBeUndefined();
    await hooks.waitFor((n) => n.path === '/dms' && n.alerts.some((alert) => alert.labels.alertname === ALERT_NAMES.watchdog), 10_000);
    expect(hooks.notifications.filter((n) => n.path === '/pager').flatMap((n) => n.alerts.map((alert) => alert.labels.severity))).not.toContain('warning');
    expect(RECEIVER_NAMES).toEqual({ pager: 'pager', chat: 'chat', deadMansSwitch: 'dead-mans-switch' });
  });

  it('holds back per-service alerts of a region that is down, not those of other regions', async () => {
    await post([
      { alertname: ALERT_NAMES.regionDown, severity: 'critical', env: 'dev', region: 'centralindia' },
      { alertname: ALERT_NAMES.errorBudgetBurn, severity: 'critical', env: 'dev', region: 'centralindia', service: 'model-serving' },
      { alertname: ALERT_NAMES.latency, severity: 'warning', env: 'dev', region: 'europe-west1', service: 'model-serving' },
    ]);
    const down = await stateOf({ alertname: ALERT_NAMES.regionDown, region: 'centralindia' });
    expect(down.status.state).toBe('active');
    const burn = await stateOf({ alertname: ALERT_NAMES.errorBudgetBurn, region: 'centralindia' });
    expect(burn.status.state).toBe('suppressed');
    expect(burn.status.inhibitedBy).toHaveLength(1);
    expect((await stateOf({ alertname: ALERT_NAMES.latency, region: 'europe-west1' })).status.state).toBe('active');
  });

  it('holds back the ticket of a service that is already paged for the same alert', async () => {
    const labels = { alertname: ALERT_NAMES.errorBudgetBurn, env: 'dev', region: 'us-west-2', service: 'failover' };
    await post([
      { ...labels, severity: 'critical' },
      { ...labels, severity: 'warning' },
      { ...labels, service: 'replicator', severity: 'warning' },
    ]);
    expect((await stateOf({ ...labels, severity: 'warning' })).status.state).toBe('suppressed');
    expect((await stateOf({ ...labels, service: 'replicator', severity: 'warning' })).status.state).toBe('active');
  });

  it("holds back the rule's failover alert when the controller's own alert for that region is there", async () => {
    await post([
      { alertname: CONTROLLER_ALERT_NAME, severity: 'critical', env: 'dev', region: 'us-west-2', cloud: 'aws' },
      { alertname: ALERT_NAMES.failoverHappened, severity: 'critical', env: 'dev', region: 'us-west-2' },
      { alertname: ALERT_NAMES.failoverHappened, severity: 'critical', env: 'dev', region: 'europe-west1' },
    ]);
    expect((await stateOf({ alertname: ALERT_NAMES.failoverHappened, region: 'us-west-2' })).status.state).toBe('suppressed');
    expect((await stateOf({ alertname: ALERT_NAMES.failoverHappened, region: 'europe-west1' })).status.state).toBe('active');
  });
});
