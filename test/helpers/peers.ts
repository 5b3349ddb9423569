/**
 * The real peers that service tests run against, each started by the test on 127.0.0.1 and stopped by it:
 * moto (a local AWS), Prometheus Alertmanager, controllable regional health endpoints, and a fault proxy that
 * partitions or answers with injected errors. scripts/install-peers.sh installs the binaries; docs/testing.md
 * ("Real peers") describes them.
 *
 * No peer may outlive its test file: processes run in their own process group (killed whole by stop()); every
 * peer still running when the file's tests end is stopped by an afterAll hook this module registers in each test
 * file that imports it; and a process whose Node parent dies anyway (killed worker, crash) is stopped by a
 * watchdog that notices the parent's end of a pipe closing (WATCHDOG_SCRIPT).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import * as http from 'node:http';
import * as net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PROJECT_ROOT } from './app-command';

/** Where scripts/install-peers.sh puts the peers' binaries. */
export const PEER_BINARIES = {
  /** moto 5.2.5 in server mode, in the tools venv. */
  moto: join(PROJECT_ROOT, '.tools', 'venv', 'bin', 'moto_server'),
  /** Debian's name for Alertmanager (bookworm: 0.25.0). */
  alertmanager: '/usr/bin/prometheus-alertmanager',
  /** Debian's Prometheus (bookworm: 2.42.0) and its promtool, for the tests that need them. */
  prometheus: '/usr/bin/prometheus',
  promtool: '/usr/bin/promtool',
  /** fake-gcs-server v1.56.1, built into .tools/bin. */
  fakeGcs: join(PROJECT_ROOT, '.tools', 'bin', 'fake-gcs-server'),
  /** Azurite's Blob and Queue services (npm dev dependency, 3.35.0). */
  azuriteBlob: join(PROJECT_ROOT, 'node_modules', '.bin', 'azurite-blob'),
  azuriteQueue: join(PROJECT_ROOT, 'node_modules', '.bin', 'azurite-queue'),
  /** Debian's rclone (bookworm: 1.60.1), the replicator benchmark's peer. */
  rclone: '/usr/bin/rclone',
  /** The FinOps Foundation's focus-validator and focus-converter, in their own venv. */
  focusValidator: join(PROJECT_ROOT, '.tools', 'focus-venv', 'bin', 'focus-validator'),
  focusConverter: join(PROJECT_ROOT, '.tools', 'focus-venv', 'bin', 'focus-converter'),
  /** That venv's Python, with pyarrow 14: the cost tests write their Parquet fixtures with it. */
  focusPython: join(PROJECT_ROOT, '.tools', 'focus-venv', 'bin', 'python'),
} as const;

export const INSTALL_PEERS_COMMAND = 'bash scripts/install-peers.sh';

const HOST = '127.0.0.1';
/** How long a peer process may take to answer its readiness probe; moto needs ~1 s idle, more on a loaded CI. */
const DEFAULT_START_TIMEOUT_MS = 30_000;
/** After SIGTERM, how long before SIGKILL; both servers exit in well under a second on SIGTERM. */
const STOP_GRACE_MS = 3_000;
/** Bytes of a process's output kept for error messages. */
const OUTPUT_TAIL_BYTES = 4_000;
/** A port picked by freePort() can be taken by someone else before the process binds it: retry that many times. */
const BIND_ATTEMPTS = 3;

export interface Peer {
  readonly url: string;
  stop(): Promise<void>;
}

export interface StartOptions {
  /** How long the process may take to become ready (default 30 s). */
  readonly startTimeoutMs?: number;
}

// ---------------------------------------------------------------------------------------------------------------
// Cleanup registry: everything started here, stopped when the test file ends whatever the test did.

const running = new Set<Peer>();
const runningProcesses = new Set<ChildProcess>();

/** Stops every peer this module started in the current test file that is still running. */
export async function stopAllPeers(): Promise<void> {
  await Promise.all([...running].map((peer) => peer.stop()));
}

function track<T extends Peer>(peer: T): T {
  const stop = peer.stop.bind(peer);
  let stopping: Promise<void> | undefined;
  // Idempotent: a test's own stop() and the afterAll safety net may both call it.
  const tracked = Object.assign(peer, {
    stop: (): Promise<void> => {
      stopping ??= stop().finally(() => running.delete(tracked));
      return stopping;
    },
  });
  running.add(tracked);
  return tracked;
}

// Jest loads this module once per test file (each file has its own module registry), so this hook closes the
// peers of that file only. Outside Jest (a script importing the helpers) `afterAll` does not exist.
if (typeof afterAll === 'function') {
  afterAll(stopAllPeers, STOP_GRACE_MS * 2 + 5_000);
}

// Outside Jest (a script importing the helpers) kill what is left when Node exits normally. Under Jest this never
// fires: a test file's `process` is a copy whose events the real process never emits; the watchdog below covers it.
process.on('exit', () => {
  for (const child of runningProcesses) killGroup(child, 'SIGKILL');
});

function killGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
  try {
    // detached: the child leads its own process group, whose id is its pid; -pid reaches its children too.
    process.kill(-child.pid, signal);
  } catch {
    // ESRCH: the group is already gone.
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Small building blocks.

/** A free TCP port on 127.0.0.1 (free when asked: the caller should bind it soon). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.once('error', reject);
    server.listen({ host: HOST, port: 0, exclusive: true }, () => {
      const address = server.address();
      if (address === null || typeof address === 'string') {
        server.close();
        reject(new Error(`freePort: unexpected address ${String(address)}`));
        return;
      }
      server.close(() => resolve(address.port));
    });
  });
}

export interface HttpResponse {
  readonly status: number;
  readonly headers: http.IncomingHttpHeaders;
  readonly body: string;
}

/**
 * One HTTP request on its own connection (no agent: nothing is kept alive between tests), failing after
 * timeoutMs without an answer.
 */
export function httpRequest(
  url: string,
  options: { method?: string; body?: string; headers?: Record<string, string>; timeoutMs?: number } = {},
): Promise<HttpResponse> {
  const { method = 'GET', body, headers = {}, timeoutMs = 2_000 } = options;
  return new Promise((resolve, reject) => {
    const request = http.request(url, { method, headers, agent: false }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => {
        clearTimeout(timer);
        resolve({ status: response.statusCode ?? 0, headers: response.headers, body: Buffer.concat(chunks).toString('utf8') });
      });
      response.on('error', (error) => {
        clearTimeout(timer);
        reject(error);
      });
    });
    // A whole-request deadline: socket timeouts only measure idleness, and a hanging server is never "idle" enough.
    const timer = setTimeout(() => request.destroy(new Error(`${method} ${url}: no answer within ${timeoutMs} ms`)), timeoutMs);
    request.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    request.end(body);
  });
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Whether `promise` settles within ms; the timer is cleared either way, so no handle outlives the wait. */
async function settlesWithin(promise: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<false>((resolve) => {
    timer = setTimeout(() => resolve(false), ms);
  });
  try {
    return await Promise.race([promise.then(() => true), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Peer processes.

export interface ProcessSpec {
  readonly name: string;
  readonly binary: keyof typeof PEER_BINARIES;
  args(port: number): string[];
  /** A URL path answering 200 once the process is ready. */
  readonly readyPath: string;
  /**
   * Status codes that also mean "ready": a server whose every path needs authentication answers its probe with
   * 401/403 once it listens.
   * @default [200]
   */
  readonly readyStatuses?: readonly number[];
  readonly env?: NodeJS.ProcessEnv;
  readonly cwd?: string;
}

/**
 * Runs the peer ("$@") as a child of a small sh that outlives it only by a moment, so that:
 * - when the Node process that started it dies without stopping it (SIGKILL, crash, a Jest worker killed), the
 *   pipe on stdin reaches EOF and the watcher stops the peer: nothing survives the test run;
 * - on SIGTERM the sh forwards it and waits for the peer, so the wrapper's exit, which stop() awaits, means the
 *   peer has exited and released its port.
 * - the peer's temp dir ($SKYLINE_PEER_DIR, if any) is removed once it has exited, watchdog case included.
 * Background jobs of a non-interactive sh read /dev/null, hence the pipe kept on fd 3 for the watcher.
 */
export const WATCHDOG_SCRIPT = `exec 3<&0
"$@" </dev/null 3<&- &
peer=$!
trap 'kill -TERM "$peer" 2>/dev/null' TERM INT HUP
{ read -r _ <&3; kill -TERM "$peer"; sleep 5; kill -KILL "$peer"; } 2>/dev/null &
while :; do
  wait "$peer"; status=$?
  kill -0 "$peer" 2>/dev/null || break
done
if [ -n "\${SKYLINE_PEER_DIR:-}" ]; then rm -rf "$SKYLINE_PEER_DIR"; fi
exit "$status"`;

export interface PeerProcess extends Peer {
  readonly port: number;
}

/**
 * Starts a peer binary on a free 127.0.0.1 port (retrying a lost race for the port), waits for its readiness
 * probe, and stops it with the test file. For peers this module does not know yet.
 */
export async function startPeerProcess(spec: ProcessSpec, options: StartOptions = {}): Promise<PeerProcess> {
  const peer = await startProcess(spec, options.startTimeoutMs ?? DEFAULT_START_TIMEOUT_MS);
  return track({ url: peer.url, port: peer.port, stop: peer.stop });
}

async function startProcess(spec: ProcessSpec, startTimeoutMs: number): Promise<PeerProcess> {
  const binary = PEER_BINARIES[spec.binary];
  if (!existsSync(binary)) {
    throw new Error(`${spec.name} is not installed at ${binary}: run \`${INSTALL_PEERS_COMMAND}\` (npm test does it first)`);
  }
  let lastError: Error | undefined;
  for (let attempt = 1; attempt <= BIND_ATTEMPTS; attempt++) {
    const port = await freePort();
    try {
      return await startProcessOnPort(spec, binary, port, startTimeoutMs);
    } catch (error) {
      lastError = error as Error;
      // Only a lost race for the port is worth another try; anything else would fail the same way again.
      if (!/address already in use/i.test(lastError.message)) throw lastError;
    }
  }
  throw lastError ?? new Error(`${spec.name}: no attempt made`);
}

async function startProcessOnPort(spec: ProcessSpec, binary: string, port: number, startTimeoutMs: number): Promise<PeerProcess> {
  const child = spawn('/bin/sh', ['-c', WATCHDOG_SCRIPT, spec.name, binary, ...spec.args(port)], {
    cwd: spec.cwd,
    env: { ...process.env, ...spec.env },
    // Own process group, so stop() can kill the wrapper, the peer and whatever the peer spawned at once.
    detached: true,
    // stdin: the watchdog's pipe, held open by this process until it dies.
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  runningProcesses.add(child);
  let tail = '';
  const keep = (chunk: Buffer): void => {
    tail = (tail + chunk.toString('utf8')).slice(-OUTPUT_TAIL_BYTES);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  // Never written: only its closing matters (see WATCHDOG_SCRIPT). An EPIPE once the wrapper is gone is expected.
  child.stdin?.on('error', () => undefined);
  const exited = new Promise<void>((resolve) => {
    child.once('exit', () => {
      runningProcesses.delete(child);
      // The wrapper exits once the peer has; its watcher may still wait on the pipe: end it with the group.
      try {
        if (child.pid !== undefined) process.kill(-child.pid, 'SIGKILL');
      } catch {
        // ESRCH: nothing left in the group.
      }
      child.stdin?.destroy();
      resolve();
    });
  });
  let spawnError: Error | undefined;
  child.once('error', (error) => {
    spawnError = error;
    runningProcesses.delete(child);
  });
  const exitedOrFailed = (): boolean => spawnError !== undefined || child.exitCode !== null || child.signalCode !== null;

  const stop = async (): Promise<void> => {
    if (exitedOrFailed()) return;
    killGroup(child, 'SIGTERM');
    if (!(await settlesWithin(exited, STOP_GRACE_MS))) {
      killGroup(child, 'SIGKILL');
      await settlesWithin(exited, 2_000);
    }
  };

  const url = `http://${HOST}:${port}`;
  const deadline = Date.now() + startTimeoutMs;
  let lastProbe = 'no probe yet';
  while (Date.now() < deadline) {
    if (exitedOrFailed()) {
      await settlesWithin(exited, 200); // let the last of its output arrive
      throw new Error(
        `${spec.name} (${binary}) exited before it was ready (${spawnError?.message ?? `exit code ${child.exitCode}, signal ${child.signalCode}`}); ` +
          `if it is broken or missing, run \`${INSTALL_PEERS_COMMAND}\`. Output tail:\n${tail}`,
      );
    }
    try {
      const response = await httpRequest(url + spec.readyPath, { timeoutMs: 1_000 });
      if ((spec.readyStatuses ?? [200]).includes(response.status)) return { url, port, stop };
      lastProbe = `HTTP ${response.status}`;
    } catch (error) {
      lastProbe = (error as Error).message;
    }
    await sleep(100);
  }
  await stop();
  throw new Error(
    `${spec.name} (${binary}) did not answer GET ${spec.readyPath} with 200 within ${startTimeoutMs} ms (last: ${lastProbe}). Output tail:\n${tail}`,
  );
}

/** moto in server mode on a free 127.0.0.1 port; AWS SDK v3 clients reach it with endpoint = url, region us-east-1, any static test credentials. */
export async function startMoto(options: StartOptions = {}): Promise<Peer> {
  const peer = await startProcess(
    {
      name: 'moto',
      binary: 'moto',
      args: (port) => ['--host', HOST, '--port', String(port)],
      readyPath: '/moto-api/',
      // Unbuffered, so the output tail in an error message is complete.
      env: { PYTHONUNBUFFERED: '1' },
    },
    options.startTimeoutMs ?? DEFAULT_START_TIMEOUT_MS,
  );
  return track({ url: peer.url, stop: peer.stop });
}

/**
 * fake-gcs-server on a free 127.0.0.1 port, in-memory. The official client reaches it with
 * STORAGE_EMULATOR_HOST=<url> (or `apiEndpoint: url`) and any project ID.
 */
export async function startFakeGcs(options: StartOptions = {}): Promise<PeerProcess> {
  return startPeerProcess(
    {
      name: 'fake-gcs-server',
      binary: 'fakeGcs',
      args: (port) => [
        '-scheme', 'http',
        '-host', HOST,
        '-port', String(port),
        '-backend', 'memory',
        // Resumable-upload and media URLs it hands out must point back at this port.
        '-external-url', `http://${HOST}:${port}`,
        '-public-host', `${HOST}:${port}`,
        '-log-level', 'warn',
      ],
      readyPath: '/storage/v1/b',
    },
    options,
  );
}

/** Azurite's well-known development account (public, documented by Microsoft; not a secret). */
export const AZURITE_ACCOUNT = {
  name: 'devstoreaccount1',
  key: 'Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==',
} as const;

export interface AzuritePeer extends Peer {
  /** The Blob service URL, `<url>/devstoreaccount1`: the account URL the SDK's BlobServiceClient takes. */
  readonly blobAccountUrl: string;
  /** The Queue service's account URL, when started with `queue: true`. */
  readonly queueAccountUrl?: string;
  /** A connection string naming both endpoints, as the SDKs' fromConnectionString take it. */
  readonly connectionString: string;
}

/** Azurite's Blob service (and its Queue service with `queue: true`) on free 127.0.0.1 ports, in-memory. */
export async function startAzurite(options: StartOptions & { readonly queue?: boolean } = {}): Promise<AzuritePeer> {
  const common = ['--inMemoryPersistence', '--skipApiVersionCheck', '--disableProductStyleUrl', '--silent'];
  // Unauthenticated requests are refused with 403 once the service listens: that is its readiness.
  const blob = await startPeerProcess(
    {
      name: 'azurite-blob',
      binary: 'azuriteBlob',
      args: (port) => ['--blobHost', HOST, '--blobPort', String(port), ...common],
      readyPath: `/${AZURITE_ACCOUNT.name}?comp=list`,
      readyStatuses: [200, 403],
    },
    options,
  );
  let queue: PeerProcess | undefined;
  try {
    if (options.queue) {
      queue = await startPeerProcess(
        {
          name: 'azurite-queue',
          binary: 'azuriteQueue',
          args: (port) => ['--queueHost', HOST, '--queuePort', String(port), ...common],
          readyPath: `/${AZURITE_ACCOUNT.name}?comp=list`,
          readyStatuses: [200, 403],
        },
        options,
      );
    }
  } catch (error) {
    await blob.stop();
    throw error;
  }
  const blobAccountUrl = `${blob.url}/${AZURITE_ACCOUNT.name}`;
  const queueAccountUrl = queue ? `${queue.url}/${AZURITE_ACCOUNT.name}` : undefined;
  const connectionString =
    `DefaultEndpointsProtocol=http;AccountName=${AZURITE_ACCOUNT.name};AccountKey=${AZURITE_ACCOUNT.key};BlobEndpoint=${blobAccountUrl};` +
    (queueAccountUrl ? `QueueEndpoint=${queueAccountUrl};` : '');
  return track({
    url: blob.url,
    blobAccountUrl,
    queueAccountUrl,
    connectionString,
    stop: async () => {
      await Promise.all([blob.stop(), queue?.stop()]);
    },
  });
}

export interface ReceivedAlert {
  readonly labels: Record<string, string>;
  readonly annotations: Record<string, string>;
  readonly status: { readonly state: string };
  readonly startsAt: string;
  readonly endsAt: string;
}

export interface AlertmanagerPeer extends Peer {
  /** The alerts Alertmanager holds now (GET /api/v2/alerts: active, silenced and inhibited). */
  alerts(): Promise<ReceivedAlert[]>;
}

/**
 * One receiver that sends nowhere, and short group timings so that a test sees grouped alerts within a second or
 * two (GET /api/v2/alerts lists a posted alert at once regardless).
 */
export const MINIMAL_ALERTMANAGER_CONFIG = `route:
  receiver: 'null'
  group_by: ['alertname']
  group_wait: 100ms
  group_interval: 1s
  repeat_interval: 1h
receivers:
  - name: 'null'
`;

/** The real Alertmanager on a free port with a minimal config (or `configYaml`), its own temp storage dir. */
export async function startAlertmanager(options: StartOptions & { configYaml?: string } = {}): Promise<AlertmanagerPeer> {
  const dir = mkdtempSync(join(tmpdir(), 'skyline-alertmanager-'));
  const configFile = join(dir, 'alertmanager.yml');
  writeFileSync(configFile, options.configYaml ?? MINIMAL_ALERTMANAGER_CONFIG);
  let peer: PeerProcess;
  try {
    peer = await startProcess(
      {
        name: 'alertmanager',
        binary: 'alertmanager',
        args: (port) => [
          `--config.file=${configFile}`,
          `--storage.path=${join(dir, 'data')}`,
          `--web.listen-address=${HOST}:${port}`,
          // No HA gossip: it would bind 0.0.0.0:9094 (shared by every instance) and wait for peers to settle.
          '--cluster.listen-address=',
          '--log.level=warn',
        ],
        readyPath: '/-/ready',
        cwd: dir,
        env: { SKYLINE_PEER_DIR: dir },
      },
      options.startTimeoutMs ?? DEFAULT_START_TIMEOUT_MS,
    );
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
  const url = peer.url;
  return track({
    url,
    stop: async () => {
      await peer.stop();
      rmSync(dir, { recursive: true, force: true });
    },
    alerts: async () => {
      const response = await httpRequest(`${url}/api/v2/alerts`, { timeoutMs: 5_000 });
      if (response.status !== 200) throw new Error(`GET ${url}/api/v2/alerts: HTTP ${response.status}: ${response.body}`);
      return parseAlerts(JSON.parse(response.body) as unknown);
    },
  });
}

function parseAlerts(json: unknown): ReceivedAlert[] {
  if (!Array.isArray(json)) throw new Error(`Alertmanager alerts: expected an array, got ${JSON.stringify(json)}`);
  return json.map((item: unknown) => {
    const alert = item as Partial<Record<keyof ReceivedAlert, unknown>>;
    const status = alert.status as { state?: unknown } | undefined;
    if (
      typeof alert.labels !== 'object' ||
      typeof alert.annotations !== 'object' ||
      typeof status?.state !== 'string' ||
      typeof alert.startsAt !== 'string' ||
      typeof alert.endsAt !== 'string'
    ) {
      throw new Error(`Alertmanager alerts: unexpected alert ${JSON.stringify(item)}`);
    }
    // The whole object is kept (fingerprint, receivers, ... too); the interface names what tests may rely on.
    return item as ReceivedAlert;
  });
}

// ---------------------------------------------------------------------------------------------------------------
// Regional endpoint: a stand-in for a region's load balancer health check.

/**
 * How GET /health answers: `healthy` 200, `failing` 503, `hanging` never (the request stays open until the
 * endpoint closes), `flap`: counting the health requests from 0 since setMode, request n fails (503) when
 * `n % outOf < failEvery`, else 200; e.g. {failEvery: 1, outOf: 3}: fail, ok, ok, fail, ok, ok...
 */
export type EndpointMode = 'healthy' | 'failing' | 'hanging' | { readonly flap: { readonly failEvery: number; readonly outOf: number } };

export interface RegionalEndpoint extends Peer {
  readonly port: number;
  setMode(mode: EndpointMode): void;
  /** The health requests received (GET or HEAD /health, whatever the answer, hanging ones too) since start. */
  readonly requests: number;
  /** Closes the listening socket and every open connection, so TCP connects are refused (ECONNREFUSED). */
  close(): Promise<void>;
  /** Listens again on the same port, in the mode it had. */
  reopen(): Promise<void>;
}

function checkMode(mode: EndpointMode): EndpointMode {
  if (typeof mode === 'object') {
    const { failEvery, outOf } = mode.flap;
    if (!Number.isInteger(failEvery) || !Number.isInteger(outOf) || outOf < 1 || failEvery < 0 || failEvery > outOf) {
      throw new Error(`flap: need integers 0 <= failEvery <= outOf, outOf >= 1; got ${JSON.stringify(mode.flap)}`);
    }
  }
  return mode;
}

function listen(server: net.Server, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const onError = (error: Error): void => reject(error);
    server.once('error', onError);
    server.listen({ host: HOST, port, exclusive: true }, () => {
      server.removeListener('error', onError);
      resolve();
    });
  });
}

/** Closes the listening socket and destroys every connection: server.close() alone waits for keep-alive clients. */
function closeServer(server: net.Server, sockets: Set<net.Socket>): Promise<void> {
  return new Promise((resolve) => {
    if (!server.listening) {
      resolve();
      return;
    }
    server.close(() => resolve());
    for (const socket of sockets) socket.destroy();
    sockets.clear();
  });
}

/** Tracks a server's open sockets, for closeServer(). */
function trackSockets(server: net.Server): Set<net.Socket> {
  const sockets = new Set<net.Socket>();
  server.on('connection', (socket: net.Socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });
  return sockets;
}

/** A controllable HTTPS-less HTTP endpoint standing in for a regional load balancer: GET /health answers per mode. */
export async function startRegionalEndpoint(mode: EndpointMode = 'healthy'): Promise<RegionalEndpoint> {
  let current = checkMode(mode);
  let sinceModeSet = 0;
  let requests = 0;
  let stopped = false;
  const server = http.createServer((request, response) => {
    const path = (request.url ?? '/').split('?')[0];
    if (path !== '/health' || (request.method !== 'GET' && request.method !== 'HEAD')) {
      response.writeHead(404, { 'content-type': 'text/plain' }).end('not found\n');
      return;
    }
    requests++;
    const n = sinceModeSet++;
    if (current === 'hanging') return; // never answered; closeServer() destroys the socket
    const fail = current === 'failing' || (typeof current === 'object' && n % current.flap.outOf < current.flap.failEvery);
    const body = JSON.stringify({ status: fail ? 'failing' : 'ok' }) + '\n';
    response.writeHead(fail ? 503 : 200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
    response.end(request.method === 'HEAD' ? undefined : body);
  });
  const sockets = trackSockets(server);
  const port = await freePort();
  await listen(server, port);

  const close = (): Promise<void> => closeServer(server, sockets);
  const endpoint: RegionalEndpoint = {
    url: `http://${HOST}:${port}`,
    port,
    get requests() {
      return requests;
    },
    setMode(next: EndpointMode) {
      current = checkMode(next);
      sinceModeSet = 0;
    },
    close,
    async reopen() {
      if (stopped) throw new Error('reopen: the endpoint was stopped');
      if (server.listening) return;
      // Someone may have bound the port since close(); a short, bounded retry outlasts a passing freePort() probe.
      for (let attempt = 1; ; attempt++) {
        try {
          await listen(server, port);
          return;
        } catch (error) {
          if (attempt >= 20 || (error as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw error;
          await sleep(50);
        }
      }
    },
    async stop() {
      stopped = true;
      await close();
    },
  };
  return track(endpoint);
}

// ---------------------------------------------------------------------------------------------------------------
// Fault proxy.

export interface InjectedResponse {
  readonly status: number;
  readonly body: string;
  /** Default `text/xml`, what AWS query and REST-XML APIs such as Route53 answer errors with. */
  readonly contentType?: string;
  /** More headers, or replacements (e.g. the `content-length` and `x-ms-meta-*` of a HEAD answer). */
  readonly headers?: Readonly<Record<string, string>>;
}

export interface FaultProxy extends Peer {
  /**
   * on: open connections are reset, and then, with `how` = 'reset' (default), new connections are accepted and
   * reset at once (the client sees ECONNRESET / "socket hang up" immediately); with 'blackhole', requests are
   * accepted and never answered, like packets lost on the way (the client needs its own timeout).
   * off: connections are forwarded again (blackholed ones are dropped then).
   */
  partition(on: boolean, how?: 'reset' | 'blackhole'): void;
  /**
   * The next `count` HTTP requests are answered with `response` instead of being forwarded (whatever the status:
   * a 200 such as route53GetChange(id, 'PENDING') works too). A new call replaces what is left of the previous.
   * With `matches`, only the requests it accepts are answered (and counted); the others are forwarded, e.g.
   * `(method) => method === 'PUT'` throttles a store's uploads and lets its listings through.
   */
  injectErrors(count: number, response: InjectedResponse, matches?: (method: string, path: string) => boolean): void;
  /** HTTP requests forwarded to the target so far. */
  readonly forwarded: number;
  /** HTTP requests answered with an injected error so far. */
  readonly injected: number;
}

/** The error body Route53 answers with, e.g. route53Error('Throttling', 'Rate exceeded') or 'PriorRequestNotComplete'. */
export function route53Error(code: string, message = code, status = 400): InjectedResponse {
  const body =
    '<?xml version="1.0"?>\n' +
    '<ErrorResponse xmlns="https://route53.amazonaws.com/doc/2013-04-01/">' +
    `<Error><Type>Sender</Type><Code>${code}</Code><Message>${message}</Message></Error>` +
    '<RequestId>00000000-0000-0000-0000-000000000000</RequestId></ErrorResponse>';
  return { status, body, contentType: 'text/xml' };
}

/**
 * A GetChange answer with the given status, for injectErrors(): moto answers INSYNC at once, so this is how a test
 * makes a change look PENDING for the next N polls, as real Route53 does for up to a minute.
 */
export function route53GetChange(changeId: string, status: 'PENDING' | 'INSYNC'): InjectedResponse {
  const body =
    '<?xml version="1.0" encoding="UTF-8"?>\n' +
    '<GetChangeResponse xmlns="https://route53.amazonaws.com/doc/2013-04-01/">' +
    `<ChangeInfo><Id>${changeId}</Id><Status>${status}</Status><SubmittedAt>${new Date().toISOString()}</SubmittedAt></ChangeInfo>` +
    '</GetChangeResponse>';
  return { status: 200, body, contentType: 'text/xml' };
}

/**
 * A proxy in front of an HTTP peer (`target`, e.g. moto's url) that the test can make drop connections
 * (partition) or answer with injected HTTP errors for the next N requests. Partitions act on TCP connections;
 * errors are injected per HTTP request (a keep-alive connection carries many), which is why it parses HTTP rather
 * than splicing bytes. Requests are forwarded with their Host header unchanged; when the target is unreachable the
 * client's connection is destroyed, as a plain TCP relay would do.
 */
export async function startFaultProxy(target: string): Promise<FaultProxy> {
  const targetUrl = new URL(target);
  if (targetUrl.protocol !== 'http:') throw new Error(`startFaultProxy: only http targets, got ${target}`);
  const upstreamAgent = new http.Agent({ keepAlive: true });
  let partitioned: false | 'reset' | 'blackhole' = false;
  let errorsLeft = 0;
  let errorResponse: InjectedResponse | undefined;
  let injectMatches: (method: string, path: string) => boolean = () => true;
  let forwarded = 0;
  let injected = 0;
  const blackholed = new Set<net.Socket>();

  const server = http.createServer((request, response) => {
    if (partitioned === 'blackhole') {
      // Never answered. (Pausing the socket at connect would not do: the http parser reads the handle directly.)
      blackholed.add(request.socket);
      request.socket.once('close', () => blackholed.delete(request.socket));
      return;
    }
    if (errorsLeft > 0 && errorResponse !== undefined && injectMatches(request.method ?? 'GET', request.url ?? '/')) {
      errorsLeft--;
      injected++;
      const { status, body, contentType = 'text/xml', headers = {} } = errorResponse;
      // Read the request body to its end first, so the connection stays usable for the client's retry.
      request.resume();
      request.once('end', () => {
        response.writeHead(status, { 'content-type': contentType, 'content-length': Buffer.byteLength(body), ...headers }).end(request.method === 'HEAD' ? undefined : body);
      });
      return;
    }
    forwarded++;
    const upstream = http.request(
      {
        host: targetUrl.hostname,
        port: targetUrl.port,
        method: request.method,
        path: request.url,
        headers: request.headers,
        agent: upstreamAgent,
      },
      (upstreamResponse) => {
        response.writeHead(upstreamResponse.statusCode ?? 502, upstreamResponse.rawHeaders);
        upstreamResponse.pipe(response);
      },
    );
    // Target down or reset: the client loses its connection, as it would through a TCP relay.
    upstream.on('error', () => request.socket.destroy());
    response.on('close', () => {
      if (!response.writableFinished) upstream.destroy();
    });
    request.pipe(upstream);
  });
  const sockets = trackSockets(server);
  server.on('connection', (socket: net.Socket) => {
    if (partitioned === 'reset') socket.resetAndDestroy();
  });
  const port = await freePort();
  await listen(server, port);

  const proxy: FaultProxy = {
    url: `http://${HOST}:${port}`,
    partition(on: boolean, how: 'reset' | 'blackhole' = 'reset') {
      if (on) {
        partitioned = how;
        // Open connections are cut in either mode: keep-alive pools would otherwise carry on as if nothing happened.
        for (const socket of sockets) if (!blackholed.has(socket)) socket.resetAndDestroy();
        upstreamAgent.destroy();
      } else {
        partitioned = false;
        for (const socket of blackholed) socket.destroy();
        blackholed.clear();
      }
    },
    injectErrors(count: number, response: InjectedResponse, matches?: (method: string, path: string) => boolean) {
      if (!Number.isInteger(count) || count < 0) throw new Error(`injectErrors: count must be an integer >= 0, got ${count}`);
      errorsLeft = count;
      errorResponse = response;
      injectMatches = matches ?? (() => true);
    },
    get forwarded() {
      return forwarded;
    },
    get injected() {
      return injected;
    },
    async stop() {
      await closeServer(server, sockets);
      upstreamAgent.destroy();
    },
  };
  return track(proxy);
}
