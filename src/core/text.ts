/** Small wording helpers shared by every report. */

/** `1 secret`, `3 secrets`, `1 file`, `0 files`. */
export function plural(count: number, noun: string, pluralNoun = `${noun}s`): string {
  return `${count} ${count === 1 ? noun : pluralNoun}`;
}
