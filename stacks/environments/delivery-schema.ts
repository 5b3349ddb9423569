/**
 * The `delivery` section of an environment config: which GitHub repository's workflows may deploy the environment
 * (the trust the bootstrap stack creates in each cloud), and where the bootstrap stack keeps its own state.
 * Documented in docs/configuration.md ("Delivery") and docs/delivery.md.
 */
import { z } from 'zod';

export const BOOTSTRAP_STATE_LOCATIONS = ['local', 's3'] as const;

export const deliverySchema = z.strictObject({
  /** `owner/name` of the GitHub repository whose workflows deploy this environment. */
  githubRepository: z.string().regex(/^[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})\/[A-Za-z0-9._-]{1,100}$/, {
    error: 'must be a GitHub repository as owner/name, such as acme/skyline',
  }),
  /**
   * The GitHub environment the deploy job runs in: its OIDC subject `repo:<owner/name>:environment:<githubEnvironment>`
   * is the only one the deploy identities trust. Required reviewers are set on it in GitHub.
   */
  githubEnvironment: z.string().regex(/^[A-Za-z0-9._-]{1,255}$/, { error: 'must be a GitHub environment name such as prod (letters, digits, . _ -)' }),
  /**
   * Where the bootstrap stack keeps its own state: `local` (terraform-state/ in the working copy) for its first
   * deploy, when the state bucket does not exist yet; `s3` (the backend's bucket) once it has been migrated there.
   */
  bootstrapState: z.enum(BOOTSTRAP_STATE_LOCATIONS, { error: `must be one of ${BOOTSTRAP_STATE_LOCATIONS.join(', ')}` }),
  /**
   * Days replaced or deleted state versions are kept in the state bucket (older versions are what a state rollback
   * restores).
   */
  stateVersionRetentionDays: z.number().int().min(7, { error: 'must be at least 7 days, so a bad apply can still be rolled back after a weekend' }),
});

export type DeliveryConfig = z.output<typeof deliverySchema>;
