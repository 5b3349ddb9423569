/**
 * FOCUS passthrough, on the FinOps Foundation's sample (1,000 real anonymized FOCUS 1.0 rows of AWS, Microsoft
 * and Oracle): categories kept as the provider set them, values normalized to the spec's spelling, required
 * columns completed.
 */
import { FOCUS_SAMPLE, readLocal, totals } from '../fixtures';

describe('FOCUS sample', () => {
  it('reads every row and keeps each provider apart', async () => {
    const { rows, reading } = await readLocal(FOCUS_SAMPLE, 'aws');
    expect(rows).toHaveLength(1000);
    expect(reading.ledger.badRowCounts()).toEqual([]);
    const byProvider = totals(rows, (row) => row.provider);
    expect(Object.keys(byProvider).sort()).toEqual(['aws', 'azure', 'oracle']);
    expect(byProvider.aws).toBeCloseTo(18.0066386184, 9);
    expect(byProvider.azure).toBeCloseTo(1.97651418586, 9);
    expect(byProvider.oracle).toBeCloseTo(0.53707392473, 9);
  });

  it('keeps the ServiceCategory the rows carry and maps none of them', async () => {
    const { rows } = await readLocal(FOCUS_SAMPLE, 'aws');
    // EC2 rows that are EBS volumes: the provider says Storage, not the service-level Compute.
    expect(rows.filter((row) => row.service === 'Amazon Elastic Compute Cloud' && row.category === 'Storage')).toHaveLength(132);
    expect(rows.some((row) => row.unmapped)).toBe(false);
  });

  it('normalizes timestamps and enumerations, and completes required columns', async () => {
    const { rows } = await readLocal(FOCUS_SAMPLE, 'aws');
    expect(rows[0].values).toMatchObject({ ChargePeriodStart: '2024-09-18T22:00:00Z', BillingPeriodEnd: '2024-10-01T00:00:00Z' });
    expect(rows[0].values.AvailabilityZone).toBeUndefined(); // NULL in the sample
    const oracle = rows.filter((row) => row.provider === 'oracle');
    expect(new Set(oracle.map((row) => row.values.ChargeFrequency))).toEqual(new Set(['Usage-Based'])); // written "Usage-based"
    for (const row of oracle) {
      expect(row.values.ContractedCost).toBe(row.values.BilledCost); // absent in the sample
      if (row.values.ChargeCategory === 'Usage') expect(row.values.SkuPriceId).toBe(row.values.SkuId);
    }
  });
});
