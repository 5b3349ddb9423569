/**
 * The local observability configs are the generated ones with the documented rewrites only: addresses, plain
 * HTTP without the gateway's basic auth, receivers to the local webhook, shortened timings.
 */
import { ALERT_NAMES } from '../../../constructs/observability/alerts';
import { federationMatchers } from '../../../constructs/observability/federation';
import { FEDERATION_JOB } from '../../../constructs/observability/labels';
import { MODEL_SERVING_METRICS, SERVICE_HTTP_METRICS } from '../../../constructs/observability/metric-contracts';
import { isAlertingRule } from '../../../constructs/observability/prometheus-types';
import {
  generatedGlobalObservability,
  localAlertmanagerConfig,
  localGlobalPrometheusConfig,
  localGlobalRules,
  localRegionalPrometheusConfig,
  LOCAL_NOTIFICATION_TIMINGS,
} from '../../../scripts/local/configs/observability-config';
import { LOCAL_INTERVALS } from '../../../scripts/local/intervals';
import { localTopology } from '../../../scripts/local/topology';

const topology = localTopology();
const generated = generatedGlobalObservability(topology.environment, topology.regions);

describe('local Alertmanager config', () => {
  const config = localAlertmanagerConfig(generated, 'http://127.0.0.1:5001/');

  it('keeps the generated routes and inhibitions, with shortened grouping', () => {
    const original = generated.alertmanager.config;
    expect(config.inhibit_rules).toEqual(original.inhibit_rules);
    expect(config.route.routes?.map((route) => [route.receiver, route.matchers])).toEqual(original.route.routes?.map((route) => [route.receiver, route.matchers]));
    expect(config.route).toMatchObject({ receiver: original.route.receiver, group_by: original.route.group_by, group_wait: LOCAL_NOTIFICATION_TIMINGS.groupWait, group_interval: LOCAL_NOTIFICATION_TIMINGS.groupInterval });
  });

  it('sends every receiver to the local webhook on its own path, keeping whether it hears of resolutions', () => {
    expect(config.receivers).toEqual(
      generated.alertmanager.config.receivers.map((receiver) => ({
        name: receiver.name,
        webhook_configs: [{ url: `http://127.0.0.1:5001/${receiver.name}`, send_resolved: receiver.name !== 'dead-mans-switch' }],
      })),
    );
  });
});

describe('local Prometheus configs', () => {
  const [primary] = topology.regions;

  it('scrapes a region under the jobs and namespaces of the ServiceMonitors, with the cluster external labels', () => {
    const config = localRegionalPrometheusConfig(topology.environment, primary, {
      modelServing: ['127.0.0.1:1', '127.0.0.1:2'],
      failover: ['127.0.0.1:3'],
      replicator: ['127.0.0.1:4'],
      costAnalyzer: [],
    });
    expect(config.global).toMatchObject({ scrape_interval: `${LOCAL_INTERVALS.prometheus}s`, external_labels: { cloud: 'aws', region: 'us-west-2', env: 'dev' } });
    expect(config.scrape_configs).toEqual([
      { job_name: MODEL_SERVING_METRICS.job, static_configs: [{ targets: ['127.0.0.1:1', '127.0.0.1:2'], labels: { namespace: MODEL_SERVING_METRICS.namespace } }] },
      { job_name: 'failover', static_configs: [{ targets: ['127.0.0.1:3'], labels: { namespace: SERVICE_HTTP_METRICS.namespace } }] },
      { job_name: 'replicator', static_configs: [{ targets: ['127.0.0.1:4'], labels: { namespace: SERVICE_HTTP_METRICS.namespace } }] },
    ]);
  });

  it('federates every region with the generated selectors, over plain HTTP to the local servers', () => {
    const regional = new Map(topology.regions.map((region, index) => [region.name, `127.0.0.1:${9100 + index}`]));
    const config = localGlobalPrometheusConfig(generated, regional, '127.0.0.1:9093');
    expect(config.scrape_configs).toHaveLength(1);
    const [federation] = config.scrape_configs;
    expect(federation).toMatchObject({ job_name: FEDERATION_JOB, honor_labels: true, scheme: 'http', params: { 'match[]': federationMatchers() } });
    expect(federation.basic_auth).toBeUndefined();
    expect(federation.static_configs).toEqual(topology.regions.map((region, index) => ({ targets: [`127.0.0.1:${9100 + index}`], labels: { region: region.name, cloud: region.cloud } })));
    expect(config.alerting.alertmanagers).toEqual([{ static_configs: [{ targets: ['127.0.0.1:9093'] }] }]);
    expect(config.global.external_labels).toEqual({ env: 'dev' });
  });

  it('keeps every generated rule, only the alerts\' delays shortened', () => {
    const rules = localGlobalRules(generated);
    const strip = (rule: object) => ({ ...rule, for: undefined });
    expect(rules.groups.map((group) => group.rules.map(strip))).toEqual(generated.rules.groups.map((group) => group.rules.map(strip)));
    const alerts = rules.groups.flatMap((group) => group.rules).filter(isAlertingRule);
    expect(alerts.map((alert) => alert.alert)).toContain(ALERT_NAMES.regionDown);
    for (const alert of alerts) expect([undefined, `${LOCAL_INTERVALS.alertFor}s`]).toContain(alert.for);
  });
});
