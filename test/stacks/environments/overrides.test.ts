import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadEnvironment } from '../../../stacks/environments/load';
import { environmentOverridesFromProcess } from '../../../stacks/environments/overrides';

describe('SKYLINE_* overrides', () => {
  it('applies account, project and subscription IDs to every region of their cloud', () => {
    const environment = loadEnvironment(
      'dev',
      environmentOverridesFromProcess({
        SKYLINE_AWS_ACCOUNT_ID: '999999999999',
        SKYLINE_GCP_PROJECT_ID: 'acme-ml-dev',
        SKYLINE_AZURE_SUBSCRIPTION_ID: '99999999-9999-9999-9999-999999999999',
        SKYLINE_DOMAIN: 'ml.acme.dev',
      }),
    );
    const regions = environment.regions;
    expect(regions['aws-us-west-2']).toMatchObject({ accountId: '999999999999' });
    expect(regions['gcp-europe-west1']).toMatchObject({ projectId: 'acme-ml-dev', projectNumber: '123456789012' });
    expect(regions['azure-centralindia']).toMatchObject({ subscriptionId: '99999999-9999-9999-9999-999999999999' });
    expect(environment.domain).toBe('ml.acme.dev');
  });

  it('merges a SKYLINE_CONFIG file over the embedded config, and validates the result', () => {
    const directory = mkdtempSync(join(tmpdir(), 'skyline-config-'));
    const file = join(directory, 'prod.json');
    writeFileSync(file, JSON.stringify({ regions: { 'aws-us-west-2': { apiAllowedCidrs: [] } } }));
    const environment = loadEnvironment('prod', environmentOverridesFromProcess({ SKYLINE_CONFIG: file }));
    expect(environment.regions['aws-us-west-2'].apiAllowedCidrs).toEqual([]);
    expect(environment.regions['gcp-europe-west1'].apiAllowedCidrs).toEqual(['198.51.100.0/24']);

    writeFileSync(file, JSON.stringify({ regions: { 'aws-us-west-2': { accountId: '12' } } }));
    expect(() => loadEnvironment('prod', environmentOverridesFromProcess({ SKYLINE_CONFIG: file }))).toThrow(/accountId: must be a 12-digit AWS account ID \(got "12"\)/);
  });

  it('names the file and the fix when SKYLINE_CONFIG is missing or not JSON', () => {
    expect(() => environmentOverridesFromProcess({ SKYLINE_CONFIG: '/nonexistent/skyline.json' })).toThrow(/SKYLINE_CONFIG: cannot read "\/nonexistent\/skyline\.json"/);
    const file = join(mkdtempSync(join(tmpdir(), 'skyline-config-')), 'broken.json');
    writeFileSync(file, '{ regions: ');
    expect(() => environmentOverridesFromProcess({ SKYLINE_CONFIG: file })).toThrow(/is not valid JSON .*; fix the file/);
  });
});
