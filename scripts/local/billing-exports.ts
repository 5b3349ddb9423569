/**
 * The sample billing data where each cloud's export lands, so that the cost analyzer reads it through its real
 * adapters: AWS's FOCUS export in an S3 bucket of moto (the environment's `cost.aws.exportBucketName`), Azure's
 * cost export CSV in an Azurite container, and GCP's standard usage cost export as a JSON-lines file — BigQuery,
 * where GCP exports, has no emulator. The data are the repository's fixtures, all of September 2024
 * (test/fixtures/focus/README.md: the FinOps Foundation's FOCUS sample, CC BY 4.0).
 */
import { ContainerClient } from '@azure/storage-blob';
import { CreateBucketCommand, PutObjectCommand, S3Client, type BucketLocationConstraint } from '@aws-sdk/client-s3';
import { copyFileSync, mkdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { billingExportSources } from '../../constructs/workloads/cost-analyzer-values';
import type { CostAnalyzerConfigInput } from '../../services/cost-analyzer/src/config';
import { PROJECT_ROOT } from '../../test/helpers/app-command';
import { EMULATOR_CREDENTIALS } from './dns-records';
import type { Emulators } from './emulators';
import type { Topology } from './topology';

/** The month the sample data covers: what the demo's report reads. */
export const SAMPLE_BILLING_MONTH = '2024-09';

const SAMPLE_FILES = {
  /** FOCUS 1.0, 1,000 rows of AWS, Microsoft and Oracle charges. */
  awsFocus: join(PROJECT_ROOT, 'test', 'fixtures', 'focus', 'focus_sample_1.0.csv'),
  /** A Microsoft Customer Agreement amortized cost export (dev exports AmortizedCost). */
  azureAmortized: join(PROJECT_ROOT, 'test', 'fixtures', 'cost', 'azure-mca-amortized.csv'),
  azureActual: join(PROJECT_ROOT, 'test', 'fixtures', 'cost', 'azure-ea-actual.csv'),
  /** Rows of the BigQuery standard usage cost export, one JSON object per line. */
  gcpStandard: join(PROJECT_ROOT, 'test', 'fixtures', 'cost', 'gcp-standard.jsonl'),
} as const;

/** Where the local exports are: the analyzer reads every export file under its source's prefix. */
const LOCAL_LAYOUT = { awsPrefix: 'focus/', azureContainer: 'cost-exports', azurePrefix: 'exports/' } as const;

export type CostSources = CostAnalyzerConfigInput['sources'];

/** Puts the sample exports in place and returns the analyzer's sources over them, as the workloads stack names them. */
export async function createBillingExports(topology: Topology, emulators: Emulators, directory: string): Promise<CostSources> {
  const { cost } = topology.environment;
  const primary = topology.regions[0];

  const s3 = new S3Client({ endpoint: emulators.moto.url, region: primary.name, credentials: EMULATOR_CREDENTIALS, forcePathStyle: true });
  await s3.send(new CreateBucketCommand({ Bucket: cost.aws.exportBucketName, CreateBucketConfiguration: { LocationConstraint: primary.name as BucketLocationConstraint } }));
  await s3.send(
    new PutObjectCommand({
      Bucket: cost.aws.exportBucketName,
      Key: `${LOCAL_LAYOUT.awsPrefix}${basename(SAMPLE_FILES.awsFocus)}`,
      Body: readFileSync(SAMPLE_FILES.awsFocus),
    }),
  );

  const container = new ContainerClient(emulators.azurite.connectionString, LOCAL_LAYOUT.azureContainer);
  await container.create();
  const azureFile = cost.azure.exportCostType === 'AmortizedCost' ? SAMPLE_FILES.azureAmortized : SAMPLE_FILES.azureActual;
  await container.getBlockBlobClient(`${LOCAL_LAYOUT.azurePrefix}${basename(azureFile)}`).uploadFile(azureFile);

  mkdirSync(directory, { recursive: true });
  const gcpFile = join(directory, basename(SAMPLE_FILES.gcpStandard));
  copyFileSync(SAMPLE_FILES.gcpStandard, gcpFile);

  return [
    ...billingExportSources({
      aws: { bucket: cost.aws.exportBucketName, prefix: LOCAL_LAYOUT.awsPrefix, region: primary.name },
      azure: { accountUrl: emulators.azurite.blobAccountUrl, container: LOCAL_LAYOUT.azureContainer, prefix: LOCAL_LAYOUT.azurePrefix, costType: cost.azure.exportCostType },
    }),
    // In place of the BigQuery table: the same rows, the same format.
    { name: 'gcp-standard', provider: 'gcp', kind: 'file', format: 'gcp-standard', path: gcpFile },
  ];
}
