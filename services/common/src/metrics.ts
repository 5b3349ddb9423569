/**
 * One Prometheus registry per service instance, never prom-client's global one: two instances in one process
 * (the scenario tests run three controllers) would otherwise share, and corrupt, each other's series.
 */
import { collectDefaultMetrics, Registry } from 'prom-client';

export interface RegistryOptions {
  /** The `service` label on every series. */
  readonly service: string;
  /** Process metrics (CPU, memory, event loop lag, GC). @default true */
  readonly processMetrics?: boolean;
}

export function createMetricsRegistry(options: RegistryOptions): Registry {
  const registry = new Registry();
  registry.setDefaultLabels({ service: options.service });
  if (options.processMetrics ?? true) collectDefaultMetrics({ register: registry });
  return registry;
}
