import { EksNodeGroup as EksNodeGroupResource } from '@cdktf/provider-aws/lib/eks-node-group';
import { LaunchTemplate } from '@cdktf/provider-aws/lib/launch-template';
import { Construct } from 'constructs';
import type { NodePoolConfig } from '../../stacks/environments/schema';
import { GPU_TAINT, nodeLabels } from '../common/node-pools';

export interface EksNodeGroupProps {
  readonly clusterName: string;
  readonly kubernetesVersion: string;
  readonly nodeRoleArn: string;
  readonly subnetIds: readonly string[];
  readonly pool: NodePoolConfig;
}

/**
 * A managed node group for one pool: IMDSv2 required with a hop limit of 1 (pods
 * cannot borrow the node's role), encrypted gp3 root volumes, the NVIDIA AMI and
 * the `nvidia.com/gpu` taint for GPU pools, spot where the pool says so.
 */
export class EksNodeGroup extends Construct {
  readonly nodeGroup: EksNodeGroupResource;

  constructor(scope: Construct, id: string, props: EksNodeGroupProps) {
    super(scope, id);
    const { pool } = props;
    const launchTemplate = new LaunchTemplate(this, 'launch-template', {
      name: `${props.clusterName}-${pool.name}`,
      updateDefaultVersion: true,
      metadataOptions: { httpEndpoint: 'enabled', httpTokens: 'required', httpPutResponseHopLimit: 1 },
      blockDeviceMappings: [
        { deviceName: '/dev/xvda', ebs: { volumeSize: pool.diskSizeGiB, volumeType: 'gp3', encrypted: 'true', deleteOnTermination: 'true' } },
      ],
    });
    this.nodeGroup = new EksNodeGroupResource(this, 'node-group', {
      clusterName: props.clusterName,
      nodeGroupName: pool.name,
      version: props.kubernetesVersion,
      nodeRoleArn: props.nodeRoleArn,
      subnetIds: [...props.subnetIds],
      instanceTypes: [pool.machineType],
      capacityType: pool.spot ? 'SPOT' : 'ON_DEMAND',
      amiType: pool.gpu ? 'AL2023_x86_64_NVIDIA' : 'AL2023_x86_64_STANDARD',
      scalingConfig: { minSize: pool.minSize, maxSize: pool.maxSize, desiredSize: pool.minSize },
      labels: nodeLabels(pool),
      taint: pool.gpu ? [{ key: GPU_TAINT.key, value: GPU_TAINT.value, effect: 'NO_SCHEDULE' }] : undefined,
      launchTemplate: { id: launchTemplate.id, version: launchTemplate.latestVersion.toString() },
      updateConfig: { maxUnavailablePercentage: 33 },
      nodeRepairConfig: { enabled: true },
      // The cluster autoscaler owns the current size; Terraform owns only the bounds.
      lifecycle: { ignoreChanges: ['scaling_config[0].desired_size'] },
    });
  }
}
