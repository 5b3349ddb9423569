import type { ITerraformDependable } from 'cdktf';
import { Construct } from 'constructs';
import { RULE_SCOPE_LABEL, type RuleScope } from '../observability/labels';
import { NAMESPACES } from './namespaces';
import { PinnedRelease } from './pinned-release';
import { UPSTREAM_CHARTS } from './upstream-charts';

/** Label our charts put on ServiceMonitors; documented, though Prometheus here selects them all. */
export const MONITOR_LABEL = { key: 'skyline.io/monitor', value: 'true' } as const;

const RELEASE = 'kube-prometheus-stack';
/** The Service kube-prometheus-stack creates in front of the Prometheus of release RELEASE. */
export const PROMETHEUS_SERVICE = { name: `${RELEASE}-prometheus`, port: 9090 } as const;
/** The in-cluster Prometheus URL kube-prometheus-stack creates for release RELEASE. */
export const PROMETHEUS_URL = `http://${PROMETHEUS_SERVICE.name}.${NAMESPACES.monitoring.name}.svc`;
/** Rules for the global Prometheus only: the regional one must not evaluate the global alerts. */
const GLOBAL_SCOPE: RuleScope = 'global';

export interface RegionalMonitoringProps {
  /** External labels every series of this cluster carries, so the global Prometheus tells regions apart. */
  readonly externalLabels: { readonly cloud: string; readonly region: string; readonly env: string };
  readonly retentionDays: number;
  readonly storageGiB: number;
  readonly replicas: number;
  readonly cpuMillicores: number;
  readonly memoryMiB: number;
  /**
   * Custom metrics prometheus-adapter serves for HPAs: a Prometheus counter, exposed as its per-second rate.
   * @default none
   */
  readonly customMetrics?: readonly { readonly seriesName: string; readonly metricName: string }[];
  readonly dependsOn: readonly ITerraformDependable[];
}

/**
 * Prometheus in every cluster (kube-prometheus-stack) with the cluster's
 * external labels, retention and resources by environment, ServiceMonitors
 * picked up from every namespace; node-exporter isolated in its own privileged
 * namespace; Alertmanager and Grafana left to the global observability (GlobalObservability, ADR-005);
 * prometheus-adapter serving custom metrics for autoscaling.
 */
export class RegionalMonitoring extends Construct {
  readonly prometheus: ITerraformDependable;

  constructor(scope: Construct, id: string, props: RegionalMonitoringProps) {
    super(scope, id);
    const resources = { requests: { cpu: `${props.cpuMillicores}m`, memory: `${props.memoryMiB}Mi` }, limits: { memory: `${props.memoryMiB}Mi` } };
    // An empty selector with NilUsesHelmValues off means "all": our charts' monitors need no release label.
    const selectAll = { serviceMonitorSelectorNilUsesHelmValues: false, podMonitorSelectorNilUsesHelmValues: false, ruleSelectorNilUsesHelmValues: false };
    this.prometheus = new PinnedRelease(this, 'prometheus', {
      chart: UPSTREAM_CHARTS.kubePrometheusStack,
      releaseName: RELEASE,
      namespace: NAMESPACES.monitoring.name,
      values: {
        crds: { enabled: true },
        alertmanager: { enabled: false },
        grafana: { enabled: false },
        'prometheus-node-exporter': { namespaceOverride: NAMESPACES.nodeMonitoring.name },
        prometheus: {
          prometheusSpec: {
            ...selectAll,
            serviceMonitorSelector: {},
            serviceMonitorNamespaceSelector: {},
            podMonitorSelector: {},
            podMonitorNamespaceSelector: {},
            // Every rule (the chart's own, the edge rules) but the global Prometheus's: in the primary cluster both live side by side.
            ruleSelector: { matchExpressions: [{ key: RULE_SCOPE_LABEL, operator: 'NotIn', values: [GLOBAL_SCOPE] }] },
            ruleNamespaceSelector: {},
            externalLabels: { ...props.externalLabels },
            // No `prometheus` and `prometheus_replica` labels: the global Prometheus federates whichever replica
            // answers, and a replica label would split every series in two.
            prometheusExternalLabelNameClear: true,
            replicaExternalLabelNameClear: true,
            retention: `${props.retentionDays}d`,
            // Leaves headroom so the TSDB never fills its volume before retention deletes old blocks.
            retentionSize: `${Math.floor(props.storageGiB * 0.85)}GB`,
            replicas: props.replicas,
            resources,
            storageSpec: {
              volumeClaimTemplate: { spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: `${props.storageGiB}Gi` } } } },
            },
          },
        },
      },
      dependsOn: props.dependsOn,
      timeoutSeconds: 900,
    }).release;

    new PinnedRelease(this, 'adapter', {
      chart: UPSTREAM_CHARTS.prometheusAdapter,
      releaseName: 'prometheus-adapter',
      namespace: NAMESPACES.monitoring.name,
      values: {
        prometheus: { url: PROMETHEUS_URL, port: 9090 },
        replicas: 2,
        rules: {
          default: false,
          custom: (props.customMetrics ?? []).map((metric) => ({
            seriesQuery: `${metric.seriesName}{namespace!="",pod!=""}`,
            resources: { overrides: { namespace: { resource: 'namespace' }, pod: { resource: 'pod' } } },
            name: { matches: `^${metric.seriesName}$`, as: metric.metricName },
            metricsQuery: 'sum(rate(<<.Series>>{<<.LabelMatchers>>}[2m])) by (<<.GroupBy>>)',
          })),
        },
      },
      dependsOn: [this.prometheus],
    });
  }
}
