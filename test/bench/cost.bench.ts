/**
 * Cost analyzer benchmark: normalize and aggregate a generated AWS CUR export (1,000,000 rows by default, CSV,
 * ~430 MB) with the analyzer's report command, beside the FinOps Foundation's focus-converter converting the same
 * file to FOCUS; then the analyzer again on a tenth of the rows, to show its memory does not grow with them.
 * Then the forecast's backtested error: on the FinOps Foundation's FOCUS sample (its one month), and on a year of
 * synthetic months with a weekly pattern, growth and noise. Prints figures; asserts nothing.
 *
 *   npm run bench:cost [-- --rows 1000000] [--forecast-only]
 *
 * Each run is a child process measured by GNU time (wall and CPU seconds, peak RSS; for the converter, which
 * forks writer processes, the peak RSS is that of its largest process). Rows/s are rows over wall seconds; on a
 * shared machine the CPU seconds are the steadier figure.
 */
import { execFileSync, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PROJECT_ROOT } from '../helpers/app-command';
import { PEER_BINARIES } from '../helpers/peers';
import { backtest, type PastMonth } from '../../services/cost-analyzer/src/forecast';
import { DEFAULT_SERVICE_CATEGORIES } from '../../services/cost-analyzer/src/focus/service-categories';
import { daysInMonth, dayNumber, monthBounds } from '../../services/cost-analyzer/src/focus/values';
import { readSource } from '../../services/cost-analyzer/src/read-source';
import { LocalFileStore } from '../../services/cost-analyzer/src/sources/local-file-store';
import { ObjectExportSource } from '../../services/cost-analyzer/src/sources/object-export-source';
import { writeCurExport } from './cost-export-generator';

interface Measured {
  readonly label: string;
  readonly rows: number;
  readonly wallSeconds: number;
  readonly cpuSeconds: number;
  readonly peakRssMiB: number;
}

function rowsFromArgs(): number {
  const index = process.argv.indexOf('--rows');
  const rows = index >= 0 ? Number(process.argv[index + 1]) : 1_000_000;
  if (!Number.isInteger(rows) || rows < 1000) throw new Error(`--rows must be a whole number, 1000 or more (got ${process.argv[index + 1]})`);
  return rows;
}

/** Runs a command under GNU time; returns its figures (and fails loudly when it fails). */
async function measure(label: string, rows: number, command: string, args: readonly string[]): Promise<Measured> {
  const timeFile = join(tmpdir(), `cost-bench-time-${process.pid}-${Math.random().toString(36).slice(2)}`);
  const child = spawn('/usr/bin/time', ['-o', timeFile, '-f', '%e %U %S %M', command, ...args], { cwd: PROJECT_ROOT, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-4000)));
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
  const [wall, user, system, maxRssKiB] = readFileSync(timeFile, 'utf8').trim().split('\n').pop()!.split(' ').map(Number);
  rmSync(timeFile, { force: true });
  if (code !== 0) throw new Error(`${label} exited ${code}:\n${stderr}`);
  return { label, rows, wallSeconds: wall, cpuSeconds: user + system, peakRssMiB: maxRssKiB / 1024 };
}

const FORECAST_DAYS = [7, 14, 21];
const CONFIDENCE = 0.9;

/** A deterministic random source (mulberry32) and a normal deviate from it. */
function random(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Twelve months of 2024: 1,000 a weekday and 600 a weekend day, growing 3 % a month, each day × (1 + 10 % noise),
 * and one month in four with a 40 % step up from day 16 (a new workload).
 */
function syntheticYear(): PastMonth[] {
  const next = random(7);
  const gaussian = (): number => Math.sqrt(-2 * Math.log(1 - next())) * Math.cos(2 * Math.PI * next());
  return Array.from({ length: 12 }, (_, index) => {
    const month = `2024-${String(index + 1).padStart(2, '0')}`;
    const first = dayNumber(monthBounds(month).startMs);
    const dailyCosts = Array.from({ length: daysInMonth(month) }, (_, day) => {
      const weekday = new Date((first + day) * 86_400_000).getUTCDay();
      const base = (weekday === 0 || weekday === 6 ? 600 : 1000) * 1.03 ** index * (index % 4 === 3 && day >= 15 ? 1.4 : 1);
      return base * (1 + 0.1 * gaussian());
    });
    return { month, dailyCosts };
  });
}

/** The FOCUS sample's September, day by day (all its providers are USD; summed as one series). */
async function focusSampleSeptember(): Promise<PastMonth> {
  const reading = await readSource(new ObjectExportSource('focus-sample', 'aws', 'focus', new LocalFileStore(join(PROJECT_ROOT, 'test', 'fixtures', 'focus', 'focus_sample_1.0.csv'))), {
    window: { fromMs: 0 },
    categories: DEFAULT_SERVICE_CATEGORIES,
    retry: { attempts: 1, baseDelayMs: 0, maxDelayMs: 0 },
  });
  const first = dayNumber(monthBounds('2024-09').startMs);
  const dailyCosts = Array.from({ length: 30 }, () => 0);
  for (const [key, days] of reading.ledger.series()) {
    if (key.category !== undefined) continue;
    for (const [day, cost] of days) if (day >= first && day < first + 30) dailyCosts[day - first] += cost;
  }
  return { month: '2024-09', dailyCosts };
}

function printBacktest(label: string, history: readonly PastMonth[]): void {
  const result = backtest(history, FORECAST_DAYS, CONFIDENCE);
  const percent = (ratio: number | undefined): string => (ratio === undefined ? '-' : `${(ratio * 100).toFixed(1)} %`);
  console.log(
    `${label.padEnd(58)} ${FORECAST_DAYS.map((day) => percent(result.mapeByDay[day]).padStart(9)).join(' ')} ${percent(result.mape).padStart(9)} ${percent(result.coverage).padStart(10)}`,
  );
}

async function forecastBacktests(): Promise<void> {
  console.log(`\nforecast backtest: mean absolute percentage error of the end-of-month forecast made at day N (${CONFIDENCE * 100} % intervals)`);
  console.log(`${'data'.padEnd(58)} ${FORECAST_DAYS.map((day) => `day ${day}`.padStart(9)).join(' ')} ${'all'.padStart(9)} ${'coverage'.padStart(10)}`);
  printBacktest('FOCUS sample, September 2024 (1,000 sampled rows)', [await focusSampleSeptember()]);
  printBacktest('synthetic 2024: weekly pattern, +3 %/month, 10 % noise, steps', syntheticYear());
}

async function main(): Promise<void> {
  if (process.argv.includes('--forecast-only')) {
    await forecastBacktests();
    return;
  }
  const rows = rowsFromArgs();
  const smallRows = Math.round(rows / 10);
  const dir = mkdtempSync(join(tmpdir(), 'cost-bench-'));
  try {
    const large = join(dir, 'cur-large.csv');
    const small = join(dir, 'cur-small.csv');
    await writeCurExport(large, rows);
    await writeCurExport(small, smallRows);
    console.log(`input: ${rows.toLocaleString('en-US')} rows of CUR CSV (${(statSync(large).size / 2 ** 20).toFixed(0)} MiB), and ${smallRows.toLocaleString('en-US')} rows\n`);

    const [node, ...script] = (JSON.parse(readFileSync(join(PROJECT_ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts.cost.split(/\s+/);
    const analyzer = (path: string, extra: readonly string[] = []): string[] => {
      const config = `${path}.yaml`;
      writeFileSync(config, `sources:\n  - { name: cur, provider: aws, kind: file, format: cur, path: ${JSON.stringify(path)} }\nhistoryMonths: 0\n`);
      return [...script, 'report', '--config', config, '--month', '2024-09', ...extra];
    };
    const converter = (path: string, out: string): string[] => {
      mkdirSync(out, { recursive: true });
      return ['convert', '--provider', 'aws-cur', '--data-format', 'csv', '--data-path', path, '--export-path', `${out}/`, '--export-format', 'csv'];
    };

    const results = [
      await measure('analyzer: normalize + aggregate', rows, node, analyzer(large)),
      await measure('analyzer: + write FOCUS CSV', rows, node, analyzer(large, ['--focus-csv', join(dir, 'focus.csv')])),
      await measure('focus-converter 1.0.0 (aws-cur → FOCUS CSV)', rows, PEER_BINARIES.focusConverter, converter(large, join(dir, 'converted-large'))),
      await measure('analyzer: normalize + aggregate', smallRows, node, analyzer(small)),
      await measure('focus-converter 1.0.0', smallRows, PEER_BINARIES.focusConverter, converter(small, join(dir, 'converted-small'))),
    ];
    const cpus = execFileSync('nproc', { encoding: 'utf8' }).trim();
    console.log(`${'run'.padEnd(46)} ${'rows'.padStart(10)} ${'wall s'.padStart(8)} ${'rows/s'.padStart(10)} ${'CPU s'.padStart(8)} ${'peak RSS MiB'.padStart(13)}`);
    for (const result of results) {
      console.log(
        `${result.label.padEnd(46)} ${result.rows.toLocaleString('en-US').padStart(10)} ${result.wallSeconds.toFixed(1).padStart(8)} ${Math.round(result.rows / result.wallSeconds).toLocaleString('en-US').padStart(10)} ${result.cpuSeconds.toFixed(1).padStart(8)} ${result.peakRssMiB.toFixed(0).padStart(13)}`,
      );
    }
    const [aggregate, withCsv, converted, aggregateSmall, convertedSmall] = results;
    const ratio = (a: number, b: number): string => `${(a / b).toFixed(1)}x`;
    console.log(`\nanalyzer vs focus-converter, ${rows.toLocaleString('en-US')} rows (${cpus} CPUs):`);
    console.log(`  rows/s: ${ratio(converted.wallSeconds, aggregate.wallSeconds)} (aggregate), ${ratio(converted.wallSeconds, withCsv.wallSeconds)} (with FOCUS CSV); CPU s: ${ratio(converted.cpuSeconds, aggregate.cpuSeconds)}, ${ratio(converted.cpuSeconds, withCsv.cpuSeconds)}`);
    console.log(`  peak RSS: analyzer ${aggregate.peakRssMiB.toFixed(0)} MiB (${withCsv.peakRssMiB.toFixed(0)} with CSV), converter ${converted.peakRssMiB.toFixed(0)} MiB: ${ratio(converted.peakRssMiB, aggregate.peakRssMiB)} less`);
    console.log(`memory vs rows (x10 rows): analyzer ${aggregateSmall.peakRssMiB.toFixed(0)} → ${aggregate.peakRssMiB.toFixed(0)} MiB; converter ${convertedSmall.peakRssMiB.toFixed(0)} → ${converted.peakRssMiB.toFixed(0)} MiB`);
    await forecastBacktests();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
