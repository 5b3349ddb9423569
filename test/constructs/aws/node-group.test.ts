import { EksNodeGroup } from '../../../constructs/aws/node-group';
import type { NodePoolConfig } from '../../../stacks/environments/schema';
import { onlyResourceOfType, synthConstructs } from '../../helpers/synth';

function synthPool(pool: NodePoolConfig) {
  const synthesized = synthConstructs((scope) => {
    new EksNodeGroup(scope, 'pool', { clusterName: 'skyline-test', kubernetesVersion: '1.33', nodeRoleArn: 'arn:aws:iam::111111111111:role/node', subnetIds: ['a', 'b'], pool });
  });
  return { nodeGroup: onlyResourceOfType(synthesized, 'aws_eks_node_group'), launchTemplate: onlyResourceOfType(synthesized, 'aws_launch_template') };
}

const gpuPool: NodePoolConfig = { name: 'gpu', role: 'gpu', machineType: 'g6.xlarge', minSize: 0, maxSize: 2, spot: true, diskSizeGiB: 200, gpu: { type: 'nvidia-l4', count: 1 } };
const servingPool: NodePoolConfig = { name: 'serving', role: 'serving', machineType: 'm6i.xlarge', minSize: 2, maxSize: 6, spot: false, diskSizeGiB: 100 };

describe('aws EksNodeGroup', () => {
  it('taints GPU pools nvidia.com/gpu and runs the NVIDIA AMI on spot capacity when asked', () => {
    const { nodeGroup } = synthPool(gpuPool);
    expect(nodeGroup).toMatchObject({
      taint: [{ key: 'nvidia.com/gpu', value: 'present', effect: 'NO_SCHEDULE' }],
      ami_type: 'AL2023_x86_64_NVIDIA',
      capacity_type: 'SPOT',
      instance_types: ['g6.xlarge'],
      labels: { 'skyline.io/pool-role': 'gpu', 'skyline.io/gpu-type': 'nvidia-l4' },
    });
  });

  it('leaves CPU pools untainted, on demand, with the configured autoscaling bounds', () => {
    const { nodeGroup } = synthPool(servingPool);
    expect(nodeGroup.taint).toBeUndefined();
    expect(nodeGroup).toMatchObject({ capacity_type: 'ON_DEMAND', ami_type: 'AL2023_x86_64_STANDARD', scaling_config: { min_size: 2, max_size: 6, desired_size: 2 } });
    expect(nodeGroup.lifecycle).toEqual({ ignore_changes: ['scaling_config[0].desired_size'] });
  });

  it('requires IMDSv2 with a hop limit of 1 and encrypts the root volume', () => {
    const { launchTemplate } = synthPool(servingPool);
    expect(launchTemplate.metadata_options).toEqual({ http_endpoint: 'enabled', http_tokens: 'required', http_put_response_hop_limit: 1 });
    expect(launchTemplate.block_device_mappings).toEqual([
      { device_name: '/dev/xvda', ebs: { volume_size: 100, volume_type: 'gp3', encrypted: 'true', delete_on_termination: 'true' } },
    ]);
  });
});
