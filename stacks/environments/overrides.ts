/**
 * Turns the SKYLINE_* variables main.ts passes in into config overrides, so
 * real account IDs never need to be committed. Documented in docs/configuration.md.
 */
import { readFileSync } from 'node:fs';
import type { ConfigOverride, EnvironmentOverrides } from './load';
import type { Cloud } from './schema';

type Variables = Readonly<Record<string, string | undefined>>;

/** Variable -> [cloud, field] applied to every region of that cloud. */
const PER_CLOUD_VARIABLES: Readonly<Record<string, readonly [Cloud, string]>> = {
  SKYLINE_AWS_ACCOUNT_ID: ['aws', 'accountId'],
  SKYLINE_GCP_PROJECT_ID: ['gcp', 'projectId'],
  SKYLINE_GCP_PROJECT_NUMBER: ['gcp', 'projectNumber'],
  SKYLINE_AZURE_SUBSCRIPTION_ID: ['azure', 'subscriptionId'],
  SKYLINE_AZURE_TENANT_ID: ['azure', 'tenantId'],
};

export function environmentOverridesFromProcess(variables: Variables): EnvironmentOverrides {
  const config: ConfigOverride[] = [];
  if (variables.SKYLINE_CONFIG) config.push(readConfigFile(variables.SKYLINE_CONFIG));
  if (variables.SKYLINE_DOMAIN) config.push({ domain: variables.SKYLINE_DOMAIN });
  if (variables.SKYLINE_STATE_BUCKET) config.push({ backend: { bucket: variables.SKYLINE_STATE_BUCKET } });
  if (variables.SKYLINE_GCP_BILLING_ACCOUNT_ID) config.push({ cost: { gcp: { billingAccountId: variables.SKYLINE_GCP_BILLING_ACCOUNT_ID } } });

  const perCloud: Partial<Record<Cloud, Record<string, string>>> = {};
  for (const [variable, [cloud, field]] of Object.entries(PER_CLOUD_VARIABLES)) {
    const value = variables[variable];
    if (value) perCloud[cloud] = { ...perCloud[cloud], [field]: value };
  }
  return { config, perCloud };
}

function readConfigFile(path: string): ConfigOverride {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new Error(`SKYLINE_CONFIG: cannot read "${path}" (${(error as Error).message}); point it at an existing JSON file or unset it`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new Error(`SKYLINE_CONFIG: "${path}" is not valid JSON (${(error as Error).message}); fix the file`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new Error(`SKYLINE_CONFIG: "${path}" must hold a JSON object of fields to override, not ${Array.isArray(parsed) ? 'an array' : typeof parsed}`);
  }
  return parsed as ConfigOverride;
}
