/**
 * Writes FOCUS rows as CSV, streaming. `1.2` (the default) writes the FOCUS 1.2 columns. `1.0` writes the FOCUS 1.0
 * columns, for tools that know 1.0 only, and after them five columns under the names FOCUS 1.0-preview gave them
 * (Provider, Publisher, InvoiceIssuer, ResourceID, ChargeType), holding the same values as ProviderName,
 * PublisherName, InvoiceIssuerName, ResourceId and ChargeCategory: the FinOps Foundation's focus-validator 1.0.0,
 * the latest release, still checks its "1.0" rule set under those names, and a file without them fails it.
 */
import type { Writable } from 'node:stream';
import { FOCUS_1_0_COLUMNS, FOCUS_1_2_COLUMNS, type FocusColumn, type FocusValues } from './columns';

export const FOCUS_VERSIONS = ['1.2', '1.0'] as const;
export type FocusVersion = (typeof FOCUS_VERSIONS)[number];

const PREVIEW_ALIASES: readonly (readonly [string, FocusColumn])[] = [
  ['Provider', 'ProviderName'],
  ['Publisher', 'PublisherName'],
  ['InvoiceIssuer', 'InvoiceIssuerName'],
  ['ResourceID', 'ResourceId'],
  ['ChargeType', 'ChargeCategory'],
];

export class FocusCsvWriter {
  private readonly sources: readonly FocusColumn[];
  rowsWritten = 0;

  constructor(
    private readonly output: Writable,
    version: FocusVersion = '1.2',
  ) {
    const columns = version === '1.0' ? FOCUS_1_0_COLUMNS : FOCUS_1_2_COLUMNS;
    const aliases = version === '1.0' ? PREVIEW_ALIASES : [];
    this.sources = [...columns, ...aliases.map(([, source]) => source)];
    output.write(`${[...columns, ...aliases.map(([name]) => name)].join(',')}\n`);
  }

  /** Writes one row; resolves at once unless the output asks to wait (backpressure). */
  write(values: FocusValues): Promise<void> | undefined {
    let line = '';
    for (let index = 0; index < this.sources.length; index++) {
      if (index > 0) line += ',';
      const value = values[this.sources[index]];
      if (value !== undefined) line += escape(value);
    }
    this.rowsWritten++;
    if (this.output.write(`${line}\n`)) return undefined;
    return new Promise((resolve) => this.output.once('drain', resolve));
  }

  /** Ends the output and waits until it is flushed. */
  end(): Promise<void> {
    return new Promise((resolve, reject) => {
      this.output.once('error', reject);
      this.output.end(() => resolve());
    });
  }
}

function escape(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}
