/**
 * The demo's cost step: the cost analyzer's report command (`npm run cost -- report`), with the running
 * analyzer's config, for the month of the sample billing data. It runs as a person would run it, in its own
 * process, reading the exports from the emulated clouds; its JSON report is printed as the command prints its
 * tables (the analyzer's own renderer).
 */
import { spawn } from 'node:child_process';
import type { CostReport } from '../../../services/cost-analyzer/src/report';
import { renderReport } from '../../../services/cost-analyzer/src/report-table';
import { PROJECT_ROOT } from '../../../test/helpers/app-command';
import { npmScript } from '../commands';
import { seconds, type Output } from '../output';

export interface CostReportResult {
  readonly month: string;
  readonly report: CostReport;
  readonly tookMs: number;
}

/** The heading of renderReport's table of every provider, region, category and service. */
const LINES_SECTION = 'By provider, region, category and service';

/** The report command's longest run here: it reads ~1,000 rows from three emulated exports. */
const REPORT_TIMEOUT_MS = 60_000;

export async function printCostReport(configPath: string, month: string, env: Readonly<Record<string, string>>, output: Output): Promise<CostReportResult> {
  const startedAt = Date.now();
  const { command, args } = npmScript('cost', ['report', '--config', configPath, '--month', month, '--json']);
  const { code, stdout, stderr } = await run(command, args, { ...process.env, ...env });
  if (code !== 0) throw new Error(`npm run cost -- report exited with ${code}:\n${stderr.slice(-2_000)}`);
  const report = JSON.parse(stdout) as CostReport;
  const tookMs = Date.now() - startedAt;
  output.print(`   npm run cost -- report --month ${month} read ${report.rowsRead} rows from ${report.sources.length} exports in ${seconds(tookMs)}:\n`);
  // The report's tables but the long one of every provider, region, category and service, which the command prints.
  const sections = renderReport(report).trimEnd().split('\n\n');
  const shown = sections.filter((section) => !section.startsWith(LINES_SECTION));
  for (const line of shown.join('\n\n').split('\n')) output.print(line.trim() === '' ? '' : `   ${line}`);
  if (shown.length < sections.length) output.print(`\n   (and ${report.lines.length} lines by provider, region, category and service in the command's full output)`);
  return { month, report, tookMs };
}

function run(command: string, args: readonly string[], env: NodeJS.ProcessEnv): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, [...args], { cwd: PROJECT_ROOT, env });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    const timer = setTimeout(() => child.kill('SIGKILL'), REPORT_TIMEOUT_MS);
    child.once('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}
