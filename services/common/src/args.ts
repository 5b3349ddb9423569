/** The command line every service takes: `--config PATH` (or `--config=PATH`), nothing else. */
export function configPathFromArgs(argv: readonly string[]): string {
  const usage = 'usage: --config PATH (a YAML config file)';
  let path: string | undefined;
  for (let index = 0; index < argv.length; index++) {
    const arg = argv[index];
    if (arg === '--config') {
      path = argv[++index];
      if (path === undefined || path.startsWith('--')) throw new Error(`--config needs a file path; ${usage}`);
    } else if (arg.startsWith('--config=')) {
      path = arg.slice('--config='.length);
    } else {
      throw new Error(`unknown argument ${JSON.stringify(arg)}; ${usage}`);
    }
  }
  if (!path) throw new Error(`no config file given; ${usage}`);
  return path;
}
