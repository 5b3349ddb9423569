/**
 * Azure Cost Management exports → FOCUS: an Enterprise Agreement actual-cost file (PascalCase, schema
 * 2024-08-01, dates month first) and a Microsoft Customer Agreement amortized file (camelCase, ISO dates).
 */
import { fixture, readLocal, totals } from '../fixtures';

describe('Azure EA actual cost', () => {
  it('maps daily usage rows, in the billing currency', async () => {
    const { rows } = await readLocal(fixture('azure-ea-actual.csv'), 'azure', 'azure-actual');
    expect(rows).toHaveLength(6);
    expect(rows[0]).toMatchObject({ provider: 'azure', region: 'centralindia', category: 'Compute', service: 'Virtual Machines', currency: 'INR', billedCost: 1058.64 });
    expect(rows[0].values).toMatchObject({
      ProviderName: 'Microsoft',
      BillingAccountId: '12345678',
      SubAccountId: '00000000-0000-0000-0000-000000000001',
      SubAccountName: 'skyline-prod',
      ChargePeriodStart: '2024-09-01T00:00:00Z',
      ChargePeriodEnd: '2024-09-02T00:00:00Z',
      BillingPeriodStart: '2024-09-01T00:00:00Z',
      BillingPeriodEnd: '2024-10-01T00:00:00Z', // the export's end date is inclusive
      ChargeCategory: 'Usage',
      ChargeFrequency: 'Usage-Based',
      PricingCategory: 'Standard',
      ConsumedQuantity: '24',
      ConsumedUnit: '1 Hour',
      SkuPriceId: '2c5c3d1a-0b3e-4a77-8f1d-1a2b3c4d5e6f',
      RegionName: 'centralindia',
      Tags: '{"team": "ml-serving","env": "prod"}',
    });
    expect(Number(rows[0].values.ListCost)).toBeCloseTo(24 * 44.11, 10);
    expect(JSON.parse(rows[0].values.Tags!)).toEqual({ team: 'ml-serving', env: 'prod' });
  });

  it('maps purchases, categories and unknown meters', async () => {
    const { rows } = await readLocal(fixture('azure-ea-actual.csv'), 'azure', 'azure-actual');
    expect(rows.map((row) => row.category)).toEqual(['Compute', 'Storage', 'Compute', 'Networking', 'Other', 'Compute']);
    expect(rows[4]).toMatchObject({ service: 'Azure Quantum', unmapped: true });
    expect(rows[5].values).toMatchObject({ ChargeCategory: 'Purchase', ChargeFrequency: 'One-Time', CommitmentDiscountId: 'r-0001' });
    expect(rows[5].values.PricingCategory).toBeUndefined(); // a purchase has no usage pricing
    expect(rows[5].region).toBe('global');
  });
});

describe('Azure MCA amortized cost', () => {
  it('reads camelCase columns and amortized reservation rows', async () => {
    const { rows } = await readLocal(fixture('azure-mca-amortized.csv'), 'azure', 'azure-amortized');
    expect(rows.map((row) => [row.category, row.values.PricingCategory, row.currency])).toEqual([
      ['Compute', 'Committed', 'USD'],
      ['Compute', 'Committed', 'USD'],
      ['Databases', 'Standard', 'USD'],
    ]);
    expect(rows[1].values).toMatchObject({ ChargeCategory: 'Usage', BilledCost: '49', EffectiveCost: '49', CommitmentDiscountName: 'ml-gpu-reservation' });
    expect(rows[0].values).toMatchObject({ ChargePeriodStart: '2024-09-05T00:00:00Z', BillingPeriodEnd: '2024-10-01T00:00:00Z' });
    expect(totals(rows, (row) => row.currency)).toEqual({ USD: 588 + 49 + 8.544 });
  });
});
