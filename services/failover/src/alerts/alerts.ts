/**
 * The Alerts port: the desired alert state per region. Calls never wait on delivery: the controller moves DNS
 * whatever the alerting system is doing (DESIGN § 1.2), and the adapter delivers in the background.
 */
import type { RegionName } from '../domain';

export const FAILOVER_ALERT_NAME = 'SkylineRegionFailedOver';

export interface RegionAlert {
  readonly region: RegionName;
  readonly cloud: string;
  readonly summary: string;
  /** Which observers saw what. */
  readonly evidence: string;
}

export interface Alerts {
  /** The region's traffic is (partly) spilled: the alert is active, and stays so until resolved. */
  firing(alert: RegionAlert): void;
  /** The region is back at 100: resolve its alert, if one was raised. */
  resolved(region: RegionName): void;
  /** Stops background delivery after one last bounded attempt at what is pending. */
  close(): Promise<void>;
}

/** alerts.kind `none`: no alerting system; the decision log still says everything. */
export const noAlerts: Alerts = {
  firing: () => undefined,
  resolved: () => undefined,
  close: async () => undefined,
};
