/**
 * Reading a source: bad rows are counted with their file and line and never crash the run or reach the sums;
 * currencies are never summed together; a part that vanished is skipped; a part that fails mid-way is read again
 * from its start and counted once; a part in no known layout is reported and the others still count.
 */
import { mkdtempSync, readFileSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import type { Readable } from 'node:stream';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_SERVICE_CATEGORIES } from '../../../services/cost-analyzer/src/focus/service-categories';
import { readSource } from '../../../services/cost-analyzer/src/read-source';
import type { ExportObject } from '../../../services/cost-analyzer/src/sources/export-object-store';
import { LocalFileStore } from '../../../services/cost-analyzer/src/sources/local-file-store';
import { ObjectExportSource } from '../../../services/cost-analyzer/src/sources/object-export-source';
import { ALL_TIME, fixture, readLocalReading } from './fixtures';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'cost-read-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const [HEADER, ...CUR_ROWS] = readFileSync(fixture('cur-legacy.csv'), 'utf8').trimEnd().split('\n');

describe('readSource', () => {
  it('counts bad rows by reason with file and line, and sums the good ones only', async () => {
    const path = join(dir, 'cur.csv');
    const good = CUR_ROWS[0]; // 2.304 USD
    writeFileSync(
      path,
      [
        HEADER,
        good,
        good.replace(',USD,0.096,2.304,', ',USD,0.096,1.2.3,'), // line 3: amount
        good.replace('Usage,2024-09-01T00:00:00Z,', 'Usage,,'), // line 4: no date
        good.replace('Usage,2024-09-01T00:00:00Z,', 'Usage,31/09/2024,'), // line 5: no such date
        good.replace(',USD,0.096,', ',XYZ,0.096,'), // line 6: unknown currency
        good.replace(',USD,0.096,', ',,0.096,'), // line 7: no currency
        'a1,too,few,fields', // line 8
        good,
      ].join('\n'),
    );
    const reading = await readLocalReading(path, 'aws');
    expect(reading.ledger.rows).toBe(2);
    expect([...reading.ledger.lines.values()].map((line) => line.cost)).toEqual([2 * 2.304]);
    expect(reading.ledger.badRowCounts().sort((a, b) => a.reason.localeCompare(b.reason))).toEqual([
      { provider: 'aws', reason: 'amount', rows: 1 },
      { provider: 'aws', reason: 'columns', rows: 1 },
      { provider: 'aws', reason: 'currency', rows: 2 },
      { provider: 'aws', reason: 'date', rows: 2 },
    ]);
    expect(reading.ledger.badRowSamples).toEqual([
      { provider: 'aws', reason: 'amount', location: `${path}:3`, detail: 'BilledCost "1.2.3" is not a number' },
      { provider: 'aws', reason: 'date', location: `${path}:4`, detail: 'ChargePeriodStart is missing' },
      { provider: 'aws', reason: 'date', location: `${path}:5`, detail: 'ChargePeriodStart "31/09/2024" is not a date' },
      { provider: 'aws', reason: 'currency', location: `${path}:6`, detail: 'BillingCurrency "XYZ" is not an ISO 4217 currency code' },
      { provider: 'aws', reason: 'currency', location: `${path}:7`, detail: 'BillingCurrency is missing' },
      { provider: 'aws', reason: 'columns', location: `${path}:8`, detail: '4 fields; the header has 39' },
    ]);
  });

  it('never sums different currencies', async () => {
    const path = join(dir, 'mixed.csv');
    writeFileSync(path, [HEADER, CUR_ROWS[0], CUR_ROWS[0].replace(',USD,', ',EUR,'), CUR_ROWS[0].replace(',USD,', ',eur,')].join('\n'));
    const reading = await readLocalReading(path, 'aws');
    const lines = [...reading.ledger.lines.values()].map(({ currency, cost, rows }) => ({ currency, cost, rows }));
    expect(lines).toEqual([
      { currency: 'USD', cost: 2.304, rows: 1 },
      { currency: 'EUR', cost: 2 * 2.304, rows: 2 },
    ]);
    expect([...reading.ledger.series()].filter(([key]) => key.category === undefined).map(([key]) => key.currency)).toEqual(['USD', 'EUR']);
  });

  it('skips a part that disappeared after the listing and reports it', async () => {
    writeFileSync(join(dir, 'a.csv'), [HEADER, CUR_ROWS[0]].join('\n'));
    writeFileSync(join(dir, 'b.csv'), [HEADER, CUR_ROWS[1]].join('\n'));
    const reading = await readSource(new ObjectExportSource('cur', 'aws', 'cur', new LocalFileStore(dir)), {
      window: ALL_TIME,
      categories: DEFAULT_SERVICE_CATEGORIES,
      retry: { attempts: 1, baseDelayMs: 0, maxDelayMs: 0 },
      onRow: () => {
        unlinkSync(join(dir, 'b.csv')); // gone while a.csv is being read
        return undefined;
      },
    });
    expect(reading.partsRead).toBe(1);
    expect(reading.partsGone).toEqual([join(dir, 'b.csv')]);
    expect(reading.ledger.rows).toBe(1);
  });

  it('reads a part again after a lost connection and counts it once', async () => {
    writeFileSync(join(dir, 'cur.csv'), readFileSync(fixture('cur-legacy.csv')));
    const store = new LocalFileStore(dir);
    let failures = 1;
    // The connection resets after the first rows were read: those rows must not count twice.
    const flaky = Object.assign(Object.create(store) as LocalFileStore, {
      async stream(object: ExportObject): Promise<Readable> {
        const stream = await store.stream(object);
        if (failures-- > 0) stream.once('data', () => stream.destroy(Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' })));
        return stream;
      },
    });
    const reading = await readSource(new ObjectExportSource('cur', 'aws', 'cur', flaky), { window: ALL_TIME, categories: DEFAULT_SERVICE_CATEGORIES, retry: { attempts: 3, baseDelayMs: 1, maxDelayMs: 1 } });
    expect(reading.partsFailed).toEqual([]);
    expect(reading.ledger.rows).toBe(8);
  });

  it('reports a part in no known layout and still counts the others', async () => {
    writeFileSync(join(dir, 'a.csv'), readFileSync(fixture('cur-legacy.csv')));
    writeFileSync(join(dir, 'b.csv'), 'date,amount\n2024-09-01,3\n');
    const reading = await readLocalReading(dir, 'aws');
    expect(reading.ledger.rows).toBe(8);
    expect(reading.partsFailed).toEqual([{ location: join(dir, 'b.csv'), error: expect.stringContaining('the columns match no known export layout') }]);
  });

  it('reports a source that cannot be listed', async () => {
    const reading = await readLocalReading(join(dir, 'missing'), 'aws');
    expect(reading.error).toMatch(/ENOENT/);
    expect(reading.ledger.rows).toBe(0);
  });

  it('does not count rows before the read window', async () => {
    const reading = await readSource(new ObjectExportSource('cur', 'aws', 'cur', new LocalFileStore(fixture('cur-legacy.csv'))), {
      window: { fromMs: Date.UTC(2024, 8, 3) },
      categories: DEFAULT_SERVICE_CATEGORIES,
      retry: { attempts: 1, baseDelayMs: 0, maxDelayMs: 0 },
    });
    expect(reading.ledger.rows).toBe(2); // the two rows of September 3
    expect(reading.ledger.rowsBeforeWindow).toBe(6);
  });
});
