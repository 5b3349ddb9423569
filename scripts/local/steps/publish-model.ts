/**
 * Publishing a model version as a producer does (DESIGN § 8): its files, then MANIFEST.json listing each
 * file's path, size and SHA-256, into the primary region's bucket; then watching it arrive — the manifest in
 * every other region's bucket (the replicator writes it last, after every file verified) and the version in
 * every region's model server (its sync sidecar downloaded, verified and switched to it, and signalled the
 * server, which verified it again and loaded it).
 */
import { createHash } from 'node:crypto';
import { fileKey, manifestKey } from '../../../services/replicator/src/layout';
import { buildManifest, sha256Hex } from '../../../services/replicator/src/manifest';
import { seconds, type Output } from '../output';
import type { Platform } from '../platform';
import type { ModelsStatus } from '../serving/stand-in';
import { waitFor } from '../wait';

export interface PublishResult {
  readonly model: string;
  readonly version: string;
  readonly files: number;
  readonly bytes: number;
  /** The store it was written to: the primary region's. */
  readonly source: string;
  /** How long the upload took. */
  readonly uploadMs: number;
  /** From the end of the upload to the manifest in each other region's bucket, by region. */
  readonly replicatedMs: Readonly<Record<string, number>>;
  /** From the end of the upload to the version loaded by each region's model server, by region. */
  readonly loadedMs: Readonly<Record<string, number>>;
}

/** Bounds far above what the shortened intervals need (the measured figures are in docs/local.md). */
const REPLICATION_TIMEOUT_MS = 60_000;
const POLL_MS = 100;

/**
 * A model version's files: pseudo-random weights (deterministic per version, so every run publishes the same
 * bytes) and a small config.
 */
export function modelFiles(model: string, version: string, weightsBytes: number): { path: string; content: Buffer }[] {
  const weights = Buffer.alloc(weightsBytes);
  let block = createHash('sha256').update(`${model}/${version}`).digest();
  for (let offset = 0; offset < weightsBytes; offset += block.length) {
    block.copy(weights, offset);
    block = createHash('sha256').update(block).digest();
  }
  const config = Buffer.from(`${JSON.stringify({ model, version, framework: 'onnx', inputs: [{ name: 'image', shape: [1, 3, 224, 224] }] }, null, 2)}\n`);
  return [
    { path: 'model.onnx', content: weights },
    { path: 'config.json', content: config },
  ];
}

/** The weights' size: big enough to stream, small enough for seconds. */
export const WEIGHTS_BYTES = 4 * 1024 * 1024;

export async function publishModel(platform: Platform, model: string, version: string, output: Output, signal?: AbortSignal): Promise<PublishResult> {
  const [primary, ...others] = platform.regions;
  const files = modelFiles(model, version, WEIGHTS_BYTES);
  const ref = { model, version };
  const startedAt = Date.now();
  // Files first, the manifest last: a version exists for consumers only once its manifest is there.
  await Promise.all(files.map((file) => primary.store.put(fileKey(ref, file.path), file.content)));
  await primary.store.put(manifestKey(ref), buildManifest(files.map((file) => ({ path: file.path, size: file.content.length, sha256: sha256Hex(file.content) }))));
  const uploadedAt = Date.now();
  const bytes = files.reduce((sum, file) => sum + file.content.length, 0);
  output.print(`   uploaded ${files.length} files and MANIFEST.json (${(bytes / 1024 / 1024).toFixed(1)} MiB) to ${primary.store.location} in ${seconds(uploadedAt - startedAt)}`);

  const replicated = Promise.all(
    others.map(async (runtime) => {
      const atMs = await waitFor(`${model} ${version} in ${runtime.store.location}`, { timeoutMs: REPLICATION_TIMEOUT_MS, everyMs: POLL_MS, signal }, async () =>
        (await runtime.store.exists(manifestKey(ref))) ? Date.now() : undefined,
      );
      return [runtime.region.name, atMs - uploadedAt] as const;
    }),
  );
  const loaded = Promise.all(
    platform.regions.map(async (runtime) => {
      const atMs = await waitFor(`${runtime.region.name}'s model server to load ${model} ${version}`, { timeoutMs: REPLICATION_TIMEOUT_MS, everyMs: POLL_MS, signal }, async () => {
        const status = (await (await fetch(`${runtime.servingUrl}/v1/models`)).json()) as ModelsStatus;
        return status.loaded?.version === version ? Date.now() : undefined;
      });
      return [runtime.region.name, atMs - uploadedAt] as const;
    }),
  );
  const replicatedMs = Object.fromEntries(await replicated);
  output.print(`   replicated: ${others.map((runtime) => `${runtime.region.name} (${runtime.store.location}) ${seconds(replicatedMs[runtime.region.name])}`).join(', ')}`);
  const loadedMs = Object.fromEntries(await loaded);
  output.print(`   reloaded by the model servers: ${platform.regions.map((runtime) => `${runtime.region.name} ${seconds(loadedMs[runtime.region.name])}`).join(', ')}`);
  return { model, version, files: files.length, bytes, source: primary.store.location, uploadMs: uploadedAt - startedAt, replicatedMs, loadedMs };
}
