/** The `observability` section: objectives the alerts can serve, receivers that keep secrets out of the config. */
import { loadEnvironment, type ConfigOverride } from '../../../stacks/environments/load';
import { ConfigError, type ConfigProblem } from '../../../stacks/environments/validate';

function problemsOf(override: ConfigOverride): ConfigProblem[] {
  try {
    loadEnvironment('dev', { config: [override] });
    return [];
  } catch (error) {
    if (error instanceof ConfigError) return [...error.problems];
    throw error;
  }
}

describe('observability config', () => {
  it('loads the embedded environments, each with its own objectives', () => {
    expect(['dev', 'staging', 'prod'].map((name) => loadEnvironment(name).observability.slo.availabilityPercent)).toEqual([99, 99.5, 99.9]);
  });

  it('refuses an availability objective the fastest burn-rate page could never reach', () => {
    expect(problemsOf({ observability: { slo: { availabilityPercent: 90 } } })).toEqual([
      {
        field: 'observability.slo.availabilityPercent',
        value: 90,
        message: 'must be at least 93.06: below it the 14.4x burn-rate page would need more than 100 % errors',
      },
    ]);
  });

  it('refuses a receiver URL that carries a secret, naming the fix', () => {
    const [problem] = problemsOf({ observability: { receivers: { pager: { url: 'https://alerts.example.com/hook?token=abc' } } } });
    expect(problem).toMatchObject({ field: 'observability.receivers.pager.url', value: 'https://alerts.example.com/hook?token=abc' });
    expect(problem.message).toContain('put the secret in a Kubernetes Secret and reference it');
  });

  it('refuses plain http receivers, unknown kinds and Secret names Kubernetes would refuse', () => {
    expect(problemsOf({ observability: { receivers: { chat: { url: 'http://alerts.example.com/chat' } } } })[0]).toMatchObject({ field: 'observability.receivers.chat.url', message: expect.stringContaining('must be an https:// URL') });
    expect(problemsOf({ observability: { receivers: { chat: { kind: 'email' } } } } as unknown as ConfigOverride)[0]).toMatchObject({
      field: 'observability.receivers.chat.kind',
      message: 'must have kind "webhook", "slack" or "pagerduty"',
    });
    expect(problemsOf({ observability: { receivers: { pager: { bearerTokenSecret: { name: 'Pager_Token' } } } } })[0]).toMatchObject({
      field: 'observability.receivers.pager.bearerTokenSecret.name',
      value: 'Pager_Token',
      message: expect.stringContaining('must be the name of a Kubernetes Secret'),
    });
  });

  it('wants the runbook base to end with a slash', () => {
    expect(problemsOf({ observability: { runbookBaseUrl: 'https://example.com/runbooks' } })).toEqual([
      { field: 'observability.runbookBaseUrl', value: 'https://example.com/runbooks', message: 'must end with "/": the page name is appended' },
    ]);
  });
});
