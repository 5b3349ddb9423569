/**
 * A region's model server, standing in for the user's inference image: it serves the model version its sync
 * sidecar (the replicator in `sync` mode) made current in the local directory, and reloads when the sidecar
 * signals a switch, the way the environment's `replication.reloadSignal` says (a file it watches, or a POST):
 *
 * - `GET /health`: 200 once a version is loaded (what the chart's probes, Route53's health checks and the
 *   failover controllers read), 503 before;
 * - `GET /v1/models`: which version is loaded, since when, and how many loads;
 * - `POST <reload path>` (http signal only): load the current version now;
 * - `GET /metrics`: prometheus-fastapi-instrumentator's request series (`http_requests_total{handler,method,status}`,
 *   `http_request_duration_seconds`), which the edge recording rules read, and the loaded version.
 *
 * Loading verifies every file the manifest lists (size and SHA-256) before switching, so a torn or corrupt copy
 * is never served: the version loaded before stays, and the error is logged (and answered, for a POST).
 */
import { unwatchFile, watchFile } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { Counter, Gauge, Histogram, type Registry } from 'prom-client';
import type { Logger } from '../../../services/common/src/logger';
import { createMetricsRegistry } from '../../../services/common/src/metrics';
import { MANIFEST_FILE } from '../../../services/replicator/src/layout';
import { parseManifest, sha256Hex } from '../../../services/replicator/src/manifest';
import { CURRENT_LINK, LocalVersions } from '../../../services/replicator/src/sync/local-versions';

/** How the sync sidecar signals a switch: as the environment's `replication.reloadSignal`, with a full path. */
export type ReloadSignal = { readonly kind: 'file'; readonly path: string } | { readonly kind: 'http'; readonly path: string };

export interface StandInOptions {
  readonly region: string;
  readonly cloud: string;
  readonly model: string;
  /** The sync sidecar's directory: `current` links to the live version. */
  readonly directory: string;
  readonly reload: ReloadSignal;
  readonly host: string;
  /** 0 picks a free port. */
  readonly port: number;
  readonly logger: Logger;
}

export interface LoadedModel {
  readonly model: string;
  readonly version: string;
  readonly files: number;
  readonly bytes: number;
  readonly loadedAt: string;
}

/** What GET /v1/models answers. */
export interface ModelsStatus {
  readonly region: string;
  readonly cloud: string;
  readonly loaded: LoadedModel | null;
  /** Versions loaded since start. */
  readonly loads: number;
}

/** One answer: its status and JSON (or text) body, and the `handler` label of its metrics. */
interface Answer {
  readonly status: number;
  readonly body: unknown;
  /** The route; `other` for unknown paths, so that label values stay bounded. */
  readonly handler?: string;
  readonly contentType?: string;
}

/** How often the reload file's modification time is checked (a stat, cheap). */
const RELOAD_FILE_POLL_MS = 100;

export class ServingStandIn {
  private loaded: LoadedModel | null = null;
  private loads = 0;
  private loading: Promise<LoadedModel | undefined> = Promise.resolve(undefined);
  private server: Server | undefined;
  readonly registry: Registry;
  private readonly requests: Counter<'handler' | 'method' | 'status'>;
  private readonly duration: Histogram<'handler' | 'method'>;
  private readonly loadedVersion: Gauge<'model' | 'version'>;

  constructor(private readonly options: StandInOptions) {
    this.registry = createMetricsRegistry({ service: 'model-serving' });
    this.requests = new Counter({ name: 'http_requests_total', help: 'HTTP requests by handler, method and status class', labelNames: ['handler', 'method', 'status'], registers: [this.registry] });
    this.duration = new Histogram({
      name: 'http_request_duration_seconds',
      help: 'HTTP request latency by handler and method',
      labelNames: ['handler', 'method'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
      registers: [this.registry],
    });
    this.loadedVersion = new Gauge({ name: 'skyline_serving_model_loaded', help: '1 for the model version this server serves', labelNames: ['model', 'version'], registers: [this.registry] });
  }

  status(): ModelsStatus {
    return { region: this.options.region, cloud: this.options.cloud, loaded: this.loaded, loads: this.loads };
  }

  /**
   * Loads the version `current` links to, if it is not the one loaded; undefined when there is none yet. Loads
   * run one at a time: a signal during a load is handled after it.
   */
  loadCurrent(): Promise<LoadedModel | undefined> {
    const next = this.loading.catch(() => undefined).then(() => this.loadCurrentNow());
    this.loading = next;
    return next;
  }

  /** Listens, and watches the reload file if that is the signal; returns the server's URL. */
  async start(): Promise<string> {
    const server = createServer((request, response) => {
      const started = process.hrtime.bigint();
      this.route(request)
        .catch((error: unknown): Answer => ({ status: 500, body: { error: (error as Error).message } }))
        .then(({ status, body, handler = 'other', contentType = 'application/json' }) => {
          const text = typeof body === 'string' ? body : `${JSON.stringify(body)}\n`;
          response.writeHead(status, { 'content-type': contentType, 'content-length': Buffer.byteLength(text) }).end(text);
          const method = request.method ?? 'GET';
          this.requests.inc({ handler, method, status: `${Math.floor(status / 100)}xx` });
          this.duration.observe({ handler, method }, Number(process.hrtime.bigint() - started) / 1e9);
        })
        .catch((error: unknown) => this.options.logger.error({ err: error }, 'answering failed'));
    });
    this.server = server;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen({ host: this.options.host, port: this.options.port }, resolve);
    });
    const { reload } = this.options;
    if (reload.kind === 'file') {
      // By modification time: the sidecar renames a new file over the old one, which an inode watch would lose.
      watchFile(reload.path, { interval: RELOAD_FILE_POLL_MS }, (now, before) => {
        if (now.mtimeMs !== before.mtimeMs && now.mtimeMs > 0) this.loadCurrent().catch((error: unknown) => this.options.logger.error({ err: error }, 'the signalled version does not load'));
      });
    }
    return `http://${this.options.host}:${(server.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    if (this.options.reload.kind === 'file') unwatchFile(this.options.reload.path);
    const server = this.server;
    if (!server?.listening) return;
    await new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeIdleConnections();
    });
  }

  private async loadCurrentNow(): Promise<LoadedModel | undefined> {
    const current = await new LocalVersions(this.options.directory).current();
    if (current === undefined) return undefined;
    if (this.loaded?.version === current.version) return this.loaded;
    const path = join(this.options.directory, CURRENT_LINK);
    const manifest = parseManifest(await readFile(join(path, MANIFEST_FILE)), join(path, MANIFEST_FILE));
    let bytes = 0;
    for (const file of manifest.files) {
      const content = await readFile(join(path, file.path));
      if (content.length !== file.size || sha256Hex(content) !== file.sha256) {
        throw new Error(`${file.path} of ${this.options.model} ${current.version} does not match its manifest (${content.length} bytes, expected ${file.size} with SHA-256 ${file.sha256})`);
      }
      bytes += content.length;
    }
    const previous = this.loaded;
    this.loaded = { model: this.options.model, version: current.version, files: manifest.files.length, bytes, loadedAt: new Date().toISOString() };
    if (previous) this.loadedVersion.remove(previous.model, previous.version);
    this.loadedVersion.set({ model: this.options.model, version: current.version }, 1);
    this.loads++;
    this.options.logger.info({ model: this.options.model, version: current.version, previous: previous?.version ?? null, files: manifest.files.length, bytes }, 'model loaded');
    return this.loaded;
  }

  private async route(request: IncomingMessage): Promise<Answer> {
    const path = new URL(request.url ?? '/', 'http://stand-in').pathname;
    const method = request.method ?? 'GET';
    if (method === 'GET' && path === '/health') {
      return { handler: path, status: this.loaded ? 200 : 503, body: { status: this.loaded ? 'ok' : 'loading', region: this.options.region, version: this.loaded?.version ?? null } };
    }
    if (method === 'GET' && path === '/metrics') return { handler: path, status: 200, body: await this.registry.metrics(), contentType: this.registry.contentType };
    if (method === 'GET' && path === '/v1/models') return { handler: path, status: 200, body: this.status() };
    if (method === 'POST' && this.options.reload.kind === 'http' && path === this.options.reload.path) {
      request.resume(); // the sidecar's notice names the version; `current` is what is loaded either way
      try {
        return { handler: path, status: 200, body: (await this.loadCurrent()) ?? { loaded: null } };
      } catch (error) {
        return { handler: path, status: 409, body: { error: (error as Error).message } };
      }
    }
    return { status: 404, body: { error: `no route ${method} ${path}` } };
  }
}
