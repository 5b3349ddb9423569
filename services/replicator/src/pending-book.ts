/**
 * What each destination still lacks: per route, the versions found needing work and not yet completed, with the
 * time their source manifest was written and the objects left. It backs skyline_replicator_lag_seconds and
 * skyline_replicator_pending_objects. A version that fails stays in the book, so the lag grows until it is
 * repaired: that growth is what the stuck-replication alert watches.
 */
import { versionId, type VersionRef } from './layout';

export interface PendingRoute {
  readonly source: string;
  readonly destination: string;
  /** Seconds since the oldest pending version's source manifest was written; 0 when nothing is pending. */
  readonly lagSeconds: number;
  readonly objects: number;
}

interface Entry {
  readonly sinceMs: number;
  remaining: number;
}

const routeKey = (source: string, destination: string): string => `${source}\u0000${destination}`;

export class PendingBook {
  private readonly routes = new Map<string, { readonly source: string; readonly destination: string; readonly versions: Map<string, Entry> }>();

  /** Declares a route, so that its series exist (at 0) before anything is pending. */
  addRoute(source: string, destination: string): void {
    if (!this.routes.has(routeKey(source, destination))) this.routes.set(routeKey(source, destination), { source, destination, versions: new Map() });
  }

  /** The whole truth for a route after a full observation: exactly these versions are pending. */
  replace(source: string, destination: string, versions: readonly { readonly ref: VersionRef; readonly since: Date; readonly objects: number }[]): void {
    const route = this.route(source, destination);
    route.versions.clear();
    for (const version of versions) route.versions.set(versionId(version.ref), { sinceMs: version.since.getTime(), remaining: version.objects });
  }

  /** A version found needing `objects` copies (its manifest included). */
  start(source: string, destination: string, ref: VersionRef, since: Date, objects: number): void {
    this.route(source, destination).versions.set(versionId(ref), { sinceMs: since.getTime(), remaining: objects });
  }

  /** One object of the version is done. */
  progress(source: string, destination: string, ref: VersionRef): void {
    const entry = this.route(source, destination).versions.get(versionId(ref));
    if (entry !== undefined && entry.remaining > 0) entry.remaining--;
  }

  /** The version is complete at the destination (or no longer needs anything). */
  complete(source: string, destination: string, ref: VersionRef): void {
    this.route(source, destination).versions.delete(versionId(ref));
  }

  snapshot(nowMs: number): PendingRoute[] {
    return [...this.routes.values()].map(({ source, destination, versions }) => {
      const entries = [...versions.values()];
      const oldest = Math.min(...entries.map((entry) => entry.sinceMs));
      return {
        source,
        destination,
        lagSeconds: entries.length === 0 ? 0 : Math.max(0, (nowMs - oldest) / 1000),
        objects: entries.reduce((sum, entry) => sum + entry.remaining, 0),
      };
    });
  }

  private route(source: string, destination: string): { readonly versions: Map<string, Entry> } {
    this.addRoute(source, destination);
    return this.routes.get(routeKey(source, destination)) as { readonly versions: Map<string, Entry> };
  }
}
