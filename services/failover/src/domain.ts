/** The controller's domain types, shared by the planner, the ports and the adapters. */

/** A provider region name, e.g. `us-west-2`: names a region, its records and the observer running there. */
export type RegionName = string;

/** The weights of the pair `<region>-self` / `<region>-spill` of `<region>.api.<domain>`. */
export interface Weights {
  readonly self: number;
  readonly spill: number;
}

export const NORMAL: Weights = { self: 100, spill: 0 };
export const FAILED_OVER: Weights = { self: 0, spill: 100 };

export function sameWeights(a: Weights, b: Weights): boolean {
  return a.self === b.self && a.spill === b.spill;
}

/** One observer's latest view of one region, from its consecutive probe results. */
export interface RegionObservation {
  readonly consecutiveFailures: number;
  readonly consecutiveSuccesses: number;
  /** When the latest probe finished, in ms on the local clock of whoever holds this value. */
  readonly probedAt: number;
  /** Why the latest failed probe failed, e.g. `tcp: connect ECONNREFUSED`; absent after a success. */
  readonly lastError?: string;
}

/** Everything one observer (the instance in one region) reports. */
export interface ObserverReport {
  readonly observer: RegionName;
  readonly regions: Readonly<Record<RegionName, RegionObservation>>;
}
