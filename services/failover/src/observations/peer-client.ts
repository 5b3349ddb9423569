/** Reads a peer controller's observations: `GET <url>/observations`, bounded by a timeout. */
import type { ObserverReport } from '../domain';
import { fromWire } from './wire';

export interface PeerClientOptions {
  readonly timeoutMs: number;
  /** Sent as a bearer token when the peers share one. */
  readonly token?: string;
}

export class PeerClient {
  constructor(private readonly options: PeerClientOptions) {}

  async fetchReport(baseUrl: string, now: () => number): Promise<ObserverReport> {
    const response = await fetch(`${baseUrl}/observations`, {
      headers: { accept: 'application/json', ...(this.options.token ? { authorization: `Bearer ${this.options.token}` } : {}) },
      signal: AbortSignal.timeout(this.options.timeoutMs),
    });
    if (!response.ok) throw new Error(`GET ${baseUrl}/observations: HTTP ${response.status}`);
    const body: unknown = await response.json();
    return fromWire(body, now());
  }
}
