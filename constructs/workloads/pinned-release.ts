import { Release } from '@cdktf/provider-helm/lib/release';
import { AssetType, TerraformAsset, type ITerraformDependable } from 'cdktf';
import { Construct } from 'constructs';
import type { UpstreamChart } from './upstream-charts';

/** A chart of this repository, by its absolute path; copied into the stack's assets at synth. */
export interface LocalChart {
  readonly localPath: string;
}

export interface PinnedReleaseProps {
  /** An entry of UPSTREAM_CHARTS, or a chart of this repository. */
  readonly chart: UpstreamChart | LocalChart;
  /** Release name. */
  readonly releaseName: string;
  readonly namespace: string;
  /** Chart values; rendered as JSON, which Helm reads as YAML. */
  readonly values: object;
  /** @default none */
  readonly dependsOn?: readonly ITerraformDependable[];
  /**
   * Seconds Helm waits for the release's resources to become ready.
   * @default 600
   */
  readonly timeoutSeconds?: number;
}

/**
 * A Helm release with the settings every Skyline release shares: the exact
 * chart version (or the repository's own chart), atomic installs and upgrades (a failed upgrade rolls back
 * instead of leaving a half-applied release), waiting for readiness, and a
 * bounded history.
 */
export class PinnedRelease extends Construct {
  readonly release: Release;

  constructor(scope: Construct, id: string, props: PinnedReleaseProps) {
    super(scope, id);
    const source =
      'localPath' in props.chart
        ? // A relative path inside cdktf.out, so the plan does not depend on where the repository was checked out.
          { chart: new TerraformAsset(this, 'chart', { path: props.chart.localPath, type: AssetType.DIRECTORY }).path }
        : { repository: props.chart.repository, chart: props.chart.chart, version: props.chart.version };
    this.release = new Release(this, 'release', {
      name: props.releaseName,
      namespace: props.namespace,
      ...source,
      values: [JSON.stringify(props.values)],
      atomic: true,
      cleanupOnFail: true,
      wait: true,
      timeout: props.timeoutSeconds ?? 600,
      maxHistory: 10,
      dependsOn: props.dependsOn ? [...props.dependsOn] : undefined,
    });
  }
}
