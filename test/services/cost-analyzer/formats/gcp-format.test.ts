/**
 * The GCP standard usage cost export → FOCUS, from BigQuery-shaped rows (nested `service.description`, repeated
 * `credits` and `labels`), as `bq extract` writes them as JSON lines and the BigQuery adapter flattens them.
 */
import { fixture, readLocal } from '../fixtures';

describe('GCP standard usage cost export', () => {
  it('maps nested fields and nets credits into BilledCost', async () => {
    const { rows } = await readLocal(fixture('gcp-standard.jsonl'), 'gcp');
    expect(rows).toHaveLength(6);
    expect(rows[0]).toMatchObject({ provider: 'gcp', region: 'europe-west1', category: 'Compute', service: 'Compute Engine', currency: 'EUR' });
    expect(rows[0].billedCost).toBeCloseTo(0.1396 - 0.0279, 12);
    expect(rows[0].values).toMatchObject({
      ProviderName: 'Google Cloud',
      PublisherName: 'Google',
      BillingAccountId: '01A2B3-C4D5E6-F7A8B9',
      SubAccountId: 'skyline-prod',
      ChargePeriodStart: '2024-09-01T00:00:00Z',
      ChargePeriodEnd: '2024-09-01T01:00:00Z',
      BillingPeriodStart: '2024-09-01T00:00:00Z',
      BillingPeriodEnd: '2024-10-01T00:00:00Z',
      ChargeCategory: 'Usage',
      ListCost: '0.1396',
      SkuId: '2E27-4F75-95CD',
      AvailabilityZone: 'europe-west1-b',
      ConsumedQuantity: '14400',
      ConsumedUnit: 'seconds',
      PricingQuantity: '4',
      PricingUnit: 'hour',
      Tags: '{"team":"ml-serving"}',
    });
    expect(rows[2]).toMatchObject({ service: 'Kubernetes Engine', category: 'Compute', billedCost: 0 }); // free tier credit
  });

  it('maps tax rows, rows without project, and unknown services', async () => {
    const { rows, reading } = await readLocal(fixture('gcp-standard.jsonl'), 'gcp');
    expect(rows[5]).toMatchObject({ region: 'global', billedCost: 0.21 });
    expect(rows[5].values).toMatchObject({ ChargeCategory: 'Tax', ChargeFrequency: 'One-Time' });
    expect(rows[5].values.SubAccountId).toBeUndefined();
    expect(rows[4]).toMatchObject({ service: 'Quantum Engine', category: 'Other', unmapped: true });
    expect(rows.map((row) => row.category)).toEqual(['Compute', 'Storage', 'Compute', 'Analytics', 'Other', 'Compute']);
    expect(reading.ledger.badRowCounts()).toEqual([]);
  });
});
