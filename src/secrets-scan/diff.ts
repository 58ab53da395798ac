/**
 * A streaming reader of `git log -p` / `git diff` output that keeps only what a secret can be in:
 * the lines each commit added, per file, with their line numbers in that commit. Git's output is
 * consumed chunk by chunk and each file's added lines are handed on as soon as its section ends,
 * so a history of any length is never held whole.
 *
 * Our own reader rather than a diff-parsing library: the ones on npm parse a whole diff held in
 * memory into objects, and we need a stream, added lines only, and git's quoted paths.
 *
 * Hunks are tracked by their counts (`@@ -a,b +c,d @@`), so an added line that looks like a
 * header (`+++ b/x` inside a hunk is the added line `++ b/x`) is never misread.
 */
import type { CommitInfo } from './types.js';

/** Our commit header: `--format=` + COMMIT_FORMAT makes git print one per commit. */
export const COMMIT_FORMAT = '%x01%H%x1f%an%x1f%ae%x1f%aI';

export interface AddedText {
  /** The file's path in that commit, repo-relative, `/`-separated. */
  path: string;
  /** The added lines joined with `\n`. */
  text: string;
  /** For each line of `text` (0-based), its 1-based line number in the file. */
  lines: number[];
  commit?: CommitInfo;
  /** The file's added text went over the size limit: only the first part is in `text`. */
  truncated: boolean;
}

export interface DiffReaderOptions {
  onFile: (added: AddedText) => void;
  onCommit?: (commit: CommitInfo) => void;
  /** Added bytes kept per file per commit. */
  maxFileBytes: number;
}

const HUNK = /^@@ -\d+(?:,(\d+))? \+(\d+)(?:,(\d+))? @@/;

/** Undoes git's C-style quoting of unusual paths: `"b/caf\303\251 \"x\".txt"`. */
export function unquotePath(raw: string): string {
  if (!raw.startsWith('"') || !raw.endsWith('"') || raw.length < 2) return raw;
  const bytes: number[] = [];
  const body = raw.slice(1, -1);
  const simple: Record<string, number> = { a: 7, b: 8, t: 9, n: 10, v: 11, f: 12, r: 13, '"': 34, '\\': 92 };
  for (let i = 0; i < body.length; i++) {
    const ch = body[i]!;
    if (ch !== '\\') {
      bytes.push(...Buffer.from(ch, 'utf8'));
      continue;
    }
    const next = body[i + 1] ?? '';
    if (/[0-7]/.test(next)) {
      bytes.push(parseInt(body.slice(i + 1, i + 4), 8));
      i += 3;
    } else {
      bytes.push(simple[next] ?? next.charCodeAt(0));
      i += 1;
    }
  }
  return Buffer.from(bytes).toString('utf8');
}

export class DiffReader {
  private pending: Buffer[] = [];
  private commit: CommitInfo | undefined;
  private path: string | undefined;
  private lines: string[] = [];
  private numbers: number[] = [];
  private bytes = 0;
  private truncated = false;
  /** Lines left in the current hunk, old and new side. */
  private oldLeft = 0;
  private newLeft = 0;
  private newLine = 0;

  constructor(private readonly options: DiffReaderOptions) {}

  push(chunk: Buffer): void {
    let start = 0;
    for (let nl = chunk.indexOf(10); nl !== -1; nl = chunk.indexOf(10, start)) {
      if (this.pending.length > 0) {
        this.pending.push(chunk.subarray(start, nl));
        this.line(Buffer.concat(this.pending).toString('utf8'));
        this.pending = [];
      } else {
        this.line(chunk.toString('utf8', start, nl));
      }
      start = nl + 1;
    }
    if (start < chunk.length) this.pending.push(chunk.subarray(start));
  }

  end(): void {
    if (this.pending.length > 0) this.line(Buffer.concat(this.pending).toString('utf8'));
    this.pending = [];
    this.flush();
  }

  private line(line: string): void {
    if (this.oldLeft > 0 || this.newLeft > 0) {
      const kind = line.charCodeAt(0);
      if (kind === 43 /* + */) {
        this.add(line.slice(1));
        this.newLeft--;
        return;
      }
      if (kind === 45 /* - */) {
        this.oldLeft--;
        return;
      }
      if (kind === 32 /* context */) {
        this.oldLeft--;
        this.newLeft--;
        this.newLine++;
        return;
      }
      if (kind === 92 /* \ No newline at end of file */) return;
      // Anything else means the counts were off (a truncated stream): fall back to headers.
      this.oldLeft = this.newLeft = 0;
    }
    if (line.charCodeAt(0) === 1) {
      this.flush();
      const [sha = '', author = '', email = '', date = ''] = line.slice(1).split('\x1f');
      this.commit = { sha, author, email, date };
      this.path = undefined;
      this.options.onCommit?.(this.commit);
      return;
    }
    if (
      line.startsWith('diff --git ') ||
      line.startsWith('diff --cc ') ||
      line.startsWith('diff --combined ')
    ) {
      this.flush();
      this.path = undefined;
      return;
    }
    if (line.startsWith('+++ ')) {
      const target = unquotePath(line.slice(4).replace(/\t$/, ''));
      this.path = target === '/dev/null' ? undefined : target.replace(/^b\//, '');
      return;
    }
    if (line.startsWith('\\')) return;
    if (line.startsWith('@@')) {
      const m = HUNK.exec(line);
      if (!m) return;
      this.oldLeft = m[1] === undefined ? 1 : Number(m[1]);
      this.newLine = Number(m[2]);
      this.newLeft = m[3] === undefined ? 1 : Number(m[3]);
    }
  }

  private add(text: string): void {
    if (this.path === undefined) return;
    const lineNo = this.newLine++;
    if (this.truncated) return;
    if (this.bytes + text.length + 1 > this.options.maxFileBytes) {
      this.truncated = true;
      return;
    }
    this.bytes += text.length + 1;
    this.lines.push(text);
    this.numbers.push(lineNo);
  }

  private flush(): void {
    if (this.path !== undefined && (this.lines.length > 0 || this.truncated)) {
      const added: AddedText = {
        path: this.path,
        text: this.lines.join('\n'),
        lines: this.numbers,
        truncated: this.truncated,
      };
      if (this.commit) added.commit = this.commit;
      this.options.onFile(added);
    }
    this.lines = [];
    this.numbers = [];
    this.bytes = 0;
    this.truncated = false;
    this.oldLeft = this.newLeft = 0;
  }
}
