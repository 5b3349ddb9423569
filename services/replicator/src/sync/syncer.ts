/**
 * The sync mode, the serving pods' sidecar: every `pollIntervalSeconds`, find the newest version of the model
 * whose manifest is present in the store, download it into a staging directory verifying every file's size and
 * SHA-256 against the manifest, move it into place and switch `current` to it atomically (local-versions.ts),
 * then signal the serving container. A version that does not verify is not installed: the next older one is
 * considered instead, down to the one already in place. "Newest" is the version order of layout.ts; a version
 * removed from the store is no longer a candidate, so deleting a bad version rolls the pods back.
 */
import { createWriteStream } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { systemClock, type Clock } from '../../../common/src/clock';
import type { Logger } from '../../../common/src/logger';
import { retry } from '../../../common/src/retry';
import { mapConcurrent } from '../concurrency';
import type { SyncConfig } from '../config';
import { isTransient } from '../errors';
import { compareVersions, fileKey, MANIFEST_FILE, manifestKey, modelPrefix, parseModelKey } from '../layout';
import { InvalidManifestError, MAX_MANIFEST_BYTES, parseManifest, type Manifest } from '../manifest';
import { collect } from '../stores/collect';
import type { ObjectStore, StoredObject } from '../stores/object-store';
import { ContentMismatchError, VerifyingStream } from '../verifying-stream';
import { sameInstall, type InstalledVersion, type LocalVersions } from './local-versions';
import type { Signal } from './signal';
import type { SyncFailureReason, SyncMetrics } from './sync-metrics';

export interface SyncerDependencies {
  readonly store: ObjectStore;
  readonly local: LocalVersions;
  readonly signal: Signal;
  readonly metrics: SyncMetrics;
  readonly logger: Logger;
  /** @default systemClock */
  readonly clock?: Clock;
}

export type PollResult =
  | { readonly kind: 'switched'; readonly to: InstalledVersion; readonly downloaded: boolean }
  | { readonly kind: 'unchanged'; readonly current: InstalledVersion | undefined };

class VersionRejected extends Error {
  constructor(
    readonly reason: SyncFailureReason,
    message: string,
  ) {
    super(message);
    this.name = 'VersionRejected';
  }
}

export class Syncer {
  private readonly clock: Clock;
  private readonly abort = new AbortController();
  private current: InstalledVersion | undefined;
  private previous: InstalledVersion | undefined;
  private signalPending = false;
  /** Versions that failed, by install name, with the listing they failed with: not retried until it changes. */
  private readonly rejected = new Map<string, string>();
  private loop: Promise<void> | undefined;

  constructor(
    private readonly config: SyncConfig,
    private readonly dependencies: SyncerDependencies,
  ) {
    this.clock = dependencies.clock ?? systemClock;
  }

  /** Ready once a version is in place (and not while draining): the serving container can start reading. */
  get ready(): boolean {
    return this.current !== undefined && !this.abort.signal.aborted;
  }

  /** Prepares the directory (keeping the version in place from a previous run) and starts polling. */
  async start(): Promise<void> {
    await this.prepare();
    this.loop = this.run();
  }

  async prepare(): Promise<void> {
    const { local, metrics } = this.dependencies;
    await local.prepare();
    this.current = await local.current();
    if (this.current !== undefined) metrics.currentVersion.set({ model: this.config.model, version: this.current.version }, 1);
  }

  async stop(): Promise<void> {
    this.abort.abort();
    await this.loop;
  }

  /** One check: switch to the newest version that verifies, if it is not the one in place. */
  async poll(): Promise<PollResult> {
    const { store, metrics, logger } = this.dependencies;
    const model = this.config.model;
    const objects = await store.list(modelPrefix(model), { metadata: false });
    metrics.lastCheck.set({ model }, this.clock.now() / 1000);
    const versions = groupVersions(objects);
    const candidates = [...versions.keys()].filter((version) => versions.get(version)?.has(MANIFEST_FILE)).sort(compareVersions).reverse();
    let result: PollResult = { kind: 'unchanged', current: this.current };
    for (const version of candidates) {
      const files = versions.get(version) as Map<string, StoredObject>;
      const signature = listingSignature(files);
      if (this.rejected.get(`${version}@manifest`) === signature) continue;
      let manifest: Manifest;
      try {
        manifest = await this.readManifest(version);
      } catch (error) {
        if (error instanceof VersionRejected) {
          this.reject(`${version}@manifest`, signature, error);
          continue;
        }
        throw error;
      }
      const installed = { version, manifestSha256: manifest.sha256 };
      if (this.current !== undefined && sameInstall(this.current, installed)) break;
      const rejectKey = `${version}@${manifest.sha256}`;
      if (this.rejected.get(rejectKey) === signature) continue;
      try {
        const downloaded = await this.install(installed, manifest, files);
        result = { kind: 'switched', to: installed, downloaded };
        break;
      } catch (error) {
        if (!(error instanceof VersionRejected)) throw error;
        this.reject(rejectKey, signature, error);
      }
    }
    if (result.kind === 'switched') {
      if (this.current !== undefined) metrics.currentVersion.remove({ model, version: this.current.version });
      this.previous = this.current;
      this.current = result.to;
      metrics.currentVersion.set({ model, version: result.to.version }, 1);
      metrics.switches.inc({ model });
      logger.info({ model, version: result.to.version, downloaded: result.downloaded, previous: this.previous?.version }, 'switched current version');
      await this.dependencies.local.prune([this.current, ...(this.previous ? [this.previous] : [])]);
      this.signalPending = true;
    }
    await this.signalIfPending();
    return result;
  }

  private reject(key: string, signature: string, error: VersionRejected): void {
    const model = this.config.model;
    this.rejected.set(key, signature);
    this.dependencies.metrics.failures.inc({ model, reason: error.reason });
    this.dependencies.logger.error({ model, reason: error.reason, detail: error.message }, 'version not installed; an older one is considered');
  }

  private async readManifest(version: string): Promise<Manifest> {
    const key = manifestKey({ model: this.config.model, version });
    const bytes = await this.withRetry(async () => collect(await this.dependencies.store.read(key), MAX_MANIFEST_BYTES));
    try {
      return parseManifest(bytes, key);
    } catch (error) {
      if (error instanceof InvalidManifestError) throw new VersionRejected('bad-manifest', error.message);
      throw error;
    }
  }

  /** Downloads (or reuses the previous install of) a version and switches `current` to it; true if downloaded. */
  private async install(installed: InstalledVersion, manifest: Manifest, files: ReadonlyMap<string, StoredObject>): Promise<boolean> {
    const { local } = this.dependencies;
    const missing = manifest.files.filter((file) => files.get(file.path)?.size !== file.size).map((file) => file.path);
    if (missing.length > 0) throw new VersionRejected('source-missing', `${installed.version}: ${missing.join(', ')} missing or not the size the manifest lists`);
    if (this.previous !== undefined && sameInstall(this.previous, installed) && (await local.reuse(installed))) return false;
    const staging = await local.staging(installed);
    try {
      await mapConcurrent(manifest.files, this.config.concurrency, (file) => this.download(installed.version, file.path, { size: file.size, sha256: file.sha256 }, staging));
      await writeFile(join(staging, MANIFEST_FILE), manifest.bytes);
      await local.install(staging, installed);
      return true;
    } catch (error) {
      await local.discard(staging);
      throw error;
    }
  }

  private async download(version: string, path: string, expected: { readonly size: number; readonly sha256: string }, staging: string): Promise<void> {
    const { store, metrics } = this.dependencies;
    const key = fileKey({ model: this.config.model, version }, path);
    const target = join(staging, path);
    await mkdir(dirname(target), { recursive: true });
    try {
      await this.withRetry(async () => pipeline(await store.read(key), new VerifyingStream(expected), createWriteStream(target)));
    } catch (error) {
      if (error instanceof ContentMismatchError) throw new VersionRejected('source-mismatch', `${key}: ${error.message}`);
      if ((await store.stat(key)) === undefined) throw new VersionRejected('source-missing', `${key} vanished during the download`);
      throw error;
    }
    metrics.bytesDownloaded.inc({ model: this.config.model }, expected.size);
  }

  private withRetry<T>(operation: () => Promise<T>): Promise<T> {
    const { attempts, baseDelaySeconds, maxDelaySeconds } = this.config.retry;
    return retry(operation, { attempts, baseDelayMs: baseDelaySeconds * 1000, maxDelayMs: maxDelaySeconds * 1000, isRetryable: isTransient, clock: this.clock, signal: this.abort.signal });
  }

  private async signalIfPending(): Promise<void> {
    if (!this.signalPending || this.current === undefined) return;
    const { local, signal, metrics, logger } = this.dependencies;
    const model = this.config.model;
    try {
      await signal({ model, version: this.current.version, path: join(local.directory, 'current') });
      this.signalPending = false;
    } catch (error) {
      metrics.failures.inc({ model, reason: 'signal' });
      logger.error({ model, version: this.current.version, err: error }, 'signalling the serving container failed; tried again at the next check');
    }
  }

  private async run(): Promise<void> {
    const signal = this.abort.signal;
    while (!signal.aborted) {
      try {
        await this.poll();
      } catch (error) {
        this.dependencies.metrics.failures.inc({ model: this.config.model, reason: 'error' });
        this.dependencies.logger.error({ model: this.config.model, err: error }, 'sync check failed; tried again at the next check');
      }
      await this.clock.sleep(this.config.pollIntervalSeconds * 1000, signal);
    }
  }
}

/** Objects by version, then by path inside the version. */
function groupVersions(objects: readonly StoredObject[]): Map<string, Map<string, StoredObject>> {
  const versions = new Map<string, Map<string, StoredObject>>();
  for (const object of objects) {
    const parsed = parseModelKey(object.key);
    if (parsed === undefined) continue;
    const files = versions.get(parsed.version) ?? new Map<string, StoredObject>();
    files.set(parsed.file, object);
    versions.set(parsed.version, files);
  }
  return versions;
}

/** What a version's listing looks like: a rejected version is looked at again only once this changes. */
function listingSignature(files: ReadonlyMap<string, StoredObject>): string {
  return [...files.values()]
    .map((object) => `${object.key}:${object.size}:${object.lastModified.getTime()}`)
    .sort()
    .join('\n');
}
