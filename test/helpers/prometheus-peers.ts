/**
 * The real Prometheus (Debian's 2.42.0) as a test peer, and promtool and amtool as checkers. Built on
 * peers.ts: each server runs on a free 127.0.0.1 port in its own temp directory, which is removed when it
 * stops, and no process outlives its test file.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { httpRequest, INSTALL_PEERS_COMMAND, PEER_BINARIES, startPeerProcess, type Peer, type StartOptions } from './peers';

/** amtool ships with Debian's prometheus-alertmanager. */
export const AMTOOL = '/usr/bin/amtool';

export interface Sample {
  readonly metric: Record<string, string>;
  readonly value: number;
}

export interface PrometheusPeer extends Peer {
  readonly port: number;
  /** An instant query (GET /api/v1/query) at the server's now; throws on a query error. */
  query(expr: string): Promise<Sample[]>;
}

export interface PrometheusOptions extends StartOptions {
  /** prometheus.yml; paths in it (rule files, password files) are relative to its directory. */
  readonly configYaml: string;
  /** Other files to write next to the config, by name. */
  readonly files?: Readonly<Record<string, string>>;
  /** Names the process in errors. @default 'prometheus' */
  readonly name?: string;
}

/** A Prometheus server with `configYaml`, its TSDB in a temp directory, listening on 127.0.0.1 only. */
export async function startPrometheus(options: PrometheusOptions): Promise<PrometheusPeer> {
  const dir = mkdtempSync(join(tmpdir(), 'skyline-prometheus-'));
  writeFileSync(join(dir, 'prometheus.yml'), options.configYaml);
  for (const [name, content] of Object.entries(options.files ?? {})) writeFileSync(join(dir, name), content);
  let peer;
  try {
    peer = await startPeerProcess(
      {
        name: options.name ?? 'prometheus',
        binary: 'prometheus',
        args: (port) => [
          `--config.file=${join(dir, 'prometheus.yml')}`,
          `--storage.tsdb.path=${join(dir, 'data')}`,
          `--web.listen-address=127.0.0.1:${port}`,
          '--log.level=warn',
        ],
        readyPath: '/-/ready',
        cwd: dir,
        env: { SKYLINE_PEER_DIR: dir },
      },
      options,
    );
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
  const { url, port } = peer;
  return {
    url,
    port,
    stop: peer.stop,
    query: async (expr: string) => {
      const response = await httpRequest(`${url}/api/v1/query?query=${encodeURIComponent(expr)}`, { timeoutMs: 5_000 });
      const body = JSON.parse(response.body) as { status: string; error?: string; data?: { resultType: string; result: { metric: Record<string, string>; value: [number, string] }[] } };
      if (body.status !== 'success' || body.data?.resultType !== 'vector') throw new Error(`query ${expr}: ${body.error ?? response.body}`);
      return body.data.result.map((sample) => ({ metric: sample.metric, value: Number(sample.value[1]) }));
    },
  };
}

export interface ToolRun {
  readonly status: number | null;
  /** stdout and stderr together, as the tool prints them. */
  readonly output: string;
}

function runTool(binary: string, args: readonly string[], cwd?: string): ToolRun {
  if (!existsSync(binary)) throw new Error(`${binary} is not installed: run \`${INSTALL_PEERS_COMMAND}\` (npm test does it first)`);
  const result = spawnSync(binary, [...args], { encoding: 'utf8', cwd });
  if (result.error) throw result.error;
  return { status: result.status, output: `${result.stdout}${result.stderr}` };
}

/** promtool (same package as the server) with `args`, e.g. `['check', 'rules', file]`. */
export function promtool(args: readonly string[], cwd?: string): ToolRun {
  return runTool(PEER_BINARIES.promtool, args, cwd);
}

/** amtool with `args`, e.g. `['check-config', file]`. */
export function amtool(args: readonly string[]): ToolRun {
  return runTool(AMTOOL, args);
}

/** One notification Alertmanager posted to a webhook receiver (its webhook JSON, version 4). */
export interface Notification {
  /** The path posted to: one receiver server stands in for several receivers, one path each. */
  readonly path: string;
  readonly authorization: string | undefined;
  readonly status: 'firing' | 'resolved';
  readonly alerts: readonly { readonly status: string; readonly labels: Record<string, string>; readonly annotations: Record<string, string> }[];
}

export interface WebhookReceiver extends Peer {
  readonly notifications: readonly Notification[];
  /** Resolves with the first notification matching `predicate` (already received or to come); rejects after timeoutMs. */
  waitFor(predicate: (notification: Notification) => boolean, timeoutMs: number): Promise<Notification>;
}

/** An HTTP server on 127.0.0.1 that records every webhook notification Alertmanager posts, on any path. */
export async function startWebhookReceiver(): Promise<WebhookReceiver> {
  const notifications: Notification[] = [];
  const waiters = new Set<() => void>();
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as Pick<Notification, 'status' | 'alerts'>;
      notifications.push({ path: request.url ?? '/', authorization: request.headers.authorization, status: body.status, alerts: body.alerts });
      for (const wake of waiters) wake();
      response.writeHead(200).end();
    });
  });
  await new Promise<void>((resolve) => server.listen({ host: '127.0.0.1', port: 0 }, resolve));
  const { port } = server.address() as AddressInfo;
  const receiver: WebhookReceiver = {
    url: `http://127.0.0.1:${port}`,
    notifications,
    waitFor: (predicate, timeoutMs) =>
      new Promise((resolve, reject) => {
        const check = (): boolean => {
          const found = notifications.find(predicate);
          if (found === undefined) return false;
          clearTimeout(timer);
          waiters.delete(wake);
          resolve(found);
          return true;
        };
        const wake = (): void => {
          check();
        };
        const timer = setTimeout(() => {
          waiters.delete(wake);
          reject(new Error(`no matching notification within ${timeoutMs} ms; received: ${JSON.stringify(notifications)}`));
        }, timeoutMs);
        if (!check()) waiters.add(wake);
      }),
    stop: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
  return receiver;
}
