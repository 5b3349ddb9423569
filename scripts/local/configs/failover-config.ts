/**
 * One failover controller config per region, shaped as the workloads stack builds it
 * (stacks/workloads-stack.ts, addFailoverController) with the addresses rewritten to the local processes:
 * every region in role order, probed at its serving stand-in on 127.0.0.1 over plain HTTP; the other two
 * controllers as peers; the zone moto holds; the local Alertmanager; shortened intervals (intervals.ts).
 * Validated by the controller's own schema before it is written, so a config the controller would refuse never
 * reaches it.
 */
import { regionalApiHostname } from '../../../constructs/common/hostnames';
import { parseFailoverConfig, type FailoverConfigInput } from '../../../services/failover/src/config';
import { LOCAL_INTERVALS } from '../intervals';
import type { LocalRegion, Topology } from '../topology';

export interface FailoverConfigInputs {
  readonly topology: Topology;
  readonly hostedZoneId: string;
  /** Where each region's serving stand-in listens, by region name. */
  readonly servingPorts: ReadonlyMap<string, number>;
  /** Where each region's controller listens, by region name. */
  readonly controllerPorts: ReadonlyMap<string, number>;
  readonly alertmanagerUrl: string;
}

export function localFailoverConfig(observer: LocalRegion, inputs: FailoverConfigInputs): FailoverConfigInput {
  const { topology } = inputs;
  const { domain, name: env } = topology.environment;
  const port = (ports: ReadonlyMap<string, number>, region: string): number => {
    const value = ports.get(region);
    if (value === undefined) throw new Error(`no port for ${region}`);
    return value;
  };
  const interval = LOCAL_INTERVALS.failoverProbe;
  const config: FailoverConfigInput = {
    instance: { name: `failover-${observer.name}`, region: observer.name },
    env,
    domain,
    regions: topology.regions.map((region) => ({
      name: region.name,
      cloud: region.cloud,
      address: '127.0.0.1',
      port: port(inputs.servingPorts, region.name),
      scheme: 'http',
      hostname: regionalApiHostname(domain, region.name),
    })),
    peers: topology.regions
      .filter((region) => region.name !== observer.name)
      .map((region) => ({ region: region.name, url: `http://127.0.0.1:${port(inputs.controllerPorts, region.name)}` })),
    dns: { kind: 'route53', hostedZoneId: inputs.hostedZoneId, insyncPollSeconds: 0.2, insyncTimeoutSeconds: 10 },
    // The stack's rule: failure threshold 3, quorum a majority of the regions.
    detection: {
      intervalSeconds: interval,
      failureThreshold: 3,
      successThreshold: 3,
      quorum: Math.floor(topology.regions.length / 2) + 1,
      tcpTimeoutSeconds: interval / 4,
      httpTimeoutSeconds: interval / 2,
    },
    restore: { soakSeconds: LOCAL_INTERVALS.restoreSoak },
    alerts: { kind: 'alertmanager', url: inputs.alertmanagerUrl, repeatSeconds: LOCAL_INTERVALS.alertRepeat, timeoutSeconds: 1 },
    retry: { baseDelaySeconds: 0.1, maxDelaySeconds: 1 },
    server: { host: '127.0.0.1', port: port(inputs.controllerPorts, observer.name) },
  };
  parseFailoverConfig(config, `local failover config of ${observer.name}`);
  return config;
}
