/**
 * The federation link, both halves as dev synthesizes them: the global Prometheus asks every region's gateway
 * for exactly the edge series, over HTTPS with basic auth, and the regions publish /federate on the same names.
 * The whole global Prometheus configuration passes promtool check config.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { FEDERATION_CREDENTIALS, federationMatchers, federationScrapeConfig, globalPrometheusConfig } from '../../../constructs/observability/federation';
import { FEDERATED_SERIES } from '../../../constructs/observability/recording-rules';
import { promtool } from '../../helpers/prometheus-peers';
import { synthesizedObservability } from './synthesized';

const dev = synthesizedObservability('dev');
const [scrape] = dev.global.prometheus.federationScrapeConfigs;

describe('federation', () => {
  it('asks each region for the edge series only, by exact name', () => {
    expect(scrape.params?.['match[]']).toEqual(FEDERATED_SERIES.map((name) => `{__name__="${name}"}`));
    expect(federationMatchers()).toHaveLength(FEDERATED_SERIES.length);
    expect(scrape).toMatchObject({ job_name: 'skyline-federation', honor_labels: true, metrics_path: '/federate', scheme: 'https' });
  });

  it('reads every region through its gateway, with the password from the mounted Secret', () => {
    expect(scrape.static_configs).toEqual([
      { targets: ['us-west-2.control.ml.example.com:443'], labels: { region: 'us-west-2', cloud: 'aws' } },
      { targets: ['europe-west1.control.ml.example.com:443'], labels: { region: 'europe-west1', cloud: 'gcp' } },
      { targets: ['centralindia.control.ml.example.com:443'], labels: { region: 'centralindia', cloud: 'azure' } },
    ]);
    expect(scrape.basic_auth).toEqual({ username: FEDERATION_CREDENTIALS.username, password_file: '/etc/prometheus/secrets/skyline-federation-client/password' });
    expect(dev.global.prometheus.secrets).toEqual([FEDERATION_CREDENTIALS.clientSecret.name]);
  });

  it('targets exactly the names the regions publish /federate on', () => {
    const published = Object.values(dev.edge).map((values) => `${values.federation.hostname}:443`).sort();
    expect(scrape.static_configs.flatMap((config) => config.targets).sort()).toEqual(published);
    for (const values of Object.values(dev.edge)) {
      expect(values.federation).toMatchObject({ path: '/federate', htpasswdSecretName: FEDERATION_CREDENTIALS.htpasswdSecret.name });
    }
  });

  it('refuses an empty region list', () => {
    expect(() => federationScrapeConfig({ targets: [] })).toThrow('targets must list at least one region');
  });

  it('makes a global Prometheus configuration that passes promtool check config, rules included', () => {
    const dir = mkdtempSync(join(tmpdir(), 'skyline-global-config-'));
    try {
      writeFileSync(join(dir, 'global.rules.yml'), stringify(dev.global.rules));
      const config = globalPrometheusConfig({ env: 'dev', federation: scrape, ruleFiles: ['global.rules.yml'], alertmanagers: ['skyline-global-alertmanager.monitoring.svc:9093'] });
      writeFileSync(join(dir, 'prometheus.yml'), stringify(config));
      const result = promtool(['check', 'config', join(dir, 'prometheus.yml')]);
      expect(result.output).toContain('SUCCESS: 1 rule files found');
      expect(result.output).toMatch(/SUCCESS: .*prometheus\.yml is valid prometheus config file syntax/);
      expect(result.status).toBe(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
