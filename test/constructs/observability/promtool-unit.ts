/**
 * Runs rule unit tests with the real `promtool test rules`: the test file and the rule files are written to a
 * temp directory, and promtool's verdict (with its explanation on failure) comes back.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import type { RuleFile } from '../../../constructs/observability/prometheus-types';
import { promtool, type ToolRun } from '../../helpers/prometheus-peers';

/** One series of a promtool test: `values` in promtool's expanding notation, e.g. `0+60x20` or `1x10 0x5`. */
export interface InputSeries {
  readonly series: string;
  readonly values: string;
}

export interface ExpectedAlert {
  readonly exp_labels: Readonly<Record<string, string>>;
  readonly exp_annotations: Readonly<Record<string, string>>;
}

export interface AlertTest {
  readonly eval_time: string;
  readonly alertname: string;
  readonly exp_alerts: readonly ExpectedAlert[];
}

export interface ExpressionTest {
  readonly expr: string;
  readonly eval_time: string;
  readonly exp_samples: readonly { readonly labels: string; readonly value: number }[];
}

export interface UnitTest {
  /** What the case shows; printed by promtool as the test's name. */
  readonly name: string;
  readonly input_series: readonly InputSeries[];
  readonly alert_rule_test?: readonly AlertTest[];
  readonly promql_expr_test?: readonly ExpressionTest[];
}

/** `promtool test rules` of `tests` against `rules`, with 1-minute samples and evaluations. */
export function promtoolTestRules(rules: RuleFile, tests: readonly UnitTest[]): ToolRun {
  const dir = mkdtempSync(join(tmpdir(), 'skyline-promtool-'));
  try {
    writeFileSync(join(dir, 'rules.yml'), stringify(rules));
    writeFileSync(
      join(dir, 'tests.yml'),
      stringify({ rule_files: ['rules.yml'], evaluation_interval: '1m', tests: tests.map((test) => ({ interval: '1m', ...test })) }),
    );
    return promtool(['test', 'rules', 'tests.yml'], dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
