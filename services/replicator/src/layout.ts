/**
 * The model layout in every store (DESIGN § 8): `models/<model>/<version>/<files>` plus
 * `models/<model>/<version>/MANIFEST.json`. A version exists for consumers only once its manifest is present and
 * every file it lists verifies.
 */

export const MODELS_PREFIX = 'models/';
export const MANIFEST_FILE = 'MANIFEST.json';

/** One version of one model, e.g. `{model: 'resnet50', version: '12'}`. */
export interface VersionRef {
  readonly model: string;
  readonly version: string;
}

/** A key split along the layout: the version it belongs to and its path inside the version. */
export interface ModelKey extends VersionRef {
  /** Path relative to the version's prefix, e.g. `weights/part-0.bin` or `MANIFEST.json`. */
  readonly file: string;
}

/** `models/<model>/<version>/`. */
export function versionPrefix(ref: VersionRef): string {
  return `${MODELS_PREFIX}${ref.model}/${ref.version}/`;
}

/** `models/<model>/`. */
export function modelPrefix(model: string): string {
  return `${MODELS_PREFIX}${model}/`;
}

export function fileKey(ref: VersionRef, file: string): string {
  return versionPrefix(ref) + file;
}

export function manifestKey(ref: VersionRef): string {
  return fileKey(ref, MANIFEST_FILE);
}

/** Splits a key along the layout; undefined for keys outside it (not under models/, or too shallow). */
export function parseModelKey(key: string): ModelKey | undefined {
  if (!key.startsWith(MODELS_PREFIX)) return undefined;
  const [model, version, ...rest] = key.slice(MODELS_PREFIX.length).split('/');
  const file = rest.join('/');
  if (!model || !version || !file || file.endsWith('/')) return undefined;
  // `.` and `..` would escape the version's directory in the sync sidecar's local copy.
  if ([model, version, ...rest].some((segment) => segment === '.' || segment === '..')) return undefined;
  return { model, version, file };
}

/** A stable map key for a version. */
export function versionId(ref: VersionRef): string {
  return `${ref.model}/${ref.version}`;
}

/**
 * Version order, oldest first: names compared with their digit runs as numbers, so `9 < 10`, `v2 < v10` and
 * `2024-06-01 < 2024-06-02`. The newest version of a model is the last in this order.
 */
export function compareVersions(a: string, b: string): number {
  return VERSION_COLLATOR.compare(a, b) || (a < b ? -1 : a > b ? 1 : 0);
}

const VERSION_COLLATOR = new Intl.Collator('en', { numeric: true, sensitivity: 'variant' });
