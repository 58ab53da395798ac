/**
 * One file of a tree scan: checked, read, classified (binary, too large, unreadable) and scanned.
 * The same code runs in the main thread and in the scan workers (workers.ts).
 */
import * as fs from 'node:fs';
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

function failed(error: unknown): FileOutcome {
  if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { kind: 'skipped' };
  return { kind: 'unreadable', message: (error as Error).message };
}

export function scanFileSync(job: FileJob, set: CompiledRuleSet): FileOutcome {
  try {
    const stat = fs.lstatSync(job.file);
    if (!stat.isFile()) return { kind: 'skipped' };
    if (stat.size > job.maxBytes) return { kind: 'too-large', size: stat.size };
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
    buffer = await fs.promises.readFile(job.file);
  } catch (error) {
    return failed(error);
  }
  return scanBuffer(buffer, job, set);
}
