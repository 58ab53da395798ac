/**
 * Offsets to 1-based line/column positions, and comment extraction for inline suppressions.
 */
import type { Comment, Pos } from '../types.js';

/** Line starts of a text, for offset → position lookups in O(log n). */
export class Lines {
  readonly starts: number[] = [0];

  constructor(readonly text: string) {
    for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) this.starts.push(i + 1);
  }

  /** 1-based line and column of an offset (column in UTF-16 code units, as SARIF's columnKind). */
  at(offset: number): { line: number; column: number } {
    let lo = 0;
    let hi = this.starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.starts[mid]! <= offset) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo + 1, column: offset - this.starts[lo]! + 1 };
  }

  /** The span of [start, end), trailing whitespace and newlines left out (YAML ranges include them). */
  pos(start: number, end: number): Pos {
    let e = Math.max(start, end);
    while (e > start && /\s/.test(this.text[e - 1] ?? '')) e--;
    const a = this.at(start);
    const b = this.at(e);
    return { line: a.line, column: a.column, endLine: b.line, endColumn: b.column };
  }

  /** The text of a 1-based line, without its newline. */
  line(n: number): string {
    const start = this.starts[n - 1];
    if (start === undefined) return '';
    const end = this.starts[n] ?? this.text.length + 1;
    return this.text.slice(start, end - 1).replace(/\r$/, '');
  }

  get count(): number {
    return this.starts.length;
  }
}

export type CommentStyle = 'hash' | 'hcl';

/**
 * Comments of a YAML, Dockerfile (`#`) or HCL (`#`, `//`, `/* *\/`) text, skipping quoted strings
 * and (for HCL) heredocs well enough for suppression markers: a marker inside a string is not a
 * comment. YAML and Dockerfile `#` only starts a comment at a line start or after whitespace.
 */
export function scanComments(text: string, style: CommentStyle): Comment[] {
  const comments: Comment[] = [];
  const lines = text.split('\n');
  let inBlock = false;
  let heredoc: string | undefined;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!.replace(/\r$/, '');
    if (heredoc !== undefined) {
      if (line.trim() === heredoc) heredoc = undefined;
      continue;
    }
    let quote: string | undefined;
    for (let j = 0; j < line.length; j++) {
      const c = line[j]!;
      if (inBlock) {
        if (c === '*' && line[j + 1] === '/') {
          inBlock = false;
          j++;
        }
        continue;
      }
      if (quote) {
        if (c === '\\' && quote === '"') j++;
        else if (c === quote) quote = undefined;
        continue;
      }
      if (c === '"' || (c === "'" && style === 'hash')) {
        // A YAML apostrophe inside a plain scalar (`it's`) is not a quote: only after space or a flow char.
        if (c === "'" && j > 0 && !/[\s:[{,-]/.test(line[j - 1]!)) continue;
        quote = c;
        continue;
      }
      if (style === 'hcl' && c === '<' && line[j + 1] === '<') {
        const m = /^<<-?\s*([A-Za-z_][\w-]*)\s*$/.exec(line.slice(j));
        if (m) {
          heredoc = m[1];
          break;
        }
      }
      const startsHash = c === '#' && (style === 'hcl' || j === 0 || /\s/.test(line[j - 1]!));
      const startsSlash = style === 'hcl' && c === '/' && line[j + 1] === '/';
      if (startsHash || startsSlash) {
        comments.push({ line: i + 1, column: j + 1, text: line.slice(j + (startsHash ? 1 : 2)).trim() });
        break;
      }
      if (style === 'hcl' && c === '/' && line[j + 1] === '*') {
        const close = line.indexOf('*/', j + 2);
        comments.push({
          line: i + 1,
          column: j + 1,
          text: line.slice(j + 2, close === -1 ? undefined : close).trim(),
        });
        if (close === -1) inBlock = true;
        else j = close + 1;
      }
    }
  }
  return comments;
}
