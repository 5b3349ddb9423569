/**
 * A synthetic AWS Cost and Usage Report (legacy CUR CSV, `lineItem/...` columns) for the cost benchmark: the
 * columns the analyzer and the FinOps Foundation's focus-converter (`--provider aws-cur`) both read, with a mix of
 * services, regions and days like a real month, written as a stream. (The converter's `aws` provider, for CUR 2.0
 * names, cannot read CSV: it reads dates as text and fails on them.)
 */
import { createWriteStream } from 'node:fs';
import { once } from 'node:events';

const COLUMNS = [
  'identity/LineItemId', 'bill/BillType', 'bill/BillingPeriodStartDate', 'bill/BillingPeriodEndDate', 'bill/InvoicingEntity', 'bill/PayerAccountId',
  'lineItem/UsageAccountId', 'lineItem/LineItemType', 'lineItem/UsageStartDate', 'lineItem/UsageEndDate', 'lineItem/ProductCode',
  'lineItem/UsageType', 'lineItem/AvailabilityZone', 'lineItem/ResourceId', 'lineItem/UsageAmount', 'lineItem/CurrencyCode',
  'lineItem/UnblendedRate', 'lineItem/UnblendedCost', 'lineItem/NetUnblendedCost', 'lineItem/LineItemDescription', 'lineItem/LegalEntity',
  'product/region', 'product/sku', 'product/PurchaseOption', 'pricing/RateCode', 'pricing/RateId', 'pricing/publicOnDemandCost',
  'pricing/publicOnDemandRate', 'pricing/term', 'pricing/unit', 'reservation/EffectiveCost', 'reservation/ReservationARN',
  'reservation/TotalReservedUnits', 'reservation/UnusedAmortizedUpfrontFeeForBillingPeriod', 'reservation/UnusedRecurringFee',
  'savingsPlan/SavingsPlanARN', 'savingsPlan/SavingsPlanEffectiveCost', 'savingsPlan/TotalCommitmentToDate', 'savingsPlan/UsedCommitment',
];

const PRODUCTS = [
  ['AmazonEC2', 'BoxUsage:m5.large', 'Hrs', 0.096],
  ['AmazonEC2', 'BoxUsage:g5.xlarge', 'Hrs', 1.006],
  ['AmazonS3', 'TimedStorage-ByteHrs', 'GB-Mo', 0.023],
  ['AmazonRDS', 'InstanceUsage:db.r6g.large', 'Hrs', 0.258],
  ['AmazonEKS', 'AmazonEKS-Hours:perCluster', 'Hours', 0.1],
  ['AWSDataTransfer', 'DataTransfer-Out-Bytes', 'GB', 0.09],
  ['AmazonCloudWatch', 'CW:MetricMonitorUsage', 'Metrics', 0.3],
  ['AWSLambda', 'Lambda-GB-Second', 'Lambda-GB-Second', 0.0000166667],
  ['AmazonDynamoDB', 'ReadRequestUnits', 'ReadRequestUnits', 0.00000025],
  ['AWSGroundStation', 'GroundStation-Minutes', 'Minutes', 22],
] as const;
const REGIONS = ['us-west-2', 'us-east-1', 'eu-west-1', 'ap-south-1'];

/** Writes `rows` rows of September 2024 to `path`. */
export async function writeCurExport(path: string, rows: number): Promise<void> {
  const out = createWriteStream(path);
  out.write(`${COLUMNS.join(',')}\n`);
  for (let index = 0; index < rows; index++) {
    const [code, usageType, unit, rate] = PRODUCTS[index % PRODUCTS.length];
    const region = REGIONS[(index >> 3) % REGIONS.length];
    const day = 1 + (index % 30);
    const hour = (index >> 5) % 24;
    const start = `2024-09-${String(day).padStart(2, '0')}T${String(hour).padStart(2, '0')}:00:00Z`;
    const end = `2024-09-${String(day).padStart(2, '0')}T${String(hour).padStart(2, '0')}:59:59Z`;
    const amount = 1 + (index % 7);
    const cost = (amount * rate).toFixed(10);
    const line = [
      `li-${index}`, 'Anniversary', '2024-09-01T00:00:00Z', '2024-10-01T00:00:00Z', 'Amazon Web Services Inc.', '111122223333',
      String(444455550000 + (index % 5)), 'Usage', start, end, code,
      `${region}-${usageType}`, `${region}a`, `arn:aws:resource:${region}:${index % 1000}`, String(amount), 'USD',
      String(rate), cost, cost, `${usageType} in ${region}`, 'Amazon Web Services Inc.',
      region, `SKU${index % 97}`, 'on_demand', `SKU${index % 97}.RATE`, String(1000 + (index % 97)), cost,
      String(rate), 'OnDemand', unit, '', '',
      '', '', '',
      '', '', '', '',
    ].join(',');
    if (!out.write(`${line}\n`)) await once(out, 'drain');
  }
  out.end();
  await once(out, 'finish');
}
