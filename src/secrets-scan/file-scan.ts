/**
 * One file of a tree scan: checked, read, classified (binary, too large, unreadable) and scanned.
 * The same code runs in the main thread and in the scan workers (workers.ts).
 */
import * as fs from 'node:fs';
import { StringDecoder } from 'node:string_decoder';
import { scanContent, type CompiledRuleSet, type ContentCounts } from './engine.js';
import type { Finding } from './types.js';

export interface FileJob {
  /** Absolute path. */
  file: string;
  /** Repo-relative path, as reported. */
  rel: string;
  maxBytes: number;
  budgetMs: number;
}

export type FileOutcome =
  | { kind: 'scanned'; bytes: number; findings: Finding[]; allowlisted: number; overBudget: boolean }
  | { kind: 'binary' }
  | { kind: 'too-large'; size: number }
  /** A symlink, a special file, or a file deleted since it was listed. */
  | { kind: 'skipped' }
  | { kind: 'unreadable'; message: string };

/** Git's own test: a NUL byte in the first 8000 bytes means binary. */
export function isBinary(buffer: Buffer): boolean {
  return buffer.subarray(0, 8000).includes(0);
}

export function scanBuffer(buffer: Buffer, job: FileJob, set: CompiledRuleSet): FileOutcome {
  if (isBinary(buffer)) return { kind: 'binary' };
  const counts: ContentCounts = { allowlisted: 0, overBudget: 0 };
  const findings = scanContent(buffer.toString('utf8'), job.rel, set, { budgetMs: job.budgetMs, counts });
  return {
    kind: 'scanned',
    bytes: buffer.length,
    findings,
    allowlisted: counts.allowlisted,
    overBudget: counts.overBudget > 0,
  };
}

/** Files above this size are read and scanned in windows, never held whole. */
export const STREAM_THRESHOLD = 4 * 1024 * 1024;
const WINDOW_BYTES = 2 * 1024 * 1024;
/** Each window rescans up to this much of the previous one: no secret spans more (a PEM key is ~3 KiB). */
const OVERLAP_CHARS = 64 * 1024;

/**
 * Scans a large file window by window. Each window starts with the last lines of the one before
 * (at most OVERLAP_CHARS), so a secret cut by a window's end is found whole in the next;
 * findings seen twice in the overlap are kept once. Lines and columns are counted across windows.
 */
export function scanLargeFileSync(job: FileJob, set: CompiledRuleSet): FileOutcome {
  const fd = fs.openSync(job.file, 'r');
  try {
    const decoder = new StringDecoder('utf8');
    const buffer = Buffer.alloc(WINDOW_BYTES);
    const deadline = performance.now() + job.budgetMs;
    const counts: ContentCounts = { allowlisted: 0, overBudget: 0 };
    const findings: Finding[] = [];
    const seen = new Set<string>();
    let carry = '';
    let origin = { line: 1, column: 0 };
    let bytes = 0;
    for (let first = true; ; first = false) {
      const n = fs.readSync(fd, buffer, 0, WINDOW_BYTES, null);
      if (first && isBinary(buffer.subarray(0, n))) return { kind: 'binary' };
      bytes += n;
      const text = carry + (n > 0 ? decoder.write(buffer.subarray(0, n)) : decoder.end());
      const budgetMs = deadline - performance.now();
      for (const f of scanContent(text, job.rel, set, { origin, budgetMs, counts })) {
        const key = `${f.ruleId}:${f.line}:${f.column}`;
        if (seen.has(key)) continue;
        seen.add(key);
        findings.push(f);
      }
      if (n === 0 || counts.overBudget > 0) break;
      // The next window starts at the first line start in the last OVERLAP_CHARS (mid-line only
      // when that last stretch is one long line).
      const from = Math.max(0, text.length - OVERLAP_CHARS);
      const newline = text.indexOf('\n', from);
      const cut = newline === -1 || newline + 1 >= text.length ? from : newline + 1;
      const skipped = text.slice(0, cut);
      const lines = skipped.split('\n').length - 1;
      origin =
        lines === 0
          ? { line: origin.line, column: origin.column + cut }
          : { line: origin.line + lines, column: cut - (skipped.lastIndexOf('\n') + 1) };
      carry = text.slice(cut);
    }
    return {
      kind: 'scanned',
      bytes,
      findings,
      allowlisted: counts.allowlisted,
      overBudget: counts.overBudget > 0,
    };
  } finally {
    fs.closeSync(fd);
  }
}

function failed(error: unknown): FileOutcome {
  if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { kind: 'skipped' };
  return { kind: 'unreadable', message: (error as Error).message };
}

export function scanFileSync(job: FileJob, set: CompiledRuleSet): FileOutcome {
  try {
    const stat = fs.lstatSync(job.file);
    if (!stat.isFile()) return { kind: 'skipped' };
    if (stat.size > job.maxBytes) return { kind: 'too-large', size: stat.size };
    if (stat.size > STREAM_THRESHOLD) return scanLargeFileSync(job, set);
    return scanBuffer(fs.readFileSync(job.file), job, set);
  } catch (error) {
    return failed(error);
  }
}

export async function scanFile(job: FileJob, set: CompiledRuleSet): Promise<FileOutcome> {
  let buffer: Buffer;
  try {
    const stat = await fs.promises.lstat(job.file);
    if (!stat.isFile()) return { kind: 'skipped' };
    if (stat.size > job.maxBytes) return { kind: 'too-large', size: stat.size };
    if (stat.size > STREAM_THRESHOLD) return scanLargeFileSync(job, set);
    buffer = await fs.promises.readFile(job.file);
  } catch (error) {
    return failed(error);
  }
  return scanBuffer(buffer, job, set);
}
