/** The shared config loader: YAML, env overrides for secrets, and problems that name field, value and fix. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { z } from 'zod';
import { ConfigError, parseConfig } from '../../../services/common/src/config';
import { loadConfigFile } from '../../../services/common/src/config-file';

const schema = z.strictObject({
  name: z.string().min(1, { message: 'must name the service' }),
  database: z.strictObject({ url: z.url({ message: 'must be a URL' }), password: z.string().min(8, { message: 'must be 8 characters or more' }) }),
  workers: z.number().int({ message: 'must be a whole number' }).default(2),
});

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'common-config-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function file(text: string): string {
  const path = join(dir, `${Math.random().toString(36).slice(2)}.yaml`);
  writeFileSync(path, text);
  return path;
}

describe('loadConfigFile', () => {
  it('parses the YAML, fills defaults and applies env overrides (secrets stay out of the file)', () => {
    const path = file('name: replicator\ndatabase:\n  url: https://db.example.com\n');
    const config = loadConfigFile(path, { schema, envOverrides: { 'database.password': 'DB_PASSWORD' }, env: { DB_PASSWORD: 'correct horse' } });
    expect(config).toEqual({ name: 'replicator', database: { url: 'https://db.example.com', password: 'correct horse' }, workers: 2 });
  });

  it('ignores an override whose variable is unset or empty', () => {
    const path = file('name: a\ndatabase: {url: "https://db.example.com", password: from-the-file}\n');
    expect(loadConfigFile(path, { schema, envOverrides: { 'database.password': 'DB_PASSWORD' }, env: { DB_PASSWORD: '' } }).database.password).toBe('from-the-file');
  });

  it('lists every problem with its field, value and fix, and hides values that came from the environment', () => {
    const path = file('name: ""\ndatabase: {url: not-a-url}\nworkers: 1.5\nthreads: 4\n');
    let error: unknown;
    try {
      loadConfigFile(path, { schema, envOverrides: { 'database.password': 'DB_PASSWORD' }, env: { DB_PASSWORD: 'short' } });
    } catch (thrown) {
      error = thrown;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as Error).message).toBe(
      [
        `Invalid config ${path} (5 problems):`,
        '  - name: must name the service (got "")',
        '  - database.url: must be a URL (got "not-a-url")',
        '  - database.password: must be 8 characters or more (got "(hidden: set by $DB_PASSWORD)")',
        '  - workers: must be a whole number (got 1.5)',
        '  - (root): unknown field threads; remove it or fix the spelling (got ["threads"])',
      ].join('\n'),
    );
  });

  it('says when a required field is missing', () => {
    expect(() => parseConfig({ name: 'a' }, 'inline', { schema, env: {} })).toThrow('database: is required (a object) (got nothing)');
  });

  it('treats an empty file as an empty document', () => {
    expect(() => loadConfigFile(file(''), { schema, env: {} })).toThrow('name: is required (a string)');
  });
});
