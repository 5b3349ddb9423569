/**
 * The local observability: the global Alertmanager (with a webhook receiver standing in for the pager, the chat
 * and the dead man's switch), one Prometheus per region scraping that region's processes and recording the edge
 * series, and the global Prometheus federating them and evaluating the alert rules — the real binaries, started
 * through the test harness (test/helpers/prometheus-peers.ts), with the configs of configs/observability-config.ts.
 * Each config file is also written to the run directory, for reading.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { stringify } from 'yaml';
import type { GlobalObservabilityValues } from '../../constructs/workloads/global-observability';
import { startPrometheus, startWebhookReceiver, type PrometheusPeer, type WebhookReceiver } from '../../test/helpers/prometheus-peers';
import { startAlertmanager, type AlertmanagerPeer } from '../../test/helpers/peers';
import {
  EDGE_RULES_FILE,
  GLOBAL_RULES_FILE,
  generatedGlobalObservability,
  localAlertmanagerConfig,
  localGlobalPrometheusConfig,
  localGlobalRules,
  localRegionalPrometheusConfig,
  type RegionalTargets,
} from './configs/observability-config';
import { runTask, type Output } from './output';
import type { Topology } from './topology';
import { edgeRecordingRules } from '../../constructs/observability/recording-rules';

export interface Alerting {
  readonly alertmanager: AlertmanagerPeer;
  /** Where every receiver's notifications arrive, on the path `/<receiver name>`. */
  readonly receiver: WebhookReceiver;
  /** The generated global observability the configs come from. */
  readonly generated: GlobalObservabilityValues;
}

/** Alertmanager and its receiver; the failover controllers need the Alertmanager before they start. */
export async function startAlerting(output: Output, topology: Topology, configDirectory: string): Promise<Alerting> {
  const generated = generatedGlobalObservability(topology.environment, topology.regions);
  const receiver = await startWebhookReceiver();
  try {
    const configYaml = stringify(localAlertmanagerConfig(generated, receiver.url));
    writeFileSync(join(configDirectory, 'alertmanager.yml'), configYaml);
    const alertmanager = await runTask(output, 'Alertmanager', () => startAlertmanager({ configYaml }), (peer) => peer.url);
    return { alertmanager, receiver, generated };
  } catch (error) {
    await receiver.stop();
    throw error;
  }
}

export interface PrometheusServers {
  /** By region name. */
  readonly regional: ReadonlyMap<string, PrometheusPeer>;
  readonly global: PrometheusPeer;
}

/** `host:port` of a URL such as http://127.0.0.1:9090. */
function address(url: string): string {
  return new URL(url).host;
}

/** The regional servers side by side, then the global one over them; on a failure, what started is stopped. */
export async function startPrometheusServers(
  output: Output,
  topology: Topology,
  alerting: Alerting,
  targets: ReadonlyMap<string, RegionalTargets>,
  configDirectory: string,
): Promise<PrometheusServers> {
  const write = (name: string, content: string): string => {
    writeFileSync(join(configDirectory, name), content);
    return content;
  };
  const edgeRules = write(EDGE_RULES_FILE, stringify(edgeRecordingRules()));
  const results = await Promise.allSettled(
    topology.regions.map(async (region) => {
      const regionTargets = targets.get(region.name);
      if (regionTargets === undefined) throw new Error(`no scrape targets for ${region.name}`);
      const configYaml = write(`prometheus-${region.name}.yml`, stringify(localRegionalPrometheusConfig(topology.environment, region, regionTargets)));
      const server = await runTask(output, `Prometheus ${region.name}`, () => startPrometheus({ name: `prometheus-${region.name}`, configYaml, files: { [EDGE_RULES_FILE]: edgeRules } }), (peer) => peer.url);
      return [region.name, server] as const;
    }),
  );
  const started = results.flatMap((result) => (result.status === 'fulfilled' ? [result.value[1]] : []));
  try {
    const failed = results.find((result): result is PromiseRejectedResult => result.status === 'rejected');
    if (failed) throw failed.reason;
    const regional = new Map(results.flatMap((result) => (result.status === 'fulfilled' ? [result.value] : [])));
    const globalYaml = write(
      'prometheus-global.yml',
      stringify(localGlobalPrometheusConfig(alerting.generated, new Map([...regional].map(([name, server]) => [name, address(server.url)])), address(alerting.alertmanager.url))),
    );
    const globalRules = write(GLOBAL_RULES_FILE, stringify(localGlobalRules(alerting.generated)));
    const global = await runTask(output, 'Prometheus global', () => startPrometheus({ name: 'prometheus-global', configYaml: globalYaml, files: { [GLOBAL_RULES_FILE]: globalRules } }), (peer) => peer.url);
    return { regional, global };
  } catch (error) {
    await Promise.all(started.map((server) => server.stop()));
    throw error;
  }
}
