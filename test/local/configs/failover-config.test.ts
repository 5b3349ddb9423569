/** Each local failover controller's config: the workloads stack's shape, pointed at the local processes. */
import { parseFailoverConfig } from '../../../services/failover/src/config';
import { localFailoverConfig } from '../../../scripts/local/configs/failover-config';
import { LOCAL_INTERVALS } from '../../../scripts/local/intervals';
import { localTopology } from '../../../scripts/local/topology';

const topology = localTopology();
const servingPorts = new Map(topology.regions.map((region, index) => [region.name, 8000 + index]));
const controllerPorts = new Map(topology.regions.map((region, index) => [region.name, 9000 + index]));
const inputs = { topology, hostedZoneId: 'Z0123456789ABCDEFGHIJ', servingPorts, controllerPorts, alertmanagerUrl: 'http://127.0.0.1:9093' };

describe('localFailoverConfig', () => {
  it.each(topology.regions.map((region) => [region.name, region] as const))('%s: probes every region\'s model server in role order, polls the two other controllers', (_name, observer) => {
    const config = parseFailoverConfig(localFailoverConfig(observer, inputs));
    expect(config.instance.region).toBe(observer.name);
    expect(config.regions.map((region) => [region.name, region.cloud, region.address, region.port, region.scheme, region.hostname, region.spillTarget])).toEqual([
      ['us-west-2', 'aws', '127.0.0.1', 8000, 'http', 'us-west-2.api.ml.example.com', 'europe-west1'],
      ['europe-west1', 'gcp', '127.0.0.1', 8001, 'http', 'europe-west1.api.ml.example.com', 'centralindia'],
      ['centralindia', 'azure', '127.0.0.1', 8002, 'http', 'centralindia.api.ml.example.com', 'us-west-2'],
    ]);
    expect(config.peers.map((peer) => peer.region).sort()).toEqual(topology.regions.map((region) => region.name).filter((name) => name !== observer.name).sort());
    for (const peer of config.peers) expect(peer.url).toBe(`http://127.0.0.1:${controllerPorts.get(peer.region)}`);
    expect(config.server).toEqual({ host: '127.0.0.1', port: controllerPorts.get(observer.name) });
  });

  it('keeps the stack\'s decision rules (3 failures, a majority quorum) and shortens only the intervals', () => {
    const config = parseFailoverConfig(localFailoverConfig(topology.regions[1], inputs));
    expect(config.detection).toMatchObject({ intervalSeconds: LOCAL_INTERVALS.failoverProbe, failureThreshold: 3, quorum: 2 });
    expect(config.restore).toEqual({ steps: [10, 50, 100], soakSeconds: LOCAL_INTERVALS.restoreSoak });
    expect(config.alerts).toMatchObject({ kind: 'alertmanager', url: 'http://127.0.0.1:9093', repeatSeconds: LOCAL_INTERVALS.alertRepeat });
    expect(config.dns).toMatchObject({ kind: 'route53', hostedZoneId: 'Z0123456789ABCDEFGHIJ' });
  });
});
