/** Reading synthesized Terraform JSON in tests. */
import { Testing } from 'cdktf';
import type { Construct } from 'constructs';

export interface TerraformJson {
  readonly resource?: Record<string, Record<string, Record<string, unknown>>>;
  readonly data?: Record<string, Record<string, Record<string, unknown>>>;
  readonly output?: Record<string, Record<string, unknown>>;
  readonly terraform?: Record<string, unknown>;
  readonly provider?: Record<string, unknown[]>;
}

/** Synthesizes the constructs `build` adds to a fresh test stack; returns the JSON text cdktf matchers expect. */
export function synthConstructs(build: (scope: Construct) => void): string {
  return Testing.synthScope(build);
}

export function parse(synthesized: string): TerraformJson {
  return JSON.parse(synthesized) as TerraformJson;
}

/** Every resource of a Terraform type, as plain objects (without the cdktf metadata key). */
export function resourcesOfType(synthesized: string | TerraformJson, type: string): Record<string, unknown>[] {
  const json = typeof synthesized === 'string' ? parse(synthesized) : synthesized;
  return Object.values(json.resource?.[type] ?? {});
}

/** The single resource of a type; fails the test when there are none or several. */
export function onlyResourceOfType(synthesized: string | TerraformJson, type: string): Record<string, unknown> {
  const resources = resourcesOfType(synthesized, type);
  if (resources.length !== 1) throw new Error(`expected exactly one ${type}, found ${resources.length}`);
  return resources[0];
}

/** Parses an IAM/JSON policy attribute that was synthesized as a JSON string. */
export function policyOf(resource: Record<string, unknown>, attribute = 'policy'): { Statement: Record<string, unknown>[] } {
  return JSON.parse(String(resource[attribute])) as { Statement: Record<string, unknown>[] };
}
