import { KmsCryptoKey } from '@cdktf/provider-google/lib/kms-crypto-key';
import { KmsCryptoKeyIamMember } from '@cdktf/provider-google/lib/kms-crypto-key-iam-member';
import { KmsKeyRing } from '@cdktf/provider-google/lib/kms-key-ring';
import { Construct } from 'constructs';

const SECONDS_PER_DAY = 86_400;

export interface GcpEncryptionKeyProps {
  /**
   * Key ring name, unique in the project and location. GCP never deletes key
   * rings or keys, so a name cannot be reused after `terraform destroy`.
   */
  readonly keyRingName: string;
  /** Crypto key name inside the ring. */
  readonly keyName: string;
  /** Region of the ring; CMEK for GKE and GCS requires the key in the resource's own region. */
  readonly location: string;
  /** @default 90 */
  readonly rotationPeriodDays?: number;
  /**
   * Make Terraform refuse to destroy the key: destroying it schedules every version for destruction, and whatever it
   * encrypts (secrets, model objects) becomes unreadable once they are gone.
   * @default false
   */
  readonly preventDestroy?: boolean;
}

/**
 * A Cloud KMS key ring with one symmetric key that rotates automatically.
 * Google services use it through their service agents, granted one at a time
 * with `grantEncryptDecrypt`.
 */
export class GcpEncryptionKey extends Construct {
  readonly keyRing: KmsKeyRing;
  readonly key: KmsCryptoKey;
  /** `projects/<p>/locations/<l>/keyRings/<r>/cryptoKeys/<k>`, the form GKE and GCS expect. */
  readonly id: string;

  constructor(scope: Construct, id: string, props: GcpEncryptionKeyProps) {
    super(scope, id);
    this.keyRing = new KmsKeyRing(this, 'key-ring', { name: props.keyRingName, location: props.location });
    this.key = new KmsCryptoKey(this, 'key', {
      name: props.keyName,
      keyRing: this.keyRing.id,
      purpose: 'ENCRYPT_DECRYPT',
      rotationPeriod: `${(props.rotationPeriodDays ?? 90) * SECONDS_PER_DAY}s`,
      lifecycle: { preventDestroy: props.preventDestroy ?? false },
    });
    this.id = this.key.id;
  }

  /**
   * Lets `member` (e.g. `serviceAccount:service-123@container-engine-robot.iam.gserviceaccount.com`)
   * encrypt and decrypt with this key, and nothing else. Returns the binding so
   * that the resource using the key can depend on it: GKE and GCS check their
   * access to the key when the cluster or bucket is created.
   */
  grantEncryptDecrypt(id: string, member: string): KmsCryptoKeyIamMember {
    return new KmsCryptoKeyIamMember(this, id, {
      cryptoKeyId: this.key.id,
      role: 'roles/cloudkms.cryptoKeyEncrypterDecrypter',
      member,
    });
  }
}
