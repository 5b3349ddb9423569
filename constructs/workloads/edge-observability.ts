import type { ITerraformDependable } from 'cdktf';
import { Construct } from 'constructs';
import { join } from 'node:path';
import { FEDERATION_CREDENTIALS, FEDERATION_PATH } from '../observability/federation';
import { RULE_SCOPE_LABEL } from '../observability/labels';
import type { RuleFile } from '../observability/prometheus-types';
import { edgeRecordingRules } from '../observability/recording-rules';
import { PROMETHEUS_SERVICE } from './monitoring';
import { NAMESPACES } from './namespaces';
import { PinnedRelease } from './pinned-release';

/** The chart's directory, for the helm_release and the chart tests. */
export const EDGE_OBSERVABILITY_CHART_DIR = join(__dirname, 'charts', 'edge-observability');

export interface EdgeObservabilityProps {
  /** Where the global Prometheus reads this region: `<region>.control.<domain>`. */
  readonly federationHostname: string;
  /** The regional gateway's HTTPS listener the federation route attaches to. */
  readonly gatewayParentRef: { readonly name: string; readonly namespace: string; readonly sectionName: string };
  /** The regional Prometheus (for the rule CRD and its Service) and the gateway (for the route CRDs). */
  readonly dependsOn: readonly ITerraformDependable[];
}

/** The chart's values, key for key as values.schema.json. */
export interface EdgeObservabilityValues {
  readonly ruleScope: { readonly label: string; readonly value: 'edge' };
  readonly rules: RuleFile;
  readonly federation: {
    readonly hostname: string;
    readonly path: string;
    readonly parentRef: { readonly name: string; readonly namespace: string; readonly sectionName: string };
    readonly prometheusService: { readonly name: string; readonly port: number };
    readonly htpasswdSecretName: string;
  };
}

export function edgeObservabilityValues(props: Omit<EdgeObservabilityProps, 'dependsOn'>): EdgeObservabilityValues {
  return {
    ruleScope: { label: RULE_SCOPE_LABEL, value: 'edge' },
    rules: edgeRecordingRules(),
    federation: {
      hostname: props.federationHostname,
      path: FEDERATION_PATH,
      parentRef: { ...props.gatewayParentRef },
      prometheusService: { ...PROMETHEUS_SERVICE },
      htpasswdSecretName: FEDERATION_CREDENTIALS.htpasswdSecret.name,
    },
  };
}

/**
 * The regional half of the global observability, in every cluster: the edge recording rules (request rate,
 * errors, latency quantiles per workload; failover, replication and cost aggregates) for the regional
 * Prometheus, and its `/federate` published on the regional gateway at `<region>.control.<domain>`, behind
 * basic auth whose only client is the global Prometheus (ADR-005).
 */
export class EdgeObservability extends Construct {
  constructor(scope: Construct, id: string, props: EdgeObservabilityProps) {
    super(scope, id);
    new PinnedRelease(this, 'release', {
      chart: { localPath: EDGE_OBSERVABILITY_CHART_DIR },
      releaseName: 'edge-observability',
      namespace: NAMESPACES.monitoring.name,
      values: edgeObservabilityValues(props),
      dependsOn: props.dependsOn,
    });
  }
}
