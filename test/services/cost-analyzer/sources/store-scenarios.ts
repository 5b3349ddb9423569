/**
 * The same scenarios for every object store adapter, run against its emulator: a month of exports in CSV, gzip and
 * Parquet under one prefix, a manifest beside them, an older billing period outside the read window, and an
 * object deleted between listing and reading.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import type { SourceConfig } from '../../../../services/cost-analyzer/src/config';
import { DEFAULT_SERVICE_CATEGORIES } from '../../../../services/cost-analyzer/src/focus/service-categories';
import { readSource } from '../../../../services/cost-analyzer/src/read-source';
import { createBillingSource, type SourceCredentials } from '../../../../services/cost-analyzer/src/sources/factory';
import { CUR_LEGACY_TYPES, FOCUS_SAMPLE, fixture, writeParquet } from '../fixtures';

export interface StoreUnderTest {
  /** The source config that reads everything under `prefix`. */
  readonly source: (prefix: string) => SourceConfig;
  readonly credentials?: SourceCredentials;
  put(key: string, body: Buffer): Promise<void>;
  remove(key: string): Promise<void>;
  /** The location the adapter reports for a key. */
  location(key: string): string;
}

const SEPTEMBER = Date.UTC(2024, 8, 1);
const AUGUST = Date.UTC(2024, 7, 1);

export function storeScenarios(store: () => StoreUnderTest): void {
  let dir: string;
  let parquet: Buffer;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'cost-store-'));
    writeParquet(fixture('cur-legacy.csv'), join(dir, 'cur.parquet'), { rowsPerGroup: 3, ...CUR_LEGACY_TYPES });
    parquet = readFileSync(join(dir, 'cur.parquet'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const read = (prefix: string, fromMs: number, onRow?: () => Promise<void> | undefined) =>
    readSource(createBillingSource(store().source(prefix), store().credentials), { window: { fromMs }, categories: DEFAULT_SERVICE_CATEGORIES, retry: { attempts: 1, baseDelayMs: 0, maxDelayMs: 0 }, onRow });

  it('reads gzip CSV and Parquet exports of the window, not manifests, not older billing periods', async () => {
    const prefix = 'exports/focus/';
    await store().put(`${prefix}BILLING_PERIOD=2024-09/focus-00001.csv.gz`, gzipSync(readFileSync(FOCUS_SAMPLE)));
    await store().put(`${prefix}BILLING_PERIOD=2024-09/cur-00001.snappy.parquet`, parquet);
    await store().put(`${prefix}BILLING_PERIOD=2024-09/focus-Manifest.json`, Buffer.from('{"reportName":"focus"}'));
    await store().put(`${prefix}BILLING_PERIOD=2024-05/focus-00001.csv.gz`, Buffer.from('not even gzip'));
    const reading = await read(prefix, AUGUST);
    expect(reading.partsFailed).toEqual([]);
    expect(reading.partsRead).toBe(2);
    expect(reading.ledger.rows).toBe(1008);
    const lines = [...reading.ledger.lines.values()];
    expect(new Set(lines.map((line) => line.currency))).toEqual(new Set(['USD']));
    expect(lines.reduce((total, line) => total + line.cost, 0)).toBeCloseTo(18.0066386184 + 1.97651418586 + 0.53707392473 + 7.404, 8);
  });

  it('skips an object deleted between listing and reading', async () => {
    const prefix = 'exports/gone/';
    await store().put(`${prefix}a.csv`, readFileSync(fixture('cur-legacy.csv')));
    await store().put(`${prefix}b.csv`, readFileSync(fixture('cur-legacy.csv')));
    let deleted = false;
    const reading = await read(prefix, SEPTEMBER, () => {
      if (deleted) return undefined;
      deleted = true;
      return store().remove(`${prefix}b.csv`);
    });
    expect(reading.partsRead).toBe(1);
    expect(reading.partsGone).toEqual([store().location(`${prefix}b.csv`)]);
    expect(reading.ledger.rows).toBe(8);
  });
}
