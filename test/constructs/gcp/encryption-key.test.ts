import { GcpEncryptionKey } from '../../../constructs/gcp/encryption-key';
import { onlyResourceOfType, synthConstructs } from '../../helpers/synth';

const props = { keyRingName: 'skyline-test-gke', keyName: 'secrets', location: 'europe-west1' };

describe('gcp GcpEncryptionKey', () => {
  const synthesized = synthConstructs((scope) => {
    const key = new GcpEncryptionKey(scope, 'key', props);
    key.grantEncryptDecrypt('agent', 'serviceAccount:service-123456789012@container-engine-robot.iam.gserviceaccount.com');
  });

  it('creates the key ring in the given region', () => {
    expect(onlyResourceOfType(synthesized, 'google_kms_key_ring')).toMatchObject({ name: 'skyline-test-gke', location: 'europe-west1' });
  });

  it('creates a symmetric key in the ring that rotates every 90 days', () => {
    expect(onlyResourceOfType(synthesized, 'google_kms_crypto_key')).toMatchObject({
      name: 'secrets',
      key_ring: expect.stringMatching(/^\$\{google_kms_key_ring\.key_key-ring_\w+\.id\}$/),
      purpose: 'ENCRYPT_DECRYPT',
      rotation_period: '7776000s',
    });
  });

  it('lets Terraform destroy the key only when not protected', () => {
    expect(onlyResourceOfType(synthesized, 'google_kms_crypto_key').lifecycle).toEqual({ prevent_destroy: false });
    const kept = synthConstructs((scope) => new GcpEncryptionKey(scope, 'key', { ...props, preventDestroy: true }));
    expect(onlyResourceOfType(kept, 'google_kms_crypto_key').lifecycle).toEqual({ prevent_destroy: true });
  });

  it('takes another rotation period in days', () => {
    const custom = synthConstructs((scope) => new GcpEncryptionKey(scope, 'key', { ...props, rotationPeriodDays: 30 }));
    expect(onlyResourceOfType(custom, 'google_kms_crypto_key').rotation_period).toBe('2592000s');
  });

  it('grants encrypt/decrypt, and nothing more, to one member on this key only', () => {
    expect(onlyResourceOfType(synthesized, 'google_kms_crypto_key_iam_member')).toEqual({
      crypto_key_id: expect.stringMatching(/^\$\{google_kms_crypto_key\.key_\w+\.id\}$/),
      role: 'roles/cloudkms.cryptoKeyEncrypterDecrypter',
      member: 'serviceAccount:service-123456789012@container-engine-robot.iam.gserviceaccount.com',
    });
  });
});
