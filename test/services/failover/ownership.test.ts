/** Which observer writes a region's pair: the first live one in role order other than the region itself. */
import { recordWriter } from '../../../services/failover/src/ownership';

const ORDER = ['us-west-2', 'europe-west1', 'centralindia'];
const live = (...observers: string[]): Set<string> => new Set(observers);

describe('recordWriter', () => {
  it.each([
    ['us-west-2', live(...ORDER), 'europe-west1'],
    ['europe-west1', live(...ORDER), 'us-west-2'],
    ['centralindia', live(...ORDER), 'us-west-2'],
    // The usual writer is gone: the next one in role order takes over.
    ['us-west-2', live('us-west-2', 'centralindia'), 'centralindia'],
    ['centralindia', live('europe-west1', 'centralindia'), 'europe-west1'],
    // Only the region's own observer is left (it has no quorum anyway, but someone must own the pair).
    ['us-west-2', live('us-west-2'), 'us-west-2'],
    ['us-west-2', live(), undefined],
  ])('%s with live %p is written by %s', (region, observers, writer) => {
    expect(recordWriter(region, ORDER, observers)).toBe(writer);
  });
});
