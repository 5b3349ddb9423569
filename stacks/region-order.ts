import type { RegionConfig } from './environments/schema';

const ROLE_ORDER = { primary: 0, secondary: 1, tertiary: 2 } as const;

/**
 * Regions in role order, primary first. Each region spills to the next one
 * (the last to the first): the global stack's spill records and the failover
 * controllers' config both follow this order.
 */
export function inRoleOrder<T extends { readonly region: RegionConfig }>(entries: readonly T[]): T[] {
  return [...entries].sort((a, b) => ROLE_ORDER[a.region.role] - ROLE_ORDER[b.region.role]);
}
