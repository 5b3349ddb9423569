/**
 * Observes the inputs of the planner: a source's objects and parsed manifests, a destination's objects with their
 * metadata, under a prefix (all of `models/` for the reconcile, one version for an event). Manifests are read
 * once per content: a cache keyed by key, size and modification time spares a full reconcile re-reading them all.
 */
import type { Logger } from '../../common/src/logger';
import { mapConcurrent } from './concurrency';
import { MANIFEST_FILE, parseModelKey, versionId } from './layout';
import { MAX_MANIFEST_BYTES, parseManifest } from './manifest';
import type { ObservedManifest, PlanInput } from './planner';
import { collect } from './stores/collect';
import type { ObjectStore, StoredObject } from './stores/object-store';

/** Manifest reads in flight. */
const MANIFEST_READ_CONCURRENCY = 8;

export interface SourceObservation {
  readonly objects: readonly StoredObject[];
  readonly manifests: ReadonlyMap<string, ObservedManifest>;
}

export class SourceObserver {
  private readonly cache = new Map<string, { readonly size: number; readonly modifiedMs: number; readonly observed: ObservedManifest }>();

  constructor(
    private readonly store: ObjectStore,
    private readonly logger: Logger,
  ) {}

  async observe(prefix: string): Promise<SourceObservation> {
    const objects = await this.store.list(prefix, { metadata: false });
    const manifestObjects = objects.filter((object) => parseModelKey(object.key)?.file === MANIFEST_FILE);
    // Forget the manifests of versions gone from under this prefix, so the cache holds only what exists.
    const listed = new Set(manifestObjects.map((object) => object.key));
    for (const key of this.cache.keys()) if (key.startsWith(prefix) && !listed.has(key)) this.cache.delete(key);
    const manifests = new Map<string, ObservedManifest>();
    const read = await mapConcurrent(manifestObjects, MANIFEST_READ_CONCURRENCY, async (object) => ({ object, observed: await this.manifest(object) }));
    for (const { object, observed } of read) {
      const ref = parseModelKey(object.key);
      if (ref !== undefined && observed !== undefined) manifests.set(versionId(ref), observed);
    }
    return { objects, manifests };
  }

  /** The parsed manifest, or undefined when it vanished between the listing and the read. */
  private async manifest(object: StoredObject): Promise<ObservedManifest | undefined> {
    const cached = this.cache.get(object.key);
    if (cached !== undefined && cached.size === object.size && cached.modifiedMs === object.lastModified.getTime()) return cached.observed;
    let observed: ObservedManifest;
    if (object.size > MAX_MANIFEST_BYTES) {
      observed = { ok: false, error: `${object.key} is ${object.size} bytes, more than a manifest may be (${MAX_MANIFEST_BYTES})` };
    } else {
      let bytes: Buffer;
      try {
        bytes = await collect(await this.store.read(object.key), MAX_MANIFEST_BYTES);
      } catch (error) {
        if ((await this.store.stat(object.key)) === undefined) return undefined;
        throw error;
      }
      try {
        observed = { ok: true, manifest: parseManifest(bytes, object.key), lastModified: object.lastModified };
      } catch (error) {
        observed = { ok: false, error: (error as Error).message };
        this.logger.error({ key: object.key, store: this.store.description, err: error }, 'invalid manifest: its version is not replicated');
      }
    }
    this.cache.set(object.key, { size: object.size, modifiedMs: object.lastModified.getTime(), observed });
    return observed;
  }
}

/** The destination side of the planner's input. */
export async function observeDestination(store: ObjectStore, prefix: string): Promise<PlanInput['destination']> {
  return store.list(prefix, { metadata: true });
}
