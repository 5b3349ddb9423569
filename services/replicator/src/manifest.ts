/**
 * MANIFEST.json, the last object of every version (DESIGN § 8): each file's path (relative to the version's
 * prefix), size and SHA-256. Written by whoever publishes the version, copied byte for byte by the replicator,
 * verified by the sync sidecar.
 *
 * ```json
 * { "files": [ { "path": "model.onnx", "size": 102400, "sha256": "9f86d0...0f00a08" } ] }
 * ```
 * Other top-level fields (a producer's `createdAt`, `framework`...) are allowed and carried along unread.
 */
import { createHash } from 'node:crypto';
import { z } from 'zod';
import { MANIFEST_FILE } from './layout';

const SHA256_HEX = /^[0-9a-f]{64}$/;

/** The biggest manifest read: it lists files, it never holds them. */
export const MAX_MANIFEST_BYTES = 8 * 1024 * 1024;

const manifestFileSchema = z.object({
  path: z
    .string()
    .min(1)
    .refine((path) => !path.startsWith('/') && !path.split('/').some((part) => part === '' || part === '.' || part === '..'), {
      message: 'must be a relative path without empty, . or .. segments',
    })
    .refine((path) => path !== MANIFEST_FILE, { message: `must not be ${MANIFEST_FILE} itself` }),
  size: z.number().int().min(0),
  sha256: z.string().regex(SHA256_HEX, { message: 'must be 64 lowercase hex digits' }),
});

const manifestSchema = z.looseObject({
  files: z.array(manifestFileSchema).min(1, { message: 'must list at least one file' }),
});

export type ManifestFile = z.output<typeof manifestFileSchema>;

/** A parsed manifest with the exact bytes it came from (copies are byte for byte) and their SHA-256. */
export interface Manifest {
  readonly files: readonly ManifestFile[];
  readonly bytes: Buffer;
  readonly sha256: string;
}

export class InvalidManifestError extends Error {
  constructor(readonly key: string, detail: string) {
    super(`${key} is not a valid manifest: ${detail}`);
    this.name = 'InvalidManifestError';
  }
}

export function sha256Hex(data: Buffer | string): string {
  return createHash('sha256').update(data).digest('hex');
}

/** Parses and checks a manifest; `key` names it in errors. */
export function parseManifest(bytes: Buffer, key: string): Manifest {
  let json: unknown;
  try {
    json = JSON.parse(bytes.toString('utf8'));
  } catch (error) {
    throw new InvalidManifestError(key, `not JSON (${(error as Error).message})`);
  }
  const parsed = manifestSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new InvalidManifestError(key, `${issue.path.join('.') || '(root)'}: ${issue.message}`);
  }
  const paths = new Set<string>();
  for (const file of parsed.data.files) {
    if (paths.has(file.path)) throw new InvalidManifestError(key, `files: ${file.path} is listed twice`);
    paths.add(file.path);
  }
  return { files: parsed.data.files, bytes, sha256: sha256Hex(bytes) };
}

/** A manifest for these files, as a producer (or a test) writes it. */
export function buildManifest(files: readonly ManifestFile[], extra: Readonly<Record<string, unknown>> = {}): Buffer {
  return Buffer.from(`${JSON.stringify({ ...extra, files }, null, 2)}\n`);
}
