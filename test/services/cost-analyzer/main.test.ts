/**
 * The analyzer as it runs: the `cost` script of package.json in a child process (what `npm run cost` and the
 * image's entrypoint run). Serving: sources on a local directory and on S3 (moto, reached through
 * AWS_ENDPOINT_URL_S3), /readyz after the first read, the series on /metrics, /report, a SIGTERM drain that exits
 * 0. Reporting: the table, the FOCUS CSV, exit codes 0 / 1 (a source failed) / 2 (bad config).
 */
import { CreateBucketCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { stringify } from 'yaml';
import type { CostAnalyzerConfigInput } from '../../../services/cost-analyzer/src/config';
import { PROJECT_ROOT } from '../../helpers/app-command';
import { freePort, httpRequest, startMoto, type Peer } from '../../helpers/peers';
import { FOCUS_SAMPLE, fixture } from './fixtures';

jest.setTimeout(60_000);

const COST_SCRIPT = (JSON.parse(readFileSync(join(PROJECT_ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts.cost;
const BUCKET = 'skyline-test-cur';
const ENV = { AWS_ACCESS_KEY_ID: 'testing', AWS_SECRET_ACCESS_KEY: 'testing' };
let dir: string;
let moto: Peer;

/** FOCUS rows for every day of the current month so far: 10 USD a day of EC2. */
function currentMonthFocus(now: Date): string {
  const [header] = readFileSync(FOCUS_SAMPLE, 'utf8').split('\n');
  const columns = header.split(',').map((name) => name.replace(/"/g, ''));
  const rows = [];
  for (let day = 1; day <= now.getUTCDate(); day++) {
    const start = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), day)).toISOString();
    const values: Record<string, string> = {
      BilledCost: '10', EffectiveCost: '10', ListCost: '10', ContractedCost: '10', BillingAccountId: '111122223333', BillingCurrency: 'USD',
      ChargeCategory: 'Usage', ChargeFrequency: 'Usage-Based', ChargePeriodStart: start, ChargePeriodEnd: start, ProviderName: 'AWS',
      PublisherName: 'AWS', InvoiceIssuerName: 'AWS', RegionId: 'us-west-2', ServiceName: 'Amazon Elastic Compute Cloud', ServiceCategory: 'Compute', SkuId: 'S', SkuPriceId: 'S.P',
    };
    rows.push(columns.map((column) => values[column] ?? '').join(','));
  }
  return [columns.join(','), ...rows].join('\n');
}

interface Run {
  readonly child: ChildProcessWithoutNullStreams;
  readonly stdout: () => string;
  readonly stderr: () => string;
  readonly exited: Promise<number | null>;
}

function run(args: readonly string[], config: CostAnalyzerConfigInput | string): Run {
  const path = join(dir, `config-${Math.random().toString(36).slice(2)}.yaml`);
  writeFileSync(path, typeof config === 'string' ? config : stringify(config));
  // The package.json script itself, without npm in between: the signal must reach the service, as in the image.
  const [command, ...scriptArgs] = COST_SCRIPT.split(/\s+/);
  const child = spawn(command, [...scriptArgs, ...args, '--config', path], { cwd: PROJECT_ROOT, env: { ...process.env, AWS_ENDPOINT_URL_S3: moto.url, ...ENV } });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, stdout: () => stdout, stderr: () => stderr, exited };
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'cost-main-'));
  moto = await startMoto();
  const s3 = new S3Client({ region: 'us-west-2', endpoint: moto.url, credentials: { accessKeyId: ENV.AWS_ACCESS_KEY_ID, secretAccessKey: ENV.AWS_SECRET_ACCESS_KEY } });
  await s3.send(new CreateBucketCommand({ Bucket: BUCKET, CreateBucketConfiguration: { LocationConstraint: 'us-west-2' } }));
  await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'cur/20240901-20241001/report-1.csv.gz', Body: gzipSync(readFileSync(fixture('cur-legacy.csv'))) }));
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('npm run cost -- --config', () => {
  it('serves metrics and the report, and drains on SIGTERM', async () => {
    const now = new Date();
    mkdirSync(join(dir, 'current'), { recursive: true });
    writeFileSync(join(dir, 'current', 'focus.csv'), currentMonthFocus(now));
    const port = await freePort();
    const service = run([], {
      sources: [
        { name: 'current', provider: 'aws', kind: 'file', path: join(dir, 'current') },
        { name: 'cur', provider: 'aws', kind: 's3', bucket: BUCKET, prefix: 'cur/', region: 'us-west-2' },
      ],
      budgets: [{ provider: 'aws', amount: 1000, currency: 'USD' }],
      server: { host: '127.0.0.1', port },
    });
    const base = `http://127.0.0.1:${port}`;
    try {
      let ready = 0;
      for (let attempt = 0; attempt < 150 && ready !== 200; attempt++) {
        ready = await httpRequest(`${base}/readyz`).then((response) => response.status, () => 0);
        if (ready !== 200) await new Promise((resolve) => setTimeout(resolve, 100));
      }
      expect(ready).toBe(200);

      const metrics = (await httpRequest(`${base}/metrics`)).body;
      const monthToDate = 10 * now.getUTCDate();
      // `service` is the billed cloud service here: it takes the place of the registry's service="cost-analyzer".
      expect(metrics).toContain(`skyline_cost_month_to_date{provider="aws",region="us-west-2",category="Compute",service="Amazon Elastic Compute Cloud",currency="USD"} ${monthToDate}`);
      expect(metrics).toContain('skyline_cost_budget_amount{provider="aws",currency="USD",service="cost-analyzer"} 1000');
      expect(metrics).toContain('skyline_cost_unmapped_rows_total{provider="aws",service="cost-analyzer"} 0');
      expect(metrics).toContain('skyline_cost_bad_rows_total{provider="aws",reason="amount",service="cost-analyzer"} 0');
      expect(metrics).toContain('skyline_cost_source_up{source="cur",service="cost-analyzer"} 1');
      const completeDays = now.getUTCDate() - 1;
      const daysInMonth = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + 1, 0)).getUTCDate();
      if (completeDays >= 3) expect(metrics).toContain(`skyline_cost_forecast_end_of_month{provider="aws",currency="USD",bound="point",service="cost-analyzer"} ${10 * daysInMonth}`);
      else expect(metrics).not.toContain('skyline_cost_forecast_end_of_month{');

      const report = JSON.parse((await httpRequest(`${base}/report`)).body) as { month: string; sources: { name: string; status: string; partsRead: number }[]; rowsRead: number };
      expect(report.month).toBe(now.toISOString().slice(0, 7));
      expect(report.sources.map(({ name, status, partsRead }) => ({ name, status, partsRead }))).toEqual([
        { name: 'current', status: 'ok', partsRead: 1 },
        { name: 'cur', status: 'ok', partsRead: historyIncludesSeptember2024(now) ? 1 : 0 },
      ]);
    } finally {
      service.child.kill('SIGTERM');
    }
    expect(await service.exited).toBe(0);
    const logs = service.stdout().trim().split('\n').map((line) => JSON.parse(line) as { msg: string; service: string });
    expect(logs.map((line) => line.msg)).toEqual(expect.arrayContaining(['cost analyzer started', 'report refreshed', 'draining', 'drained, exiting']));
  });
});

/** The CUR object is in the 2024-09 billing period: read only when the window (3 months back) reaches it. */
function historyIncludesSeptember2024(now: Date): boolean {
  return Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - 3, 1) < Date.UTC(2024, 9, 1);
}

describe('npm run cost -- report', () => {
  it('prints the month and writes its FOCUS CSV', async () => {
    const out = join(dir, 'september.csv');
    const report = run(['report', '--month', '2024-09', '--focus-csv', out], {
      sources: [
        { name: 'cur', provider: 'aws', kind: 's3', bucket: BUCKET, prefix: 'cur/', region: 'us-west-2' },
        { name: 'gcp', provider: 'gcp', kind: 'file', path: fixture('gcp-standard.jsonl') },
      ],
      historyMonths: 0,
    });
    expect(await report.exited).toBe(0);
    expect(report.stdout()).toContain('Cost report 2024-09 (as of 2024-10-01T00:00:00Z, month closed): 14 rows read');
    expect(report.stdout()).toMatch(/aws\s+USD\s+7\.40\s+\(closed\)/);
    expect(report.stdout()).toMatch(/gcp\s+EUR\s+5\.50\s+\(closed\)/);
    expect(report.stdout()).toMatch(/Unmapped services \(category Other\): 2 rows/);
    expect(readFileSync(out, 'utf8').trimEnd().split('\n')).toHaveLength(15);
    expect(existsSync(`${out}.partial`)).toBe(false);
  });

  it('exits 1 when a source cannot be read, and prints what failed', async () => {
    const report = run(['report', '--month', '2024-09'], { sources: [{ name: 'missing', provider: 'aws', kind: 'file', path: join(dir, 'nowhere') }] });
    expect(await report.exited).toBe(1);
    expect(report.stdout()).toMatch(/missing\s+aws\s+failed/);
  });

  it('exits 2 on a bad config or command line, naming the problem', async () => {
    const badConfig = run(['report'], 'sources:\n  - { provider: aws, kind: s3, bucket: x }\n');
    expect(await badConfig.exited).toBe(2);
    expect(badConfig.stderr()).toContain('sources[0].bucket: must be an S3 bucket name');
    expect(badConfig.stderr()).toContain('sources[0].region: is required');
    const badMonth = run(['report', '--month', 'september'], { sources: [{ provider: 'aws', kind: 'file', path: '/x' }] });
    expect(await badMonth.exited).toBe(2);
    expect(badMonth.stderr()).toContain('--month "september" is not a month; use YYYY-MM');
  });
});
