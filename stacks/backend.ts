import { LocalBackend, S3Backend, type TerraformStack } from 'cdktf';
import type { EnvironmentConfig } from './environments/schema';

/**
 * Gives every stack its own state: `<keyPrefix>/<stack>.tfstate` in the S3
 * state bucket, locked with S3's native lockfile (no DynamoDB table), or a
 * local file for experiments.
 */
export function configureBackend(stack: TerraformStack, stackName: string, backend: EnvironmentConfig['backend']): void {
  if (backend.type === 'local') {
    new LocalBackend(stack, { path: `${backend.directory}/${stackName}.tfstate` });
    return;
  }
  new S3Backend(stack, {
    bucket: backend.bucket,
    key: `${backend.keyPrefix}/${stackName}.tfstate`,
    region: backend.region,
    encrypt: true,
  });
  // cdktf 0.21 predates `use_lockfile` (Terraform >= 1.10) in its typed backend config.
  stack.addOverride('terraform.backend.s3.use_lockfile', true);
}
