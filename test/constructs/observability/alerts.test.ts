/** Every alert that can reach Alertmanager has its runbook page, in the shape the on-call expects. */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ALL_ALERT_NAMES, runbookPage, RUNBOOK_DIRECTORY } from '../../../constructs/observability/alerts';
import { PROJECT_ROOT } from '../../helpers/app-command';

describe('alert runbooks', () => {
  it('are named after the alert', () => {
    expect(runbookPage('SkylineRegionDown')).toBe('skyline-region-down.md');
    expect(runbookPage('Watchdog')).toBe('watchdog.md');
  });

  it.each(ALL_ALERT_NAMES)('%s has a page with its meaning, and what to do', (alert) => {
    const file = join(PROJECT_ROOT, RUNBOOK_DIRECTORY, runbookPage(alert));
    expect(existsSync(file)).toBe(true);
    const text = readFileSync(file, 'utf8');
    expect(text.split('\n')[0]).toBe(`# ${alert}`);
    expect(text).toContain('## Meaning');
    expect(text).toMatch(/## (Mitigation|Diagnosis and mitigation)/);
    // The index lists it too.
    expect(readFileSync(join(PROJECT_ROOT, RUNBOOK_DIRECTORY, 'README.md'), 'utf8')).toContain(`(${runbookPage(alert)})`);
  });
});
