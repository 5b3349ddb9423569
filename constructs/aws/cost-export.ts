import { BcmdataexportsExport } from '@cdktf/provider-aws/lib/bcmdataexports-export';
import type { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { S3Bucket } from '@cdktf/provider-aws/lib/s3-bucket';
import { S3BucketLoggingA } from '@cdktf/provider-aws/lib/s3-bucket-logging';
import { Construct } from 'constructs';
import type { AccessLogBucket } from './access-log-bucket';
import { addBucketGuardrails } from './bucket-guardrails';
import { EncryptionKey } from './encryption-key';
import type { WorkloadIdentity } from './workload-identity';

/** The Data Exports table of FOCUS 1.2 cost and usage with AWS's three `x_` columns (Data Exports table dictionary). */
const FOCUS_TABLE = 'FOCUS_1_2_AWS';

/**
 * Every column of FOCUS_1_2_AWS: Data Exports refuses `SELECT *`, and a listed column is a column the analyzer can
 * rely on. Order as in the table dictionary.
 */
export const FOCUS_COLUMNS = [
  'AvailabilityZone', 'BilledCost', 'BillingAccountId', 'BillingAccountName', 'BillingAccountType', 'BillingCurrency',
  'BillingPeriodEnd', 'BillingPeriodStart', 'CapacityReservationId', 'CapacityReservationStatus', 'ChargeCategory',
  'ChargeClass', 'ChargeDescription', 'ChargeFrequency', 'ChargePeriodEnd', 'ChargePeriodStart',
  'CommitmentDiscountCategory', 'CommitmentDiscountId', 'CommitmentDiscountName', 'CommitmentDiscountQuantity',
  'CommitmentDiscountStatus', 'CommitmentDiscountType', 'CommitmentDiscountUnit', 'ConsumedQuantity', 'ConsumedUnit',
  'ContractedCost', 'ContractedUnitPrice', 'EffectiveCost', 'InvoiceId', 'InvoiceIssuerName', 'ListCost',
  'ListUnitPrice', 'PricingCategory', 'PricingCurrency', 'PricingCurrencyContractedUnitPrice',
  'PricingCurrencyEffectiveCost', 'PricingCurrencyListUnitPrice', 'PricingQuantity', 'PricingUnit', 'ProviderName',
  'PublisherName', 'RegionId', 'RegionName', 'ResourceId', 'ResourceName', 'ResourceType', 'ServiceCategory',
  'ServiceName', 'ServiceSubcategory', 'SkuId', 'SkuMeter', 'SkuPriceDetails', 'SkuPriceId', 'SubAccountId',
  'SubAccountName', 'SubAccountType', 'Tags', 'x_Discounts', 'x_Operation', 'x_ServiceCode',
] as const;

/** The services that write exports (Data Exports, and legacy CUR, which shares the documented bucket policy). */
const DELIVERY_SERVICES = ['bcm-data-exports.amazonaws.com', 'billingreports.amazonaws.com'];

/** Data Exports has one endpoint, in us-east-1: the export resource is created there, whatever the bucket's region. */
export const DATA_EXPORTS_REGION = 'us-east-1';

export interface AwsCostExportProps {
  /** Globally unique bucket name. */
  readonly bucketName: string;
  /** The account whose cost is exported; the bucket policy accepts deliveries for this account only. */
  readonly accountId: string;
  /** Name of the export, unique in the account; it is also a path segment of every object. */
  readonly exportName: string;
  /** A provider for us-east-1, the only region Data Exports serves (the bucket stays in the default provider's region). */
  readonly dataExportsProvider: AwsProvider;
  /** The bucket's region, which the export delivers to. */
  readonly region: string;
  /** Days an export file (one per billing period, rewritten while the period is open) is kept. */
  readonly retentionDays: number;
  /** Days a replaced version of an export file is kept. */
  readonly noncurrentVersionRetentionDays: number;
  /** Receives the bucket's server access logs (who read which bill), under `<bucketName>/`. */
  readonly accessLogs: AccessLogBucket;
  /** @default 'focus' */
  readonly prefix?: string;
  /**
   * Granularity of the rows.
   * @default 'DAILY'
   */
  readonly timeGranularity?: 'HOURLY' | 'DAILY' | 'MONTHLY';
  /**
   * Refuse `terraform destroy` while the bucket holds objects.
   * @default true
   */
  readonly retainObjectsOnDestroy?: boolean;
}

/**
 * The account's FOCUS billing export: an AWS Data Exports export of the FOCUS 1.2 table, in Parquet, refreshed as the
 * bill updates and overwritten per billing period, into its own bucket. The bucket is versioned, SSE-KMS with its own
 * rotating key, every form of public access blocked, ACLs off, TLS-only, and accepts deliveries only from the export
 * services acting for this account (the policy AWS documents, `aws:SourceAccount` and `aws:SourceArn`). Every request
 * is recorded in the server access logs; files expire after the retention period.
 */
export class AwsCostExport extends Construct {
  readonly bucket: S3Bucket;
  readonly bucketName: string;
  readonly encryptionKey: EncryptionKey;
  readonly export: BcmdataexportsExport;
  /**
   * Where the Parquet files land, as plain strings known at synth (a reader in another stack needs no reference):
   * `s3://<bucket>/<prefix>BILLING_PERIOD=<yyyy-mm>/<exportName>-<n>.snappy.parquet`.
   */
  readonly exportLocation: { readonly bucket: string; readonly prefix: string; readonly region: string };

  constructor(scope: Construct, id: string, props: AwsCostExportProps) {
    super(scope, id);
    const prefix = props.prefix ?? 'focus';
    this.exportLocation = { bucket: props.bucketName, prefix: `${prefix}/${props.exportName}/data/`, region: props.region };
    this.encryptionKey = new EncryptionKey(this, 'key', {
      alias: `${props.bucketName}-objects`,
      description: `Encrypts the billing exports in s3://${props.bucketName}`,
      accountId: props.accountId,
      // The export services write through S3, which asks KMS for a data key on their behalf.
      servicePrincipals: DELIVERY_SERVICES,
    });
    this.bucket = new S3Bucket(this, 'bucket', { bucket: props.bucketName, forceDestroy: !(props.retainObjectsOnDestroy ?? true) });
    this.bucketName = this.bucket.bucket;
    const { policy } = addBucketGuardrails(this, {
      bucket: this.bucket,
      kmsKeyArn: this.encryptionKey.arn,
      policyStatementsAfterTlsDeny: [
        {
          // As AWS documents it (Data Exports, "Setting up an Amazon S3 bucket"): the export services may write and
          // check the policy, only for exports and reports of this account.
          Sid: 'EnableAWSDataExportsToWriteToS3AndCheckPolicy',
          Effect: 'Allow',
          Principal: { Service: DELIVERY_SERVICES },
          Action: ['s3:PutObject', 's3:GetBucketPolicy'],
          Resource: [`${this.bucket.arn}/*`, this.bucket.arn],
          Condition: {
            StringLike: {
              'aws:SourceAccount': props.accountId,
              'aws:SourceArn': [
                `arn:aws:cur:${DATA_EXPORTS_REGION}:${props.accountId}:definition/*`,
                `arn:aws:bcm-data-exports:${DATA_EXPORTS_REGION}:${props.accountId}:export/*`,
              ],
            },
          },
        },
      ],
      lifecycleRules: [
        {
          id: 'expire-old-exports',
          status: 'Enabled',
          filter: [{ prefix: '' }],
          expiration: [{ days: props.retentionDays }],
          noncurrentVersionExpiration: [{ noncurrentDays: props.noncurrentVersionRetentionDays }],
        },
        { id: 'abort-incomplete-multipart-uploads', status: 'Enabled', filter: [{ prefix: '' }], abortIncompleteMultipartUpload: [{ daysAfterInitiation: 7 }] },
      ],
    });
    new S3BucketLoggingA(this, 'access-logging', { bucket: this.bucket.id, targetBucket: props.accessLogs.bucket.id, targetPrefix: `${props.bucketName}/` });

    this.export = new BcmdataexportsExport(this, 'export', {
      provider: props.dataExportsProvider,
      export: [
        {
          name: props.exportName,
          description: `FOCUS 1.2 cost and usage of account ${props.accountId}`,
          dataQuery: [
            {
              queryStatement: `SELECT ${FOCUS_COLUMNS.join(', ')} FROM ${FOCUS_TABLE}`,
              tableConfigurations: { [FOCUS_TABLE]: { TIME_GRANULARITY: props.timeGranularity ?? 'DAILY' } },
            },
          ],
          destinationConfigurations: [
            {
              s3Destination: [
                {
                  s3Bucket: this.bucket.bucket,
                  s3Prefix: prefix,
                  s3Region: props.region,
                  // One file set per billing period, rewritten as the bill changes: the analyzer reads the latest only.
                  s3OutputConfigurations: [{ format: 'PARQUET', compression: 'PARQUET', outputType: 'CUSTOM', overwrite: 'OVERWRITE_REPORT' }],
                },
              ],
            },
          ],
          // The only cadence Data Exports offers: refreshed whenever the bill is, up to three times a day.
          refreshCadence: [{ frequency: 'SYNCHRONOUS' }],
        },
      ],
      // Data Exports checks the bucket policy when the export is created.
      dependsOn: [policy],
    });
  }

  /** Lets `identity` list the bucket and read the export files (decrypting them). */
  grantRead(identity: WorkloadIdentity): void {
    identity.addPolicy(`read-${this.node.id}`, [
      { Sid: 'ListCostExports', Effect: 'Allow', Action: ['s3:ListBucket', 's3:GetBucketLocation'], Resource: [this.bucket.arn] },
      { Sid: 'ReadCostExports', Effect: 'Allow', Action: ['s3:GetObject'], Resource: [`${this.bucket.arn}/*`] },
      { Sid: 'DecryptCostExports', Effect: 'Allow', Action: ['kms:Decrypt'], Resource: [this.encryptionKey.arn] },
    ]);
  }
}
