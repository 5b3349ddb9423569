import { execFileSync } from 'node:child_process';
import { join } from 'node:path';

const root = join(__dirname, '..', '..');

/** Lints `source` as if it were a construct file; returns ESLint's messages. */
function lint(source: string): string[] {
  const output = execFileSync(join(root, 'node_modules', '.bin', 'eslint'), ['--stdin', '--stdin-filename', 'constructs/example.ts', '--format', 'json'], {
    cwd: root,
    input: source,
    encoding: 'utf8',
    // ESLint exits 1 when it finds problems; the JSON report is what we read.
    stdio: ['pipe', 'pipe', 'pipe'],
  }).toString();
  return parseMessages(output);
}

function parseMessages(report: string): string[] {
  const [file] = JSON.parse(report) as { messages: { ruleId: string; message: string }[] }[];
  return file.messages.map((message) => `${message.ruleId}: ${message.message}`);
}

function lintAllowingFailure(source: string): string[] {
  try {
    return lint(source);
  } catch (error) {
    return parseMessages(String((error as { stdout: string }).stdout));
  }
}

describe('lint', () => {
  it.each(['aws', 'google', 'azurerm', 'kubernetes', 'helm'])('rejects the root import of @cdktf/provider-%s', (provider) => {
    const messages = lintAllowingFailure(`import { x } from '@cdktf/provider-${provider}';\nexport const y = x;\n`);
    expect(messages).toEqual([expect.stringMatching(/^no-restricted-imports: .*Import the class by deep path instead/)]);
  });

  it('rejects the lib barrel too', () => {
    expect(lintAllowingFailure(`import { s3Bucket } from '@cdktf/provider-aws/lib';\nexport const y = s3Bucket;\n`)).toEqual([expect.stringMatching(/^no-restricted-imports/)]);
  });

  it('accepts deep imports', () => {
    expect(lint(`import { S3Bucket } from '@cdktf/provider-aws/lib/s3-bucket';\nexport const y = S3Bucket;\n`)).toEqual([]);
  });

  it('rejects any', () => {
    expect(lintAllowingFailure(`export const y: any = 1;\n`)).toEqual([expect.stringMatching(/^@typescript-eslint\/no-explicit-any/)]);
  });
});
