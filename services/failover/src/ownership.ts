/**
 * Which observer writes a region's record pair (pure). Every region runs a controller, and any of them could
 * write; one writer per pair keeps the Route53 change rate low and the decision log in one place. The writer is
 * the first live observer in role order other than the region itself: the failing region is the worst place to
 * run the controller that fails it over. When that observer dies its reports go stale and the next one takes
 * over; two observers that briefly both consider themselves the writer write the same desired state
 * (idempotent UPSERTs), so the overlap is harmless.
 */
import type { RegionName } from './domain';

/** `roleOrder`: every region, primary first. `live`: observers with fresh reports, this instance included. */
export function recordWriter(region: RegionName, roleOrder: readonly RegionName[], live: ReadonlySet<RegionName>): RegionName | undefined {
  const other = roleOrder.find((observer) => observer !== region && live.has(observer));
  if (other !== undefined) return other;
  return live.has(region) ? region : undefined;
}
