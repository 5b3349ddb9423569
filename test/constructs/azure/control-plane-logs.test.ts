import { AKS_CONTROL_PLANE_LOGS, AksControlPlaneLogs } from '../../../constructs/azure/control-plane-logs';
import { onlyResourceOfType, synthConstructs } from '../../helpers/synth';

describe('AksControlPlaneLogs', () => {
  const synthesized = synthConstructs((scope) => {
    new AksControlPlaneLogs(scope, 'logs', {
      name: 'skyline-test', resourceGroupName: 'rg', location: 'centralindia', clusterId: '/subscriptions/x/aks', retentionDays: 7, tags: {},
    });
  });

  it('ships the API server, write audit, authentication and controller logs to resource-specific tables', () => {
    expect(AKS_CONTROL_PLANE_LOGS).toEqual(expect.arrayContaining(['kube-apiserver', 'kube-audit-admin', 'guard']));
    expect(onlyResourceOfType(synthesized, 'azurerm_monitor_diagnostic_setting')).toMatchObject({
      target_resource_id: '/subscriptions/x/aks',
      log_analytics_destination_type: 'Dedicated',
      enabled_log: AKS_CONTROL_PLANE_LOGS.map((category) => ({ category })),
    });
  });

  it('keeps them at least the 30 days Log Analytics allows, readable through Entra only', () => {
    expect(onlyResourceOfType(synthesized, 'azurerm_log_analytics_workspace')).toMatchObject({ retention_in_days: 30, local_authentication_enabled: false });
  });
});
