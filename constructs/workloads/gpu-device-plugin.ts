import type { ITerraformDependable } from 'cdktf';
import { Construct } from 'constructs';
import { GPU_TAINT, POOL_ROLE_LABEL } from '../common/node-pools';
import { PinnedRelease } from './pinned-release';
import { UPSTREAM_CHARTS } from './upstream-charts';

export interface GpuDevicePluginProps {
  /** @default none */
  readonly dependsOn?: readonly ITerraformDependable[];
}

/**
 * The NVIDIA device plugin, which advertises `nvidia.com/gpu` so GPU pods can
 * be scheduled. Needed on EKS (the NVIDIA AMI has the driver, not the plugin)
 * and AKS (the node image installs the driver only); GKE deploys its own.
 * It runs in kube-system: it needs the kubelet's device-plugin host path,
 * which no restricted or baseline namespace allows.
 */
export class GpuDevicePlugin extends Construct {
  constructor(scope: Construct, id: string, props: GpuDevicePluginProps = {}) {
    super(scope, id);
    new PinnedRelease(this, 'release', {
      chart: UPSTREAM_CHARTS.nvidiaDevicePlugin,
      releaseName: 'nvidia-device-plugin',
      namespace: 'kube-system',
      values: {
        nodeSelector: { [POOL_ROLE_LABEL]: 'gpu' },
        tolerations: [{ key: GPU_TAINT.key, operator: 'Exists', effect: GPU_TAINT.effect }],
        // Pods are only scheduled on GPU nodes anyway; NFD and GFD add nothing the pool label does not say.
        nfd: { enabled: false },
        gfd: { enabled: false },
      },
      dependsOn: props.dependsOn,
    });
  }
}
