/**
 * Which files of an export folder are read: those of the read window's billing periods, and of a period written
 * once per export run (Azure exports, CUR creating report versions) only the latest run, which restates the period.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { billingPeriodEndOfKey, latestRuns } from '../../../../services/cost-analyzer/src/sources/object-export-source';
import { fixture, readLocalReading } from '../fixtures';

describe('billingPeriodEndOfKey', () => {
  it.each([
    ['focus/skyline/data/BILLING_PERIOD=2024-09/skyline-00001.snappy.parquet', '2024-10-01'],
    ['cur/skyline/20240901-20241001/0a1b2c3d/skyline-00001.csv.gz', '2024-10-02'],
    ['exports/skyline/20240901-20240930/6c1a-run/part_0_0001.csv', '2024-10-01'],
    ['athena/year=2024/month=9/skyline-00001.snappy.parquet', '2024-10-01'],
  ])('%s ends by %s', (key, end) => {
    expect(billingPeriodEndOfKey(key)).toBe(Date.parse(`${end}T00:00:00Z`));
  });

  it('leaves undated keys to be read', () => {
    expect(billingPeriodEndOfKey('exports/all-rows.csv')).toBeUndefined();
  });
});

describe('latestRuns', () => {
  const object = (key: string, lastModifiedMs: number) => ({ key, lastModifiedMs, sizeBytes: 1, location: key });

  it('keeps the newest run of each period and every file outside run folders', () => {
    const objects = [
      object('x/20240901-20240930/run-a/part_0.csv', 1000),
      object('x/20240901-20240930/run-a/part_1.csv', 1001),
      object('x/20240901-20240930/run-b/part_0.csv', 2000),
      object('x/20241001-20241031/run-a/part_0.csv', 500),
      object('x/20240901-20241001/report-00001.csv.gz', 10),
      object('focus/BILLING_PERIOD=2024-09/a.parquet', 10),
    ];
    expect(latestRuns(objects).map((entry) => entry.key)).toEqual([
      'x/20240901-20240930/run-b/part_0.csv',
      'x/20241001-20241031/run-a/part_0.csv',
      'x/20240901-20241001/report-00001.csv.gz',
      'focus/BILLING_PERIOD=2024-09/a.parquet',
    ]);
  });

  it('counts a month exported by two daily runs once, from the later run', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cost-runs-'));
    try {
      const [header, ...rows] = readFileSync(fixture('azure-ea-actual.csv'), 'utf8').trimEnd().split('\n');
      const write = (path: string, lines: readonly string[], modified: number): void => {
        mkdirSync(dirname(path), { recursive: true });
        writeFileSync(path, [header, ...lines].join('\n'));
        utimesSync(path, modified, modified);
      };
      // September 2 run: the first two rows; September 3 run: the month so far, all rows.
      write(join(dir, 'skyline/20240901-20240930/2b0e-run/part_0_0001.csv'), rows.slice(0, 2), 1_725_300_000);
      write(join(dir, 'skyline/20240901-20240930/9f4c-run/part_0_0001.csv'), rows, 1_725_390_000);
      const reading = await readLocalReading(dir, 'azure', 'azure-actual');
      expect(reading.partsRead).toBe(1);
      expect(reading.ledger.rows).toBe(rows.length);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
