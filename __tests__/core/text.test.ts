import { describe, expect, it } from '@jest/globals';
import { bytes, duration, plural } from '../../src/core/text.js';

describe('text', () => {
  it.each([
    [0, '0 B'],
    [1023, '1023 B'],
    [1536, '1.5 KiB'],
    [3.5 * 1024 * 1024, '3.5 MiB'],
    [1.5 * 1024 ** 3, '1.50 GiB'],
  ])('bytes(%d) is %s', (count, text) => {
    expect(bytes(count)).toBe(text);
  });

  it('words durations and counts', () => {
    expect(duration(850)).toBe('850 ms');
    expect(duration(2400)).toBe('2.4 s');
    expect(duration(303_000)).toBe('5 min 3 s');
    expect(plural(1, 'file')).toBe('1 file');
    expect(plural(0, 'file')).toBe('0 files');
  });
});
