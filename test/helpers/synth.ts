/** Reading synthesized Terraform JSON in tests. */
import { App, Testing } from 'cdktf';
import type { Construct } from 'constructs';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadEnvironment } from '../../stacks/environments/load';
import { addBootstrapStack, addEnvironment } from '../../stacks/skyline-app';

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

/**
 * Synthesizes a whole environment the way `cdktf synth` does (an App writing
 * to a temporary directory), so cross-stack references are resolved into
 * remote-state lookups, and returns each stack's JSON by stack name (bootstrap-<env> included), without
 * cdktf's `//` metadata.
 */
export function synthEnvironment(environmentName: string): Record<string, TerraformJson> {
  const outdir = mkdtempSync(join(tmpdir(), `skyline-${environmentName}-`));
  const app = new App({ outdir, stackTraces: false });
  const environment = loadEnvironment(environmentName);
  // As main.ts does: the environment's stacks and its bootstrap stack.
  addEnvironment(app, environment);
  addBootstrapStack(app, environment);
  app.synth();
  const manifest = JSON.parse(readFileSync(join(outdir, 'manifest.json'), 'utf8')) as { stacks: Record<string, { synthesizedStackPath: string }> };
  return Object.fromEntries(
    Object.entries(manifest.stacks).map(([name, stack]) => [name, withoutMetadata(JSON.parse(readFileSync(join(outdir, stack.synthesizedStackPath), 'utf8'))) as TerraformJson]),
  );
}

function withoutMetadata(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutMetadata);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(Object.entries(value).filter(([key]) => key !== '//').map(([key, child]) => [key, withoutMetadata(child)]));
}

/**
 * The values of release `releaseName` in every workloads stack of an environment, by `<env>-<region>`: what the
 * chart tests render, exactly as the stacks synthesize it.
 */
export function synthesizedReleaseValues(environmentName: string, releaseName: string): Record<string, object> {
  return Object.fromEntries(
    Object.entries(synthEnvironment(environmentName))
      .filter(([name]) => name.endsWith('-workloads'))
      .map(([name, stack]) => {
        const release = resourcesOfType(stack, 'helm_release').find((candidate) => candidate.name === releaseName);
        if (!release) throw new Error(`${name} installs no ${releaseName} release`);
        return [name.replace(/-workloads$/, ''), JSON.parse((release.values as string[])[0]) as object];
      }),
  );
}
