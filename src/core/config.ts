/**
 * Messages for configuration files, shared by every engine that reads one: where (file:line),
 * what (the key or rule), the problem and the fix; and a "did you mean" for mistyped names.
 */
import { UserError } from './errors.js';

/** `file:line: subject: problem. Fix.` */
export function configError(
  file: string,
  line: number | undefined,
  subject: string | undefined,
  problem: string,
  fix: string,
): UserError {
  const where = line === undefined ? file : `${file}:${line}`;
  return new UserError(
    `${where}: ${subject ? `${subject}: ` : ''}${problem}. ${fix}${/[.?!]$/.test(fix) ? '' : '.'}`,
  );
}

/** ` Did you mean 'x'?` when a candidate is close (case, `-`/`_` and a typo or two apart), else ''. */
export function didYouMean(word: string, candidates: Iterable<string>): string {
  const plain = (s: string) => s.toLowerCase().replace(/[-_]/g, '');
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of candidates) {
    const distance =
      plain(candidate) === plain(word) ? 0 : editDistance(word.toLowerCase(), candidate.toLowerCase());
    if (distance < bestDistance) [best, bestDistance] = [candidate, distance];
  }
  return best !== undefined && bestDistance <= Math.max(1, Math.floor(word.length / 4))
    ? ` Did you mean '${best}'?`
    : '';
}

/** Edits (insert, delete, change, swap two neighbours) between two words. */
function editDistance(a: string, b: string): number {
  const d = Array.from({ length: a.length + 1 }, (_, i) =>
    Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)),
  );
  for (let i = 1; i <= a.length; i++)
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      d[i]![j] = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1])
        d[i]![j] = Math.min(d[i]![j]!, d[i - 2]![j - 2]! + 1);
    }
  return d[a.length]![b.length]!;
}
