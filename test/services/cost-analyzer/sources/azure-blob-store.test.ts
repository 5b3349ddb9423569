/** The Azure Blob adapter, built by the factory from its config, against Azurite with the account's shared key. */
import { BlobServiceClient, type ContainerClient } from '@azure/storage-blob';
import { azureAccountName } from '../../../../services/cost-analyzer/src/sources/factory';
import { AZURITE_ACCOUNT, startAzurite, type AzuritePeer } from '../../../helpers/peers';
import { storeScenarios } from './store-scenarios';

jest.setTimeout(30_000);

const CONTAINER = 'cost-exports';
let azurite: AzuritePeer;
let container: ContainerClient;

beforeAll(async () => {
  azurite = await startAzurite();
  container = BlobServiceClient.fromConnectionString(azurite.connectionString).getContainerClient(CONTAINER);
  await container.create();
});

afterAll(() => azurite.stop());

describe('Azure Blob exports', () => {
  storeScenarios(() => ({
    source: (prefix) => ({ name: 'azure', provider: 'azure', kind: 'azure-blob', format: 'auto', accountUrl: azurite.blobAccountUrl, container: CONTAINER, prefix }),
    credentials: { azureAccountKey: AZURITE_ACCOUNT.key },
    put: async (key, body) => {
      await container.getBlockBlobClient(key).uploadData(body);
    },
    remove: async (key) => {
      await container.deleteBlob(key);
    },
    location: (key) => `${azurite.blobAccountUrl}/${CONTAINER}/${key}`,
  }));
});

describe('azureAccountName', () => {
  it('reads the account from the host, or from the path of an emulator URL', () => {
    expect(azureAccountName('https://skylinecost.blob.core.windows.net')).toBe('skylinecost');
    expect(azureAccountName('http://127.0.0.1:10000/devstoreaccount1')).toBe('devstoreaccount1');
  });
});
