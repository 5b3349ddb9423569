/** `--config PATH`, the one flag every service takes. */
import { configPathFromArgs } from '../../../services/common/src/args';

describe('configPathFromArgs', () => {
  it.each([
    [['--config', 'a.yaml'], 'a.yaml'],
    [['--config=/etc/skyline/failover.yaml'], '/etc/skyline/failover.yaml'],
  ])('reads %p', (argv, path) => expect(configPathFromArgs(argv)).toBe(path));

  it.each([
    [[], 'no config file given; usage: --config PATH (a YAML config file)'],
    [['--config'], '--config needs a file path'],
    [['--config', '--verbose'], '--config needs a file path'],
    [['--verbose'], 'unknown argument "--verbose"'],
  ])('rejects %p', (argv, message) => expect(() => configPathFromArgs(argv)).toThrow(message));
});
