import { Token } from 'cdktf';
import { replicatorValues, type ReplicatorProps } from '../../../constructs/workloads/replicator-values';

const base: ReplicatorProps = {
  imageRepository: 'ghcr.io/acme/skyline-replicator',
  imageTag: '0.1.0',
  config: {
    stores: [
      { name: 'us-west-2', kind: 's3', bucket: 'skyline-dev-models-usw2', region: 'us-west-2' },
      { name: 'europe-west1', kind: 'gcs', bucket: 'skyline-dev-models-euw1' },
    ],
  },
};

describe('replicatorValues', () => {
  it('runs the replicator in replicate mode on the chart\'s port, as skyline-system/replicator, with no federation unless given', () => {
    const values = replicatorValues(base);
    expect(values.config).toEqual({ ...base.config, mode: 'replicate', server: { host: '0.0.0.0', port: 9464 } });
    expect(values.serviceAccount).toEqual({ name: 'replicator', annotations: {} });
    expect(values.gcpFederation.enabled).toBe(false);
    expect(values.azureFederation).toMatchObject({ enabled: false, audience: 'api://AzureADTokenExchange' });
    expect(values.resources).toEqual({ requests: { cpu: '250m', memory: '512Mi' }, limits: { cpu: '1000m', memory: '512Mi' } });
    expect(values.podDisruptionBudget).toEqual({ enabled: true, maxUnavailable: 1 });
  });

  it('moves the config\'s port with the HTTP port', () => {
    expect(replicatorValues({ ...base, httpPort: 9500 }).config.server).toEqual({ host: '0.0.0.0', port: 9500 });
  });

  it('accepts Terraform references for what exists only at apply (audience, e-mail, client ID), and checks literals', () => {
    const reference = Token.asString({ Ref: 'resource.attribute' });
    const values = replicatorValues({ ...base, gcpFederation: { audience: reference, serviceAccountEmail: reference }, azureFederation: { clientId: reference, tenantId: '00000000-0000-0000-0000-000000000000' } });
    expect(values.gcpFederation.enabled).toBe(true);
    expect(values.azureFederation.enabled).toBe(true);
    expect(() => replicatorValues({ ...base, gcpFederation: { audience: 'https://sts.googleapis.com', serviceAccountEmail: 'replicator' } })).toThrow(
      /Invalid replicator props \(2 problems\):\n {2}- gcpFederation\.audience is "https:\/\/sts\.googleapis\.com": must be the federation provider.*\n {2}- gcpFederation\.serviceAccountEmail is "replicator": must be a Google service account e-mail/,
    );
  });

  it('refuses a config the replicator would refuse, naming the field', () => {
    expect(() => replicatorValues({ ...base, config: { stores: base.config.stores.slice(0, 1) } })).toThrow(/config\.stores is .*: must list at least two stores/);
    expect(() => replicatorValues({ ...base, httpPort: 80, memoryMiB: 0 })).toThrow(/httpPort is 80: must be a port from 1024 to 65535[\s\S]*memoryMiB is 0: must be a whole number, 1 or more/);
  });
});
