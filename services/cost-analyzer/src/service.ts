/**
 * The analyzer as a service (`npm run cost -- --config PATH`): reads every source now and every
 * refreshIntervalSeconds, keeps the latest report, serves it on `GET /report` and as metrics. A source that
 * fails to read keeps its last complete figures (reported `stale`) rather than dropping out of the totals.
 */
import { systemClock, type Clock } from '../../common/src/clock';
import { startServiceServer, type ServiceServer } from '../../common/src/http-server';
import type { Logger } from '../../common/src/logger';
import { createMetricsRegistry } from '../../common/src/metrics';
import type { RetryPolicy } from '../../common/src/retry';
import { isComplete, mergeLedgers, readSources, readWindow, sourceStatus } from './analysis';
import type { CostAnalyzerConfig } from './config';
import { BAD_ROW_REASONS } from './focus/normalize';
import { DEFAULT_SERVICE_CATEGORIES, type ServiceCategoryMap } from './focus/service-categories';
import { formatTimestamp } from './focus/values';
import { CostMetrics } from './metrics';
import type { SourceReading } from './read-source';
import { buildReport, type CostReport, type SourceStatus } from './report';
import type { BillingSource } from './sources/billing-source';
import { createBillingSource } from './sources/factory';

export interface CostAnalyzerServiceOptions {
  readonly logger: Logger;
  /** @default systemClock */
  readonly clock?: Clock;
  /** @default one per configured source, from the factory */
  readonly sources?: readonly BillingSource[];
  /** @default data/service-categories.json */
  readonly categories?: ServiceCategoryMap;
  readonly retry?: RetryPolicy;
}

export class CostAnalyzerService {
  private readonly clock: Clock;
  private readonly sources: readonly BillingSource[];
  private readonly categories: ServiceCategoryMap;
  private readonly metrics: CostMetrics;
  private readonly stopping = new AbortController();
  /** The last complete reading of each source, and when it was read. */
  private readonly lastComplete = new Map<string, { reading: SourceReading; readAtMs: number }>();
  private server?: ServiceServer;
  private loop?: Promise<void>;
  private latest?: CostReport;

  constructor(
    private readonly config: CostAnalyzerConfig,
    private readonly options: CostAnalyzerServiceOptions,
  ) {
    this.clock = options.clock ?? systemClock;
    this.sources = options.sources ?? config.sources.map((source) => createBillingSource(source, { azureAccountKey: config.azureAccountKey }));
    this.categories = options.categories ?? DEFAULT_SERVICE_CATEGORIES;
    this.metrics = new CostMetrics(createMetricsRegistry({ service: 'cost-analyzer' }));
  }

  /** The base URL of the HTTP port, once started. */
  get url(): string | undefined {
    return this.server?.url;
  }

  get report(): CostReport | undefined {
    return this.latest;
  }

  async start(): Promise<void> {
    this.server = await startServiceServer({
      host: this.config.server.host,
      port: this.config.server.port,
      registry: this.metrics.registry,
      ready: () => this.latest !== undefined && !this.stopping.signal.aborted,
      routes: { '/report': () => (this.latest ? { status: 200, body: this.latest } : { status: 503, body: { error: 'no report yet: the first read of the sources is in progress' } }) },
    });
    this.options.logger.info({ url: this.server.url, sources: this.sources.map((source) => source.description) }, 'cost analyzer started');
    this.loop = this.run();
  }

  /** Stops the refresh loop (an in-flight read ends at its next part), then the HTTP port. */
  async stop(): Promise<void> {
    this.stopping.abort();
    await this.loop;
    await this.server?.close();
  }

  /** Reads every source and computes the report of the current month. */
  async refresh(): Promise<CostReport> {
    const nowMs = this.clock.now();
    const month = formatTimestamp(nowMs).slice(0, 7);
    const readings = await readSources(this.sources, readWindow(this.config, month), { categories: this.categories, logger: this.options.logger, clock: this.clock, signal: this.stopping.signal, retry: this.options.retry });
    const used: SourceReading[] = [];
    const statuses: SourceStatus[] = [];
    for (const reading of readings) {
      this.countRead(reading);
      const previous = this.lastComplete.get(reading.source);
      if (isComplete(reading)) {
        this.lastComplete.set(reading.source, { reading, readAtMs: nowMs });
        used.push(reading);
        statuses.push(sourceStatus(reading, nowMs));
      } else if (previous) {
        used.push(previous.reading);
        statuses.push({ ...sourceStatus(reading, previous.readAtMs, true), error: reading.error ?? `${reading.partsFailed.length} part(s) failed; figures from the last complete read` });
      } else {
        used.push(reading);
        statuses.push(sourceStatus(reading, nowMs));
      }
      this.metrics.sourceUp.set({ source: reading.source }, isComplete(reading) ? 1 : 0);
    }
    const report = buildReport(mergeLedgers(used), { month, asOfMs: nowMs, forecast: this.config.forecast, budgets: this.config.budgets, historyMonths: this.config.historyMonths, sources: statuses });
    this.metrics.applyReport(report, this.config.budgets, nowMs);
    this.latest = report;
    this.options.logger.info({ month, rows: report.rowsRead, badRows: report.badRows.rows, unmappedRows: report.unmapped.rows, sources: statuses.map((status) => `${status.name}:${status.status}`) }, 'report refreshed');
    return report;
  }

  private countRead(reading: SourceReading): void {
    // Zero increments create the series, so an alert on increase() sees them before the first bad row.
    this.metrics.unmappedRows.inc({ provider: reading.provider }, 0);
    for (const reason of BAD_ROW_REASONS) this.metrics.badRows.inc({ provider: reading.provider, reason }, 0);
    this.metrics.rowsRead.inc({ source: reading.source }, reading.ledger.rows);
    for (const { provider, reason, rows } of reading.ledger.badRowCounts()) this.metrics.badRows.inc({ provider, reason }, rows);
    for (const { provider, rows } of reading.ledger.unmappedServices()) this.metrics.unmappedRows.inc({ provider }, rows);
  }

  private async run(): Promise<void> {
    while (!this.stopping.signal.aborted) {
      try {
        await this.refresh();
      } catch (error) {
        this.options.logger.error({ err: error }, 'refresh failed; the previous report stays');
      }
      await this.clock.sleep(this.config.refreshIntervalSeconds * 1000, this.stopping.signal);
    }
  }
}
