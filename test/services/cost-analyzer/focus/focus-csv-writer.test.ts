/**
 * The FOCUS CSV the analyzer writes passes the FinOps Foundation's focus-validator with zero failures: every
 * fixture (the Foundation's FOCUS sample, CUR legacy and 2.0, Azure EA and MCA, GCP standard) through the report
 * command into one 1.0 file. The validator knows FOCUS up to 1.0, so the 1.0 column set is what it checks; the
 * 1.2 file's header is checked here. A broken copy of the same file must fail, so the check can fail.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { createLogger } from '../../../../services/common/src/logger';
import { parseCommand } from '../../../../services/cost-analyzer/src/cli';
import { parseCostAnalyzerConfig } from '../../../../services/cost-analyzer/src/config';
import { FOCUS_1_0_COLUMNS, FOCUS_1_2_COLUMNS } from '../../../../services/cost-analyzer/src/focus/columns';
import { FocusCsvWriter } from '../../../../services/cost-analyzer/src/focus/focus-csv-writer';
import { runReportCommand } from '../../../../services/cost-analyzer/src/report-command';
import { FOCUS_SAMPLE, fixture } from '../fixtures';
import { validateFocusCsv } from '../focus-tools';

jest.setTimeout(60_000);

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'cost-focus-csv-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const config = parseCostAnalyzerConfig({
  sources: [
    { name: 'focus-sample', provider: 'aws', kind: 'file', path: FOCUS_SAMPLE },
    { name: 'cur', provider: 'aws', kind: 'file', path: fixture('cur-legacy.csv') },
    { name: 'cur2', provider: 'aws', kind: 'file', format: 'cur', path: fixture('cur2.csv') },
    { name: 'azure-ea', provider: 'azure', kind: 'file', format: 'azure-actual', path: fixture('azure-ea-actual.csv') },
    { name: 'azure-mca', provider: 'azure', kind: 'file', format: 'azure-amortized', path: fixture('azure-mca-amortized.csv') },
    { name: 'gcp', provider: 'gcp', kind: 'file', path: fixture('gcp-standard.jsonl') },
  ],
  historyMonths: 0,
});

async function writeFocusCsv(version: string): Promise<string> {
  const path = join(dir, `focus-${version}.csv`);
  const command = parseCommand(['report', '--config', 'unused.yaml', '--month', '2024-09', '--focus-csv', path, '--focus-version', version]);
  if (command.kind !== 'report') throw new Error('not a report command');
  const exitCode = await runReportCommand(command, config, { logger: createLogger({ service: 'test', level: 'silent' }), stdout: new PassThrough() });
  expect(exitCode).toBe(0);
  return path;
}

describe('FOCUS CSV', () => {
  it('passes focus-validator (FOCUS 1.0) with every check and no failure', async () => {
    const path = await writeFocusCsv('1.0');
    const lines = readFileSync(path, 'utf8').trimEnd().split('\n');
    expect(lines).toHaveLength(1 + 1000 + 8 + 3 + 6 + 3 + 6);
    expect(validateFocusCsv(path)).toEqual({ tests: 133, failures: 0, errors: 0, skipped: 0, failed: [] });
  });

  it('fails the validator when the data is broken, so the check above can fail', async () => {
    const path = await writeFocusCsv('1.0');
    const [header, ...rows] = readFileSync(path, 'utf8').trimEnd().split('\n');
    const currency = header.split(',').indexOf('BillingCurrency');
    const broken = join(dir, 'broken.csv');
    writeFileSync(broken, [header, ...rows.map((row, index) => (index === 3 ? row.split(',').map((cell, column) => (column === currency ? 'DOLLARS' : cell)).join(',') : row))].join('\n'));
    expect(validateFocusCsv(broken).failed).toEqual(['BillingCurrency_IsCurrencyCode']);
  });

  it('writes the FOCUS 1.2 columns by default, and 1.0 with the names the validator still checks', async () => {
    const header12 = readFileSync(await writeFocusCsv('1.2'), 'utf8').split('\n')[0].split(',');
    expect(header12).toEqual([...FOCUS_1_2_COLUMNS]);
    expect(header12).toHaveLength(57);
    const header10 = readFileSync(await writeFocusCsv('1.0'), 'utf8').split('\n')[0].split(',');
    expect(header10).toEqual([...FOCUS_1_0_COLUMNS, 'Provider', 'Publisher', 'InvoiceIssuer', 'ResourceID', 'ChargeType']);
  });

  it('quotes what needs quoting', async () => {
    const output = new PassThrough();
    let text = '';
    output.on('data', (chunk: Buffer) => (text += chunk.toString()));
    const writer = new FocusCsvWriter(output, '1.0');
    await writer.write({ BilledCost: '1', ChargeDescription: 'a "quoted", two\nline text' });
    await writer.end();
    const row = text.split('\n').slice(1).join('\n');
    expect(row).toContain(',"a ""quoted"", two\nline text",');
  });
});
