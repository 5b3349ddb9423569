/**
 * The pure part of replication: given what a source holds (objects and parsed manifests) and what a destination
 * holds, what must be done so that the destination has every complete source version, byte for byte, with the
 * manifest last. No I/O: the observer gathers the inputs, the replicator applies the plan.
 *
 * Rules (DESIGN § 8):
 * - Only versions with a valid source manifest whose every file is present at the source with the listed size
 *   are copied; the others are skipped with a reason (a version still being uploaded has no manifest yet).
 * - A destination file is good when its size and its `sha256` metadata match the manifest; others are copied.
 * - The manifest is written after every file of its version is good, and only then.
 * - A destination manifest beside a file that is not good is withdrawn (deleted) first: a version with a missing
 *   or unverifiable file never shows a manifest.
 * - Only the files a manifest lists are copied; nothing is ever deleted at a destination except a withdrawn
 *   manifest and a copy that failed verification.
 */
import { MANIFEST_FILE, fileKey, manifestKey, parseModelKey, versionId, type VersionRef } from './layout';
import type { Manifest } from './manifest';
import type { StoredObject } from './stores/object-store';

/** A source manifest as observed: parsed, or why it could not be. */
export type ObservedManifest = { readonly ok: true; readonly manifest: Manifest; readonly lastModified: Date } | { readonly ok: false; readonly error: string };

export interface PlanInput {
  /** Source objects (no metadata needed). */
  readonly source: readonly StoredObject[];
  /** Source manifests by versionId(); a version without an entry has no manifest (yet). */
  readonly manifests: ReadonlyMap<string, ObservedManifest>;
  /** Destination objects, with their `sha256` metadata. */
  readonly destination: readonly StoredObject[];
}

export type CopyReason = 'missing' | 'differs';

export interface FileCopy {
  readonly key: string;
  readonly size: number;
  readonly sha256: string;
  readonly reason: CopyReason;
}

export interface VersionPlan {
  readonly ref: VersionRef;
  /** Delete the destination's manifest before anything else: a file under it is not good. */
  readonly withdrawManifest: boolean;
  /** Files to copy, largest first: the long copies start early and the many short ones fill the gaps around them. */
  readonly copies: readonly FileCopy[];
  /** The manifest to write once every copy verified; why it is (re)written. */
  readonly manifest: { readonly key: string; readonly bytes: Buffer; readonly sha256: string; readonly reason: CopyReason };
  /** When the source manifest was written: the version is pending at the destination since then (lag). */
  readonly sourceSince: Date;
}

export type SkipReason = 'incomplete' | 'bad-manifest' | 'source-missing';

export interface SkippedVersion {
  readonly ref: VersionRef;
  readonly reason: SkipReason;
  readonly detail: string;
}

export interface Plan {
  /** Versions with work to do at the destination. */
  readonly versions: readonly VersionPlan[];
  /** Source versions that are not copied, and why. */
  readonly skipped: readonly SkippedVersion[];
  /** Versions already complete and verified at the destination. */
  readonly inSync: readonly VersionRef[];
}

export function planReplication(input: PlanInput): Plan {
  const sourceByVersion = groupByVersion(input.source);
  const destinationByKey = new Map(input.destination.map((object) => [object.key, object]));
  const versions: VersionPlan[] = [];
  const skipped: SkippedVersion[] = [];
  const inSync: VersionRef[] = [];

  for (const { ref, files } of sourceByVersion.values()) {
    const observed = input.manifests.get(versionId(ref));
    if (observed === undefined || !files.has(MANIFEST_FILE)) {
      skipped.push({ ref, reason: 'incomplete', detail: `no ${MANIFEST_FILE} yet: the version is not published` });
      continue;
    }
    if (!observed.ok) {
      skipped.push({ ref, reason: 'bad-manifest', detail: observed.error });
      continue;
    }
    const { manifest } = observed;
    const unverifiable = manifest.files.flatMap((file) => {
      const found = files.get(file.path);
      if (found === undefined) return [`${file.path} is missing`];
      if (found.size !== file.size) return [`${file.path} is ${found.size} bytes, the manifest says ${file.size}`];
      return [];
    });
    if (unverifiable.length > 0) {
      skipped.push({ ref, reason: 'source-missing', detail: unverifiable.join('; ') });
      continue;
    }

    const copies: FileCopy[] = [];
    for (const file of manifest.files) {
      const key = fileKey(ref, file.path);
      const reason = compare(destinationByKey.get(key), file.size, file.sha256);
      if (reason !== undefined) copies.push({ key, size: file.size, sha256: file.sha256, reason });
    }
    copies.sort((a, b) => b.size - a.size);
    const key = manifestKey(ref);
    const existingManifest = destinationByKey.get(key);
    const manifestReason = compare(existingManifest, manifest.bytes.length, manifest.sha256);
    if (copies.length === 0 && manifestReason === undefined) {
      inSync.push(ref);
      continue;
    }
    versions.push({
      ref,
      withdrawManifest: copies.length > 0 && existingManifest !== undefined,
      copies,
      manifest: { key, bytes: manifest.bytes, sha256: manifest.sha256, reason: manifestReason ?? 'missing' },
      sourceSince: observed.lastModified,
    });
  }
  return { versions, skipped, inSync };
}

/** Why a destination object is not good, or undefined when it is. */
function compare(found: StoredObject | undefined, size: number, sha256: string): CopyReason | undefined {
  if (found === undefined) return 'missing';
  return found.size === size && found.sha256 === sha256 ? undefined : 'differs';
}

interface SourceVersion {
  readonly ref: VersionRef;
  /** By path inside the version. */
  readonly files: Map<string, StoredObject>;
}

function groupByVersion(objects: readonly StoredObject[]): Map<string, SourceVersion> {
  const versions = new Map<string, SourceVersion>();
  for (const object of objects) {
    const parsed = parseModelKey(object.key);
    if (parsed === undefined) continue;
    const id = versionId(parsed);
    let version = versions.get(id);
    if (version === undefined) {
      version = { ref: { model: parsed.model, version: parsed.version }, files: new Map() };
      versions.set(id, version);
    }
    version.files.set(parsed.file, object);
  }
  return versions;
}
