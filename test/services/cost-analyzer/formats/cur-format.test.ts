/**
 * AWS CUR → FOCUS, on samples written to the CUR data dictionary: legacy `lineItem/...` columns and CUR 2.0
 * `line_item_...` columns, every line item type the mapping treats differently.
 */
import { fixture, readLocal } from '../fixtures';

describe('legacy CUR', () => {
  it('maps usage rows column by column', async () => {
    const { rows } = await readLocal(fixture('cur-legacy.csv'), 'aws');
    expect(rows).toHaveLength(8);
    expect(rows[0]).toMatchObject({ provider: 'aws', region: 'us-west-2', category: 'Compute', service: 'Amazon Elastic Compute Cloud', currency: 'USD', billedCost: 2.304, unmapped: false });
    expect(rows[0].values).toMatchObject({
      ProviderName: 'AWS',
      PublisherName: 'Amazon Web Services, Inc.',
      InvoiceIssuerName: 'Amazon Web Services, Inc.',
      BillingAccountId: '111122223333',
      SubAccountId: '444455556666',
      BilledCost: '2.304',
      EffectiveCost: '2.304',
      ListCost: '2.304',
      ContractedCost: '2.304',
      ChargeCategory: 'Usage',
      ChargeFrequency: 'Usage-Based',
      ChargePeriodStart: '2024-09-01T00:00:00Z',
      ChargePeriodEnd: '2024-09-02T00:00:00Z',
      BillingPeriodStart: '2024-09-01T00:00:00Z',
      BillingPeriodEnd: '2024-10-01T00:00:00Z',
      RegionId: 'us-west-2',
      RegionName: 'US West (Oregon)',
      AvailabilityZone: 'us-west-2a',
      ResourceId: 'i-0abc1234def567890',
      ConsumedQuantity: '24',
      ConsumedUnit: 'Hrs',
      PricingCategory: 'Standard',
      SkuId: '6QCMYABX3D4CZ3HQ',
      SkuPriceId: '6QCMYABX3D4CZ3HQ.JRTCKXETXF.6YS6EN2CT7',
      ServiceCategory: 'Compute',
      Tags: '{"user:team":"ml-serving"}',
    });
    expect(rows[1]).toMatchObject({ category: 'Storage', service: 'Amazon Simple Storage Service' });
    expect(rows[4]).toMatchObject({ category: 'Compute', service: 'Amazon Elastic Kubernetes Service' });
  });

  it('takes savings plan rows at their effective cost and cancels their negation', async () => {
    const { rows } = await readLocal(fixture('cur-legacy.csv'), 'aws');
    expect(rows[2].values).toMatchObject({ ChargeCategory: 'Usage', BilledCost: '2.012', EffectiveCost: '1.21', PricingCategory: 'Committed', CommitmentDiscountId: expect.stringMatching(/^arn:aws:savingsplans::/) });
    expect(rows[3].values).toMatchObject({ ChargeCategory: 'Credit', BilledCost: '-2.012', EffectiveCost: '0' });
  });

  it('maps tax, credits and unknown services', async () => {
    const { rows, reading } = await readLocal(fixture('cur-legacy.csv'), 'aws');
    expect(rows[6].values).toMatchObject({ ChargeCategory: 'Tax', ChargeFrequency: 'Recurring', BilledCost: '0.35' });
    expect(rows[7].values).toMatchObject({ ChargeCategory: 'Credit', BilledCost: '-1.00' });
    expect(rows[5]).toMatchObject({ service: 'AWS Ground Station', category: 'Other', unmapped: true });
    expect(reading.ledger.unmappedServices()).toEqual([{ provider: 'aws', service: 'AWS Ground Station', rows: 1 }]);
    // 2.304 + 1.15 + 2.012 − 2.012 + 2.40 + 2.20 + 0.35 − 1.00
    expect(rows.reduce((total, row) => total + row.billedCost, 0)).toBeCloseTo(7.404, 10);
  });
});

describe('CUR 2.0', () => {
  it('maps the line_item_ columns, spot pricing, reservations and the resource_tags map', async () => {
    const { rows } = await readLocal(fixture('cur2.csv'), 'aws', 'cur');
    expect(rows.map((row) => [row.service, row.category, row.billedCost])).toEqual([
      ['AmazonEC2', 'Compute', 9.648],
      ['AmazonRDS', 'Databases', 0],
      ['AWSDataTransfer', 'Networking', 10.8],
    ]);
    expect(rows[0].values).toMatchObject({ PricingCategory: 'Dynamic', BillingAccountName: 'skyline-payer', SubAccountName: 'skyline-prod', Tags: '{"user_team":"ml-serving"}', ChargePeriodStart: '2024-09-04T00:00:00Z' });
    expect(rows[1].values).toMatchObject({ EffectiveCost: '4.1', PricingCategory: 'Committed', CommitmentDiscountId: 'arn:aws:rds:us-west-2:444455556666:ri:skyline-ri' });
  });
});
