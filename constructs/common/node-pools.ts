import type { NodePoolConfig } from '../../stacks/environments/schema';

/** The taint every GPU pool carries on every cloud, so only pods that ask for GPUs land there. */
export const GPU_TAINT = { key: 'nvidia.com/gpu', value: 'present', effect: 'NoSchedule' } as const;

/** Label that tells workloads which pool a node belongs to (`nodeSelector: {skyline.io/pool-role: gpu}`). */
export const POOL_ROLE_LABEL = 'skyline.io/pool-role';
export const GPU_TYPE_LABEL = 'skyline.io/gpu-type';

/** Node labels, identical across clouds so charts select pools the same way everywhere. */
export function nodeLabels(pool: NodePoolConfig): Record<string, string> {
  return pool.gpu ? { [POOL_ROLE_LABEL]: pool.role, [GPU_TYPE_LABEL]: pool.gpu.type } : { [POOL_ROLE_LABEL]: pool.role };
}
