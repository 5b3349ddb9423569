/** The pre-flight check of `npm run local`: every missing tool named, with the command that installs it. */
import { checkTools, MissingToolsError, requiredTools } from '../../scripts/local/tools';

describe('checkTools', () => {
  it('passes when every tool is installed', () => {
    expect(() => checkTools(requiredTools(), () => true)).not.toThrow();
  });

  it('names every missing tool, where it was looked for, and each install command once', () => {
    const missing = new Set(requiredTools().filter((tool) => /moto|Azurite \(local Azure Blob\)/.test(tool.name)).map((tool) => tool.path));
    let error: unknown;
    try {
      checkTools(requiredTools(), (path) => !missing.has(path));
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(MissingToolsError);
    const message = (error as Error).message;
    expect(message).toContain('2 tools are missing');
    expect(message).toMatch(/moto \(local S3, SQS, Route53\): not found at .*\.tools\/venv\/bin\/moto_server/);
    expect(message).toMatch(/Azurite \(local Azure Blob\): not found at .*node_modules\/\.bin\/azurite-blob/);
    expect(message).toContain('Install them with: `npm ci`, then `bash scripts/install-peers.sh`');
  });
});
