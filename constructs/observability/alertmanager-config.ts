/**
 * The global Alertmanager's configuration: route by severity (critical pages, warning goes to chat, the
 * Watchdog to the dead man's switch), group per alert and region, and inhibit what a bigger alert explains.
 * Receivers come from the environment config; their secrets are referenced as files the Alertmanager
 * operator mounts from Kubernetes Secrets, so no secret is ever in the repository or the Terraform state.
 */
import { ALERT_NAMES, CONTROLLER_ALERT_NAME, PER_SERVICE_ALERTS } from './alerts';
import { ALERT_GROUP_BY } from './labels';
import { oneOf, quote } from './promql';

/** A key of a Kubernetes Secret in the Alertmanager's namespace. */
export interface SecretKeyRef {
  readonly name: string;
  readonly key: string;
}

/**
 * Where alerts go. `webhook`: Alertmanager's JSON to a URL (the URL is not secret; an optional bearer token
 * is); `slack`: an incoming-webhook URL (secret); `pagerduty`: an Events API v2 routing key (secret).
 */
export type ReceiverSpec =
  | { readonly kind: 'webhook'; readonly url: string; readonly bearerTokenSecret?: SecretKeyRef }
  | { readonly kind: 'slack'; readonly webhookUrlSecret: SecretKeyRef; readonly channel: string }
  | { readonly kind: 'pagerduty'; readonly routingKeySecret: SecretKeyRef };

export interface Receivers {
  /** Critical alerts: someone acts now. */
  readonly pager: ReceiverSpec;
  /** Warnings: someone looks during working hours. */
  readonly chat: ReceiverSpec;
  /** Receives the always-firing Watchdog every minute and pages (on its side) when it stops. */
  readonly deadMansSwitch: ReceiverSpec;
}

interface Route {
  readonly receiver: string;
  readonly matchers?: readonly string[];
  readonly group_by?: readonly string[];
  readonly group_wait?: string;
  readonly group_interval?: string;
  readonly repeat_interval?: string;
  readonly routes?: readonly Route[];
}

interface InhibitRule {
  readonly source_matchers: readonly string[];
  readonly target_matchers: readonly string[];
  readonly equal: readonly string[];
}

interface Receiver {
  readonly name: string;
  readonly webhook_configs?: readonly { url: string; send_resolved: boolean; http_config?: { authorization: { type: 'Bearer'; credentials_file: string } } }[];
  readonly slack_configs?: readonly { api_url_file: string; channel: string; send_resolved: boolean }[];
  readonly pagerduty_configs?: readonly { routing_key_file: string; send_resolved: boolean }[];
}

export interface AlertmanagerConfig {
  readonly route: Route;
  readonly inhibit_rules: readonly InhibitRule[];
  readonly receivers: readonly Receiver[];
}

/** Receiver names in the generated file. */
export const RECEIVER_NAMES = { pager: 'pager', chat: 'chat', deadMansSwitch: 'dead-mans-switch' } as const satisfies Record<keyof Receivers, string>;

/** Notification timings: the first notice of a group waits `groupWait` for its siblings. */
export const NOTIFICATION_TIMINGS = {
  groupWait: '30s',
  groupInterval: '5m',
  /** Warnings are repeated twice a working day at most. */
  warningRepeat: '4h',
  /** A page is repeated hourly while it lasts. */
  criticalRepeat: '1h',
  /** The dead man's switch expects the Watchdog every minute. */
  watchdogInterval: '1m',
} as const;

/** Where the Alertmanager operator mounts a Secret listed in an Alertmanager's `spec.secrets`. */
export const OPERATOR_SECRETS_DIRECTORY = '/etc/alertmanager/secrets';

export interface AlertmanagerConfigProps {
  readonly receivers: Receivers;
  /** Where Secret `<name>` key `<key>` is mounted, as `<dir>/<name>/<key>`. @default OPERATOR_SECRETS_DIRECTORY */
  readonly secretsDirectory?: string;
}

const matcher = (label: string, value: string): string => `${label}=${quote(value)}`;

export function alertmanagerConfig(props: AlertmanagerConfigProps): AlertmanagerConfig {
  const directory = props.secretsDirectory ?? OPERATOR_SECRETS_DIRECTORY;
  const file = (secret: SecretKeyRef): string => `${directory}/${secret.name}/${secret.key}`;
  const timings = NOTIFICATION_TIMINGS;
  const receiver = (name: string, spec: ReceiverSpec, sendResolved: boolean): Receiver => {
    switch (spec.kind) {
      case 'webhook':
        return {
          name,
          webhook_configs: [
            {
              url: spec.url,
              send_resolved: sendResolved,
              ...(spec.bearerTokenSecret ? { http_config: { authorization: { type: 'Bearer' as const, credentials_file: file(spec.bearerTokenSecret) } } } : {}),
            },
          ],
        };
      case 'slack':
        return { name, slack_configs: [{ api_url_file: file(spec.webhookUrlSecret), channel: spec.channel, send_resolved: sendResolved }] };
      case 'pagerduty':
        return { name, pagerduty_configs: [{ routing_key_file: file(spec.routingKeySecret), send_resolved: sendResolved }] };
    }
  };
  return {
    route: {
      // Whatever matches no route below (a new severity, a typo) still reaches people.
      receiver: RECEIVER_NAMES.chat,
      group_by: [...ALERT_GROUP_BY],
      group_wait: timings.groupWait,
      group_interval: timings.groupInterval,
      repeat_interval: timings.warningRepeat,
      routes: [
        {
          receiver: RECEIVER_NAMES.deadMansSwitch,
          matchers: [matcher('alertname', ALERT_NAMES.watchdog)],
          group_wait: '0s',
          group_interval: timings.watchdogInterval,
          repeat_interval: timings.watchdogInterval,
        },
        { receiver: RECEIVER_NAMES.pager, matchers: [matcher('severity', 'critical')], repeat_interval: timings.criticalRepeat },
        { receiver: RECEIVER_NAMES.chat, matchers: [matcher('severity', 'warning')] },
      ],
    },
    inhibit_rules: [
      {
        // A region that is down explains every symptom of its services; the region alert is the one to act on.
        source_matchers: [matcher('alertname', ALERT_NAMES.regionDown)],
        target_matchers: [`alertname=~${quote(oneOf(PER_SERVICE_ALERTS))}`],
        equal: ['env', 'region'],
      },
      {
        // The page already covers the ticket of the same alert.
        source_matchers: [matcher('severity', 'critical')],
        target_matchers: [matcher('severity', 'warning')],
        equal: ['alertname', 'env', 'region', 'service'],
      },
      {
        // The controller's own alert says more (which observers saw what) than the rule that saw its weights move.
        source_matchers: [matcher('alertname', CONTROLLER_ALERT_NAME)],
        target_matchers: [matcher('alertname', ALERT_NAMES.failoverHappened)],
        equal: ['env', 'region'],
      },
    ],
    receivers: [
      receiver(RECEIVER_NAMES.pager, props.receivers.pager, true),
      receiver(RECEIVER_NAMES.chat, props.receivers.chat, true),
      // The Watchdog never resolves; a resolution would read as "the pipeline is back" when it never left.
      receiver(RECEIVER_NAMES.deadMansSwitch, props.receivers.deadMansSwitch, false),
    ],
  };
}

/** The Secrets the receivers read, each once: the Alertmanager resource mounts them. */
export function receiverSecretNames(receivers: Receivers): string[] {
  const names = Object.values(receivers).flatMap((spec: ReceiverSpec) => {
    switch (spec.kind) {
      case 'webhook':
        return spec.bearerTokenSecret ? [spec.bearerTokenSecret.name] : [];
      case 'slack':
        return [spec.webhookUrlSecret.name];
      case 'pagerduty':
        return [spec.routingKeySecret.name];
    }
  });
  return [...new Set(names)].sort();
}
