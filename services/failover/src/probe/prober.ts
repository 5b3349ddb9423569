/**
 * The Prober port and its network adapter: a TCP connect to the region's load balancer, then an HTTP(S)
 * `GET <healthPath>` with the region's host name as SNI and Host header (2xx = ready), each with its own
 * timeout. Both must pass: the TCP check tells "the address is gone" from "the servers behind it are not
 * ready", which the evidence in logs and alerts shows.
 */
import * as http from 'node:http';
import * as https from 'node:https';
import * as net from 'node:net';

export interface ProbeTarget {
  readonly name: string;
  readonly address: string;
  readonly port: number;
  readonly scheme: 'http' | 'https';
  /** SNI and Host header. */
  readonly hostname: string;
  readonly healthPath: string;
}

export interface ProbeResult {
  readonly ok: boolean;
  /** Why it failed, e.g. `tcp: connect ECONNREFUSED`, `http: 503`, `http: no answer within 3000 ms`. */
  readonly error?: string;
  readonly durationMs: number;
}

export interface Prober {
  probe(target: ProbeTarget): Promise<ProbeResult>;
}

export interface NetworkProberOptions {
  readonly tcpTimeoutMs: number;
  readonly httpTimeoutMs: number;
}

export class NetworkProber implements Prober {
  constructor(private readonly options: NetworkProberOptions) {}

  async probe(target: ProbeTarget): Promise<ProbeResult> {
    const started = performance.now();
    const result = (error?: string): ProbeResult => ({ ok: error === undefined, durationMs: performance.now() - started, ...(error === undefined ? {} : { error }) });
    try {
      await tcpConnect(target.address, target.port, this.options.tcpTimeoutMs);
    } catch (error) {
      return result(`tcp: ${(error as Error).message}`);
    }
    try {
      const status = await httpStatus(target, this.options.httpTimeoutMs);
      return result(status >= 200 && status < 300 ? undefined : `http: ${status}`);
    } catch (error) {
      return result(`http: ${(error as Error).message}`);
    }
  }
}

function tcpConnect(host: string, port: number, timeoutMs: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const socket = net.connect({ host, port });
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`connect: no answer within ${timeoutMs} ms`));
    }, timeoutMs);
    socket.once('connect', () => {
      clearTimeout(timer);
      socket.end();
      resolve();
    });
    socket.once('error', (error: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      socket.destroy();
      reject(new Error(`connect ${error.code ?? error.message}`));
    });
  });
}

/** The status of one GET on a fresh connection (no keep-alive: each probe must see the path as a new client does). */
function httpStatus(target: ProbeTarget, timeoutMs: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const options: https.RequestOptions = {
      host: target.address,
      port: target.port,
      path: target.healthPath,
      method: 'GET',
      headers: { host: target.hostname, 'user-agent': 'skyline-failover' },
      agent: false,
      // Certificates are checked against the region's public name, whatever address is dialled.
      servername: net.isIP(target.hostname) ? undefined : target.hostname,
    };
    const request = (target.scheme === 'https' ? https : http).request(options, (response) => {
      clearTimeout(timer);
      response.resume();
      resolve(response.statusCode ?? 0);
    });
    // A whole-request deadline: a server that accepts and never answers keeps the socket busy, not idle.
    const timer = setTimeout(() => request.destroy(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
    request.once('error', (error: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      reject(new Error(error.code && !error.message.includes(error.code) ? `${error.code} ${error.message}` : error.message));
    });
    request.end();
  });
}
