/**
 * Reads one billing source into a ledger: every part (file, blob, query) through its format's mapper and the
 * normalizer, each bad row counted with its location. A part counts only when read to its end: it is summed in
 * a ledger of its own, merged when complete. A part that vanished since the listing is skipped and reported; one
 * that fails with a transient error is read again from its start (retry with backoff), then reported as failed.
 */
import { retry, type RetryPolicy } from '../../common/src/retry';
import type { Clock } from '../../common/src/clock';
import type { Logger } from '../../common/src/logger';
import { CostLedger } from './cost-ledger';
import { compileMapper, detectFormat, FORMAT_SIGNATURES, type RowMapper } from './formats/format-mapper';
import { RowNormalizer, type NormalizedRow } from './focus/normalize';
import type { ServiceCategoryMap } from './focus/service-categories';
import { PartGoneError, type BillingPart, type BillingSource, type ReadWindow } from './sources/billing-source';

export interface ReadSourceOptions {
  readonly window: ReadWindow;
  readonly categories: ServiceCategoryMap;
  readonly retry: RetryPolicy;
  /**
   * Called with every good row inside the window, as it is read (the report command writes them as FOCUS CSV).
   * With it, a failed part is not retried: its rows may already have been handed out.
   */
  readonly onRow?: (row: NormalizedRow) => Promise<void> | undefined;
  readonly logger?: Logger;
  readonly clock?: Clock;
  readonly signal?: AbortSignal;
}

export interface PartFailure {
  readonly location: string;
  readonly error: string;
}

export interface SourceReading {
  readonly source: string;
  readonly provider: string;
  readonly description: string;
  readonly ledger: CostLedger;
  readonly partsRead: number;
  /** Parts that disappeared between listing and reading. */
  readonly partsGone: readonly string[];
  /** Parts that could not be read; their rows are not in the ledger. */
  readonly partsFailed: readonly PartFailure[];
  /** Set when the source could not even be listed: the ledger is empty. */
  readonly error?: string;
}

/** A mistake in the data, not a fault of the network: reading again gives the same answer. */
export class UnreadablePartError extends Error {
  override readonly name = 'UnreadablePartError';
}

export async function readSource(source: BillingSource, options: ReadSourceOptions): Promise<SourceReading> {
  const ledger = new CostLedger();
  const partsGone: string[] = [];
  const partsFailed: PartFailure[] = [];
  let partsRead = 0;
  const reading = (error?: string): SourceReading => ({ source: source.name, provider: source.provider, description: source.description, ledger, partsRead, partsGone, partsFailed, error });
  try {
    for await (const part of source.parts(options.window)) {
      if (options.signal?.aborted) break;
      try {
        const partLedger = await retry(() => readPart(source, part, options), {
          ...options.retry,
          attempts: options.onRow ? 1 : options.retry.attempts,
          isRetryable: isTransient,
          clock: options.clock,
          signal: options.signal,
          onRetry: (error, attempt, delayMs) => options.logger?.warn({ source: source.name, part: part.location, attempt, delayMs, err: error }, 'reading the part failed; reading it again'),
        });
        ledger.merge(partLedger);
        partsRead++;
      } catch (error) {
        if (error instanceof PartGoneError) {
          options.logger?.info({ source: source.name, part: part.location }, 'part gone since listed; skipped');
          partsGone.push(part.location);
          continue;
        }
        options.logger?.error({ source: source.name, part: part.location, err: error }, 'part not read');
        partsFailed.push({ location: part.location, error: (error as Error).message });
        if (options.onRow) throw error; // rows of it were handed out: the caller must not use a partial result
      }
    }
  } catch (error) {
    if (options.onRow) throw error;
    options.logger?.error({ source: source.name, err: error }, 'source not read');
    return reading(`${source.description}: ${(error as Error).message}`);
  }
  return reading();
}

async function readPart(source: BillingSource, part: BillingPart, options: ReadSourceOptions): Promise<CostLedger> {
  const ledger = new CostLedger();
  const normalizer = new RowNormalizer({ provider: source.provider, categories: options.categories });
  const separator = part.positionUnit === 'line' ? ':' : '#';
  let columns: readonly string[] | undefined;
  let mapper: RowMapper | undefined;
  for await (const batch of part.batches()) {
    if (batch.columns !== columns) {
      columns = batch.columns;
      const format = source.format === 'auto' ? detectFormat(columns) : source.format;
      if (format === undefined) throw new UnreadablePartError(`${part.location}: the columns match no known export layout (${FORMAT_SIGNATURES}); set the source's format`);
      mapper = compileMapper(format, columns);
    }
    const width = columns.length;
    for (let index = 0; index < batch.rows.length; index++) {
      const values = batch.rows[index];
      if (values.length !== width) {
        ledger.addBad({ provider: source.provider, reason: 'columns', location: `${part.location}${separator}${batch.lines[index]}`, detail: `${values.length} fields; the header has ${width}` });
        continue;
      }
      const result = normalizer.normalize(mapper!(values));
      if (result.bad !== undefined) {
        ledger.addBad({ provider: source.provider, reason: result.bad, location: `${part.location}${separator}${batch.lines[index]}`, detail: result.detail });
      } else if (result.row.chargePeriodStartMs < options.window.fromMs) {
        ledger.rowsBeforeWindow++;
      } else {
        ledger.add(result.row);
        const written = options.onRow?.(result.row);
        if (written) await written; // the output is full: wait for it to drain
      }
    }
  }
  return ledger;
}

/** Errors worth reading the part again for: lost connections, timeouts, throttling, server errors. */
export function isTransient(error: unknown): boolean {
  if (error instanceof PartGoneError || error instanceof UnreadablePartError) return false;
  const candidate = error as { code?: unknown; name?: unknown; statusCode?: unknown; $metadata?: { httpStatusCode?: number }; $retryable?: unknown };
  if (candidate.$retryable) return true;
  const status = typeof candidate.statusCode === 'number' ? candidate.statusCode : candidate.$metadata?.httpStatusCode;
  if (typeof status === 'number') return status >= 500 || status === 429 || status === 408;
  const code = typeof candidate.code === 'string' ? candidate.code : '';
  return ['ECONNRESET', 'ECONNREFUSED', 'EPIPE', 'ETIMEDOUT', 'EAI_AGAIN', 'ERR_STREAM_PREMATURE_CLOSE', 'Z_BUF_ERROR'].includes(code) || candidate.name === 'TimeoutError';
}
