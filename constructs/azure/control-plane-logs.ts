import { LogAnalyticsWorkspace } from '@cdktf/provider-azurerm/lib/log-analytics-workspace';
import { MonitorDiagnosticSetting } from '@cdktf/provider-azurerm/lib/monitor-diagnostic-setting';
import { Construct } from 'constructs';

/** Control-plane log categories kept: the API server, its audit trail (writes), Entra authentication, and the controllers. */
export const AKS_CONTROL_PLANE_LOGS = ['kube-apiserver', 'kube-audit-admin', 'guard', 'kube-controller-manager', 'kube-scheduler'] as const;

export interface AksControlPlaneLogsProps {
  readonly name: string;
  readonly resourceGroupName: string;
  readonly location: string;
  /** ID of the AKS cluster whose logs are shipped. */
  readonly clusterId: string;
  /** Days logs are kept (Log Analytics accepts 30 to 730). */
  readonly retentionDays: number;
  readonly tags: Readonly<Record<string, string>>;
}

/**
 * AKS control-plane logs in a Log Analytics workspace, the counterpart of the
 * EKS control-plane logs: API server, audit of every write
 * (`kube-audit-admin`, which leaves out the gets and lists that make most of
 * the volume), Entra authentication (`guard`), controller manager, scheduler.
 */
export class AksControlPlaneLogs extends Construct {
  readonly workspace: LogAnalyticsWorkspace;

  constructor(scope: Construct, id: string, props: AksControlPlaneLogsProps) {
    super(scope, id);
    this.workspace = new LogAnalyticsWorkspace(this, 'workspace', {
      name: `${props.name}-control-plane-logs`,
      resourceGroupName: props.resourceGroupName,
      location: props.location,
      sku: 'PerGB2018',
      retentionInDays: Math.min(730, Math.max(30, props.retentionDays)),
      // Only identities with Azure RBAC on the workspace read it: no shared keys.
      localAuthenticationEnabled: false,
      tags: { ...props.tags },
    });
    new MonitorDiagnosticSetting(this, 'diagnostics', {
      name: 'control-plane-logs',
      targetResourceId: props.clusterId,
      logAnalyticsWorkspaceId: this.workspace.id,
      // Resource-specific tables (AKSAudit, AKSControlPlane) rather than the legacy shared AzureDiagnostics table.
      logAnalyticsDestinationType: 'Dedicated',
      enabledLog: AKS_CONTROL_PLANE_LOGS.map((category) => ({ category })),
    });
  }
}
