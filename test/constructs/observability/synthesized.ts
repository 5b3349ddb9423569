/**
 * The observability values exactly as an environment's workloads stacks synthesize them: the edge release of
 * every region and the global release of the primary one. Tests check what would be deployed, not a copy.
 */
import type { EdgeObservabilityValues } from '../../../constructs/workloads/edge-observability';
import type { GlobalObservabilityValues } from '../../../constructs/workloads/global-observability';
import { resourcesOfType, synthEnvironment } from '../../helpers/synth';

export interface SynthesizedObservability {
  /** By region key, e.g. `aws-us-west-2`. */
  readonly edge: Readonly<Record<string, EdgeObservabilityValues>>;
  readonly global: GlobalObservabilityValues;
  /** The region key of the stack that holds the global release. */
  readonly globalRegion: string;
}

export function synthesizedObservability(environmentName: string): SynthesizedObservability {
  const edge: Record<string, EdgeObservabilityValues> = {};
  const globals: [string, GlobalObservabilityValues][] = [];
  for (const [name, stack] of Object.entries(synthEnvironment(environmentName))) {
    if (!name.endsWith('-workloads')) continue;
    const region = name.slice(environmentName.length + 1, -'-workloads'.length);
    for (const release of resourcesOfType(stack, 'helm_release')) {
      const values = JSON.parse((release.values as string[])[0]) as unknown;
      if (release.name === 'edge-observability') edge[region] = values as EdgeObservabilityValues;
      if (release.name === 'global-observability') globals.push([region, values as GlobalObservabilityValues]);
    }
  }
  if (globals.length !== 1) throw new Error(`${environmentName}: expected one global-observability release, found ${globals.length}`);
  return { edge, global: globals[0][1], globalRegion: globals[0][0] };
}
