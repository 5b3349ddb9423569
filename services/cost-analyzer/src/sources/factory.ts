/** One billing source per configured source, keyed by its kind (a closed union, DESIGN § 6). */
import { S3Client } from '@aws-sdk/client-s3';
import { DefaultAzureCredential } from '@azure/identity';
import { BlobServiceClient, StorageSharedKeyCredential } from '@azure/storage-blob';
import { BigQuery } from '@google-cloud/bigquery';
import type { SourceConfig } from '../config';
import { AzureBlobStore } from './azure-blob-store';
import type { BillingSource } from './billing-source';
import { BigQuerySource } from './bigquery-source';
import { LocalFileStore } from './local-file-store';
import { ObjectExportSource } from './object-export-source';
import { S3Store } from './s3-store';

export interface SourceCredentials {
  /** The storage account key for azure-blob sources; absent: Azure workload identity. */
  readonly azureAccountKey?: string;
}

export function createBillingSource(source: SourceConfig, credentials: SourceCredentials = {}): BillingSource {
  const { name, provider, format } = source;
  switch (source.kind) {
    case 's3':
      // The endpoint comes from the SDK's standard settings (AWS_ENDPOINT_URL_S3); the SDK's own retries cover
      // each request, the analyzer retries a whole part.
      return new ObjectExportSource(name, provider, format, new S3Store({ bucket: source.bucket, prefix: source.prefix, client: new S3Client({ region: source.region }) }));
    case 'azure-blob': {
      const credential = credentials.azureAccountKey ? new StorageSharedKeyCredential(azureAccountName(source.accountUrl), credentials.azureAccountKey) : new DefaultAzureCredential();
      const container = new BlobServiceClient(source.accountUrl, credential).getContainerClient(source.container);
      return new ObjectExportSource(name, provider, format, new AzureBlobStore({ container, prefix: source.prefix }));
    }
    case 'bigquery':
      return new BigQuerySource(name, provider, format, source, new BigQuery({ projectId: source.project, location: source.location }));
    case 'file':
      return new ObjectExportSource(name, provider, format, new LocalFileStore(source.path));
  }
}

/** The account of `https://<account>.blob.core.windows.net`, or of an emulator's `http://host:port/<account>`. */
export function azureAccountName(accountUrl: string): string {
  const url = new URL(accountUrl);
  const pathAccount = url.pathname.split('/').find((segment) => segment !== '');
  return pathAccount ?? url.hostname.split('.')[0];
}
