import { describe, expect, it } from '@jest/globals';
import { eachLimited } from '../../src/core/pool.js';

const tick = () => new Promise((r) => setTimeout(r, 1));

describe('eachLimited', () => {
  it('runs every item, never more than the limit at once', async () => {
    let running = 0;
    let most = 0;
    const done: number[] = [];
    await eachLimited([1, 2, 3, 4, 5, 6, 7], 3, async (n) => {
      running++;
      most = Math.max(most, running);
      await tick();
      running--;
      done.push(n);
    });
    expect(done.sort()).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(most).toBe(3);
  });

  it('starts nothing after a failure, and throws only once the items under way have ended', async () => {
    const started: number[] = [];
    let slowEnded = false;
    const run = eachLimited([1, 2, 3, 4, 5], 2, async (n) => {
      started.push(n);
      if (n === 1) throw new Error('one failed');
      await tick();
      await tick();
      slowEnded = true;
    });
    await expect(run).rejects.toThrow('one failed');
    expect(slowEnded).toBe(true);
    expect(started).toEqual([1, 2]);
  });

  it('does nothing for no items', async () => {
    await expect(eachLimited([], 4, async () => Promise.reject(new Error('never')))).resolves.toBeUndefined();
  });
});
