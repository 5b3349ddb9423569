/** Bounded concurrency (copies per destination) and the per-version lock. */
import { mapConcurrent, Semaphore } from '../../../services/replicator/src/concurrency';
import { KeyedLock } from '../../../services/replicator/src/keyed-lock';

const tick = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

describe('Semaphore and mapConcurrent', () => {
  it('never runs more than the limit at once, and keeps the results in order', async () => {
    let active = 0;
    let peak = 0;
    const results = await mapConcurrent([5, 1, 4, 2, 3, 0], 2, async (value) => {
      active++;
      peak = Math.max(peak, active);
      for (let index = 0; index < value; index++) await tick();
      active--;
      return value * 10;
    });
    expect(results).toEqual([50, 10, 40, 20, 30, 0]);
    expect(peak).toBe(2);
  });

  it('frees the slot of a failed task', async () => {
    const semaphore = new Semaphore(1);
    await expect(semaphore.run(async () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    expect(await semaphore.run(async () => 'next')).toBe('next');
  });
});

describe('KeyedLock', () => {
  it('runs tasks of one key one after the other, in arrival order, and other keys alongside', async () => {
    const lock = new KeyedLock();
    const log: string[] = [];
    const task = (name: string, steps: number) => async (): Promise<void> => {
      log.push(`${name} start`);
      for (let index = 0; index < steps; index++) await tick();
      log.push(`${name} end`);
    };
    await Promise.all([lock.run('v1', task('a', 3)), lock.run('v1', task('b', 1)), lock.run('v2', task('c', 1))]);
    expect(log.indexOf('a end')).toBeLessThan(log.indexOf('b start'));
    expect(log.indexOf('c end')).toBeLessThan(log.indexOf('a end'));
  });
});
