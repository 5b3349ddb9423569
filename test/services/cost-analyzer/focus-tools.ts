/**
 * The FinOps Foundation's focus-validator 1.0.0 (PyPI), run on a CSV; its JUnit XML report read back. It must run
 * from its package's parent directory: it opens its ISO 4217 list by a path relative to the working directory
 * (`focus_validator/utils/currency_codes.csv`) and, run elsewhere, fails every currency check.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { PEER_BINARIES } from '../../helpers/peers';

export interface ValidationResult {
  readonly tests: number;
  readonly failures: number;
  readonly errors: number;
  readonly skipped: number;
  /** The names of the failed checks, e.g. `BillingCurrency_IsCurrencyCode`. */
  readonly failed: readonly string[];
}

let packageParent: string | undefined;

export function validateFocusCsv(csvPath: string, version = '1.0'): ValidationResult {
  packageParent ??= dirname(dirname(execFileSync(PEER_BINARIES.focusPython, ['-c', 'import focus_validator; print(focus_validator.__file__)'], { encoding: 'utf8' }).trim()));
  const dir = mkdtempSync(join(tmpdir(), 'focus-validator-'));
  try {
    const report = join(dir, 'report.xml');
    try {
      execFileSync(PEER_BINARIES.focusValidator, ['--data-file', csvPath, '--validate-version', version, '--output-type', 'unittest', '--output-destination', report], { cwd: packageParent, stdio: 'pipe' });
    } catch {
      // It exits non-zero when checks fail; the report says which.
    }
    const xml = readFileSync(report, 'utf8');
    const totals = /<testsuites[^>]*\btests="(\d+)"[^>]*\bfailures="(\d+)"[^>]*\berrors="(\d+)"[^>]*\bskipped="(\d+)"/.exec(xml);
    if (!totals) throw new Error(`focus-validator wrote no test totals:\n${xml.slice(0, 500)}`);
    const failed = [...xml.matchAll(/<testcase name="([^" ]+)[^"]*"[^>]*>\s*<failure/g)].map((match) => match[1]);
    return { tests: Number(totals[1]), failures: Number(totals[2]), errors: Number(totals[3]), skipped: Number(totals[4]), failed };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
