import type { S3Bucket } from '@cdktf/provider-aws/lib/s3-bucket';
import { S3BucketLifecycleConfiguration, type S3BucketLifecycleConfigurationRule } from '@cdktf/provider-aws/lib/s3-bucket-lifecycle-configuration';
import { S3BucketOwnershipControls } from '@cdktf/provider-aws/lib/s3-bucket-ownership-controls';
import { S3BucketPolicy } from '@cdktf/provider-aws/lib/s3-bucket-policy';
import { S3BucketPublicAccessBlock } from '@cdktf/provider-aws/lib/s3-bucket-public-access-block';
import { S3BucketServerSideEncryptionConfigurationA } from '@cdktf/provider-aws/lib/s3-bucket-server-side-encryption-configuration';
import { S3BucketVersioningA } from '@cdktf/provider-aws/lib/s3-bucket-versioning';
import type { Construct } from 'constructs';

/** One statement of a bucket policy (resource-based, so it names a principal). */
export interface BucketPolicyStatement {
  readonly Sid: string;
  readonly Effect: 'Allow' | 'Deny';
  readonly Principal: '*' | { readonly Service: string | readonly string[] };
  readonly Action: string | readonly string[];
  readonly Resource: string | readonly string[];
  readonly Condition?: Readonly<Record<string, Readonly<Record<string, string | readonly string[]>>>>;
}

export interface BucketGuardrailsProps {
  /** The bucket to harden. */
  readonly bucket: S3Bucket;
  /**
   * Customer-managed KMS key for SSE-KMS (with S3 Bucket Keys, which cut KMS requests by orders of magnitude).
   * @default SSE-S3 (`AES256`), for buckets S3 delivers into that cannot take SSE-KMS (server access logs)
   */
  readonly kmsKeyArn?: string;
  /**
   * Bucket policy statements placed before the TLS-only deny.
   * @default none
   */
  readonly policyStatementsBeforeTlsDeny?: readonly BucketPolicyStatement[];
  /**
   * Bucket policy statements placed after the TLS-only deny.
   * @default none
   */
  readonly policyStatementsAfterTlsDeny?: readonly BucketPolicyStatement[];
  /** The bucket's lifecycle rules (expiry of objects, noncurrent versions, abandoned uploads). */
  readonly lifecycleRules: readonly S3BucketLifecycleConfigurationRule[];
}

export interface BucketGuardrails {
  /** The bucket policy: a resource that needs the policy in place (an export checks it) depends on it. */
  readonly policy: S3BucketPolicy;
}

/**
 * The hardening every Skyline S3 bucket gets: every form of public access blocked, ACLs disabled
 * (`BucketOwnerEnforced`), versioning on, default encryption, a policy that denies any request not over TLS, and
 * lifecycle rules. The resources are added to `scope` under fixed ids (`public-access-block`, `ownership`,
 * `versioning`, `encryption`, `policy`, `lifecycle`), so a construct that owns one bucket passes itself and keeps
 * the Terraform addresses it has always had.
 */
export function addBucketGuardrails(scope: Construct, props: BucketGuardrailsProps): BucketGuardrails {
  const bucket = props.bucket;
  new S3BucketPublicAccessBlock(scope, 'public-access-block', {
    bucket: bucket.id,
    blockPublicAcls: true,
    blockPublicPolicy: true,
    ignorePublicAcls: true,
    restrictPublicBuckets: true,
  });
  new S3BucketOwnershipControls(scope, 'ownership', { bucket: bucket.id, rule: { objectOwnership: 'BucketOwnerEnforced' } });
  // A deleted or overwritten object stays recoverable until a lifecycle rule expires the noncurrent version.
  new S3BucketVersioningA(scope, 'versioning', { bucket: bucket.id, versioningConfiguration: { status: 'Enabled' } });
  new S3BucketServerSideEncryptionConfigurationA(scope, 'encryption', {
    bucket: bucket.id,
    rule: [
      props.kmsKeyArn === undefined
        ? { applyServerSideEncryptionByDefault: { sseAlgorithm: 'AES256' } }
        : { applyServerSideEncryptionByDefault: { sseAlgorithm: 'aws:kms', kmsMasterKeyId: props.kmsKeyArn }, bucketKeyEnabled: true },
    ],
  });
  const denyInsecureTransport: BucketPolicyStatement = {
    Sid: 'DenyInsecureTransport',
    Effect: 'Deny',
    Principal: '*',
    Action: 's3:*',
    Resource: [bucket.arn, `${bucket.arn}/*`],
    Condition: { Bool: { 'aws:SecureTransport': 'false' } },
  };
  const policy = new S3BucketPolicy(scope, 'policy', {
    bucket: bucket.id,
    policy: JSON.stringify({
      Version: '2012-10-17',
      Statement: [...(props.policyStatementsBeforeTlsDeny ?? []), denyInsecureTransport, ...(props.policyStatementsAfterTlsDeny ?? [])],
    }),
  });
  new S3BucketLifecycleConfiguration(scope, 'lifecycle', { bucket: bucket.id, rule: [...props.lifecycleRules] });
  return { policy };
}
