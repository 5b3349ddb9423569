/**
 * The shapes of the files Prometheus and Alertmanager read, as far as Skyline writes them. Plain data: a rule
 * file or config is one of these objects serialized as YAML (or JSON, which both read as YAML).
 */

/** `record:` rule: evaluates `expr` and stores the result under the name `record`. */
export interface RecordingRule {
  readonly record: string;
  readonly expr: string;
  /** Labels added to (or overriding) every series of the result. */
  readonly labels?: Readonly<Record<string, string>>;
}

/** `alert:` rule. Skyline's alerts all carry a severity, a summary and a runbook link. */
export interface AlertingRule {
  readonly alert: string;
  readonly expr: string;
  /** How long the condition must hold before the alert fires, e.g. `3m`; absent: fires at once. */
  readonly for?: string;
  readonly labels: Readonly<{ severity: Severity } & Record<string, string>>;
  readonly annotations: Readonly<{ summary: string; description: string; runbook_url: string }>;
}

export type Rule = RecordingRule | AlertingRule;

export interface RuleGroup {
  readonly name: string;
  /** Evaluation interval of the group; absent: the server's global evaluation_interval. */
  readonly interval?: string;
  readonly rules: readonly Rule[];
}

/** A Prometheus rule file (`rule_files:` entry, or the `spec` of a PrometheusRule). */
export interface RuleFile {
  readonly groups: readonly RuleGroup[];
}

/**
 * Who acts on an alert: `critical` pages, `warning` goes to chat, `none` is the Watchdog, which only proves the
 * pipeline works.
 */
export type Severity = 'critical' | 'warning' | 'none';

export function isAlertingRule(rule: Rule): rule is AlertingRule {
  return 'alert' in rule;
}

/** One `scrape_configs` entry, the fields Skyline sets. */
export interface ScrapeConfig {
  readonly job_name: string;
  readonly honor_labels?: boolean;
  readonly metrics_path?: string;
  readonly params?: Readonly<Record<string, readonly string[]>>;
  readonly scheme?: 'http' | 'https';
  readonly scrape_interval?: string;
  readonly scrape_timeout?: string;
  readonly basic_auth?: { readonly username: string; readonly password_file: string };
  readonly tls_config?: { readonly ca_file?: string; readonly server_name?: string };
  readonly static_configs: readonly { readonly targets: readonly string[]; readonly labels?: Readonly<Record<string, string>> }[];
}

/** A whole prometheus.yml. */
export interface PrometheusConfig {
  readonly global: {
    readonly scrape_interval: string;
    readonly scrape_timeout?: string;
    readonly evaluation_interval: string;
    readonly external_labels: Readonly<Record<string, string>>;
  };
  readonly rule_files: readonly string[];
  readonly alerting: { readonly alertmanagers: readonly { readonly static_configs: readonly { readonly targets: readonly string[] }[] }[] };
  readonly scrape_configs: readonly ScrapeConfig[];
}
