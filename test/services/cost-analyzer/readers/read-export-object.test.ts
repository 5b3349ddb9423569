/**
 * Export files in each encoding read to the same rows: CSV, gzip (recognised by its bytes, not its name),
 * Parquet written by pyarrow with several row groups, JSON lines; manifests and other files are not read.
 */
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { isExportFile } from '../../../../services/cost-analyzer/src/readers/read-export-object';
import { DECIMAL_COLUMNS } from '../../../../services/cost-analyzer/src/focus/columns';
import { CUR_LEGACY_TYPES, FOCUS_SAMPLE, fixture, readLocal, readLocalReading, writeParquet } from '../fixtures';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'cost-readers-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** What the tests compare across encodings: the FOCUS values (decimals as numbers: `-1.00` is `-1` in Parquet) of every row. */
async function rowsOf(path: string) {
  const { rows, reading } = await readLocal(path, 'aws');
  expect(reading.partsFailed).toEqual([]);
  return rows.map((row) => {
    const values: Record<string, string | number | undefined> = { ...row.values, category: row.category };
    for (const column of DECIMAL_COLUMNS) if (values[column] !== undefined) values[column] = Number(values[column]);
    return values;
  });
}

describe('readExportObject', () => {
  it('reads gzip by its magic bytes, whatever the name says', async () => {
    const plain = await rowsOf(fixture('cur-legacy.csv'));
    const gzipped = gzipSync(readFileSync(fixture('cur-legacy.csv')));
    writeFileSync(join(dir, 'report-00001.csv.gz'), gzipped);
    writeFileSync(join(dir, 'misnamed.csv'), gzipped);
    expect(await rowsOf(join(dir, 'report-00001.csv.gz'))).toEqual(plain);
    expect(await rowsOf(join(dir, 'misnamed.csv'))).toEqual(plain);
  });

  it('reads Parquet row group by row group, typed columns to the same FOCUS values', async () => {
    const plain = await rowsOf(fixture('cur-legacy.csv'));
    const path = join(dir, 'part-00000.snappy.parquet');
    writeParquet(fixture('cur-legacy.csv'), path, { rowsPerGroup: 3, ...CUR_LEGACY_TYPES });
    const fromParquet = await rowsOf(path);
    expect(fromParquet).toHaveLength(8); // three row groups: 3 + 3 + 2
    expect(fromParquet).toEqual(plain);
  });

  it('reads a FOCUS Parquet file whose Tags are a MAP column as one JSON object per row', async () => {
    const path = join(dir, 'focus.parquet');
    writeParquet(FOCUS_SAMPLE, path, { rowsPerGroup: 250, decimals: ['BilledCost', 'EffectiveCost', 'ListCost'], timestamps: [], maps: ['Tags'] });
    const fromCsv = (await readLocal(FOCUS_SAMPLE, 'aws')).rows;
    const fromParquet = (await readLocal(path, 'aws')).rows;
    expect(fromParquet).toHaveLength(1000);
    expect(fromParquet.map((row) => row.values.Tags && JSON.parse(row.values.Tags))).toEqual(fromCsv.map((row) => row.values.Tags && JSON.parse(row.values.Tags)));
    expect(fromParquet.map((row) => row.billedCost)).toEqual(fromCsv.map((row) => row.billedCost));
  });

  it('reads JSON lines, gzipped too, and fails a part whose line is not JSON, naming the line', async () => {
    const text = readFileSync(fixture('gcp-standard.jsonl'), 'utf8');
    writeFileSync(join(dir, 'billing.json.gz'), gzipSync(text));
    expect((await readLocal(join(dir, 'billing.json.gz'), 'gcp')).rows).toHaveLength(6);
    const broken = join(dir, 'broken.jsonl');
    writeFileSync(broken, `${text.split('\n')[0]}\n{"cost": 1,\n`);
    const reading = await readLocalReading(broken, 'gcp');
    expect(reading.partsFailed).toEqual([{ location: broken, error: expect.stringMatching(new RegExp(`^${broken}:2: not JSON`)) }]);
    expect(reading.ledger.rows).toBe(0); // the good first line is not counted: a part counts whole or not at all
  });

  it('reads only row files: not manifests, checksums or anything else', () => {
    expect(['a/b.csv', 'a/b.csv.gz', 'x.snappy.parquet', 'rows.jsonl', 'rows.ndjson', 'extract.json'].every(isExportFile)).toBe(true);
    expect(['report-Manifest.json', 'metadata/manifest.json', 'a/b.csv.zip', 'README.md', 'a/_SUCCESS'].some(isExportFile)).toBe(false);
  });

  it('counts lines through quoted line breaks and empty lines', async () => {
    const path = join(dir, 'lines.csv');
    copyFileSync(fixture('cur-legacy.csv'), path);
    const [header, first] = readFileSync(fixture('cur-legacy.csv'), 'utf8').split('\n');
    const multiline = first.replace('$0.096 per On Demand Linux m5.large Instance Hour', '"two\nlines"');
    const bad = first.replace('2.304,2.304,', 'n/a,2.304,');
    writeFileSync(path, [header, multiline, '', bad, ''].join('\n'));
    const { rows, reading } = await readLocal(path, 'aws');
    expect(rows).toHaveLength(1);
    expect(rows[0].values.ChargeDescription).toBe('two\nlines');
    expect(reading.ledger.badRowSamples).toEqual([{ provider: 'aws', reason: 'amount', location: `${path}:5`, detail: 'BilledCost "n/a" is not a number' }]);
  });
});
