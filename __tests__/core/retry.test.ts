import { describe, expect, it } from '@jest/globals';
import { backoffDelay, retry } from '../../src/core/retry.js';

describe('retry', () => {
  it('retries until it succeeds, sleeping a jittered, growing delay, and labels each retry', async () => {
    const sleeps: number[] = [];
    const logs: string[] = [];
    let calls = 0;
    const value = await retry(
      async (attempt) => {
        calls++;
        if (attempt < 3) throw new Error(`boom ${attempt}`);
        return 'done';
      },
      {
        label: 'push blob',
        sleep: async (ms) => void sleeps.push(ms),
        random: () => 0.5,
        log: (m) => logs.push(m),
      },
    );
    expect(value).toBe('done');
    expect(calls).toBe(3);
    expect(sleeps).toEqual([250, 500]);
    expect(logs[0]).toBe('push blob: try 1 of 5 failed (boom 1); retrying in 250 ms');
  });

  it('gives up after the last attempt with the last error', async () => {
    let calls = 0;
    await expect(
      retry(
        async () => {
          calls++;
          throw new Error(`fail ${calls}`);
        },
        { label: 'x', attempts: 3, sleep: async () => {} },
      ),
    ).rejects.toThrow('fail 3');
    expect(calls).toBe(3);
  });

  it('does not retry an error that is not retryable', async () => {
    let calls = 0;
    await expect(
      retry(
        async () => {
          calls++;
          throw new Error('403');
        },
        { label: 'x', retryable: (e) => !String(e).includes('403'), sleep: async () => {} },
      ),
    ).rejects.toThrow('403');
    expect(calls).toBe(1);
  });

  it.each([
    [1, 0.999, 500],
    [2, 1, 1000],
    [6, 1, 16000],
    [10, 1, 20000],
    [3, 0, 0],
  ])('backoffDelay(attempt %i, random %f) = %i', (attempt, random, expected) => {
    expect(backoffDelay(attempt, 500, 20000, () => random)).toBe(expected);
  });
});
