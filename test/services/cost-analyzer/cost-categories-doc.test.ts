/** docs/cost-categories.md lists every entry of the category mapping, under its provider and category. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import MAPPING from '../../../services/cost-analyzer/data/service-categories.json';
import { PROJECT_ROOT } from '../../helpers/app-command';

describe('docs/cost-categories.md', () => {
  it('shows the mapping as the data file has it', () => {
    const doc = readFileSync(join(PROJECT_ROOT, 'docs', 'cost-categories.md'), 'utf8');
    for (const [provider, categories] of Object.entries(MAPPING)) {
      if (provider.startsWith('$')) continue;
      const section = doc.split(`### ${provider}\n`)[1]?.split('\n### ')[0] ?? '';
      for (const [category, services] of Object.entries(categories as Record<string, string[]>)) {
        expect(section).toContain(`| ${category} | ${services.join(', ')} |`);
      }
    }
  });
});
