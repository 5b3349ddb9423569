/** What every cloud's side of the GitHub Actions OIDC federation has in common. */

/** The issuer of GitHub Actions' OIDC tokens. */
export const GITHUB_OIDC_ISSUER = 'https://token.actions.githubusercontent.com';

/** The OIDC `sub` claims of the two kinds of job that reach a cloud. */
export interface GitHubSubjects {
  /** A job in the environment's GitHub environment (`environment:` jobs, required reviewers): deploys. */
  readonly deploy: string;
  /** A pull-request job of the same repository (never a fork's: forks get no OIDC token): plans, read-only. */
  readonly plan: string;
}

/**
 * `repo:<owner/name>:environment:<environment>` and `repo:<owner/name>:pull_request`: GitHub's default subject
 * format, which names the repository and, for deploys, the GitHub environment whose protection rules gate the job.
 */
export function githubSubjects(repository: string, environment: string): GitHubSubjects {
  return { deploy: `repo:${repository}:environment:${environment}`, plan: `repo:${repository}:pull_request` };
}
