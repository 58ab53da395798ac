/**
 * A tree scan: list the files, skip what cannot hold a readable secret (binary files, files over
 * the size limit), read the rest a few at a time and run the engine over each. A file that cannot
 * be read is reported and the scan goes on.
 */
import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import { UserError } from '../core/errors.js';
import type { Reporter } from '../core/reporter.js';
import type { ContentCounts } from './engine.js';
import { scanFile, type FileOutcome } from './file-scan.js';
import { baseForFile, excludeMatcher, listFiles, relativePosix } from '../core/files.js';
import { ruleSetup, type RuleSetup } from './ruleset.js';
import type { Finding, SecretRule, SecretsConfig } from './types.js';
import { ScanPool } from './workers.js';

export const DEFAULT_MAX_FILE_BYTES = 10 * 1024 * 1024;
/** A file's scan stops after this long: one pathological file cannot stall a scan. */
export const DEFAULT_FILE_BUDGET_MS = 10_000;
const READ_CONCURRENCY = 16;
/** Below this many files a scan stays in the main thread: starting workers costs more than it saves. */
const WORKER_MIN_FILES = 200;

export interface TreeScanOptions {
  /** The folder (or single file) to scan. Finding paths are relative to its repository's root. */
  root: string;
  /**
   * Outside a git work tree, paths are relative to this folder (the action's workspace). Default:
   * the scanned folder, or a single file's folder.
   */
  baseOutsideGit?: string;
  exclude?: readonly string[];
  maxFileBytes?: number;
  /** The rules (default: the built-in ones). */
  setup?: RuleSetup;
  /** The configuration `setup` was made from: workers build their rules from it. */
  config?: SecretsConfig;
  budgetMs?: number;
  reporter: Reporter;
}

export interface ScanStats {
  /** Files read (tree), or files changed in a commit or the index (history, staged). */
  filesScanned: number;
  bytesScanned: number;
  skippedBinary: number;
  skippedTooLarge: number;
  skippedExcluded: number;
  unreadable: number;
  /** Matches dropped by the configuration's allowlists. */
  allowlisted: number;
  /** Files whose scan stopped at the time budget. */
  overBudget: number;
  commitsScanned: number;
  durationMs: number;
  source: 'git' | 'walk' | 'file' | 'history' | 'staged';
}

export function emptyStats(source: ScanStats['source']): ScanStats {
  return {
    filesScanned: 0,
    bytesScanned: 0,
    skippedBinary: 0,
    skippedTooLarge: 0,
    skippedExcluded: 0,
    unreadable: 0,
    allowlisted: 0,
    overBudget: 0,
    commitsScanned: 0,
    durationMs: 0,
    source,
  };
}

export interface ScanResult {
  /** The folder finding paths are relative to: the repository root, or the scanned folder. */
  base: string;
  findings: Finding[];
  stats: ScanStats;
  rules: readonly SecretRule[];
  /** What was scanned, for the reader: "the working tree", "the pull request's 3 commits (…)". */
  scope?: string;
}

export async function scanTree(options: TreeScanOptions): Promise<ScanResult> {
  const started = Date.now();
  const { rules, set } = options.setup ?? ruleSetup();
  const maxBytes = options.maxFileBytes ?? DEFAULT_MAX_FILE_BYTES;
  const { reporter } = options;
  const stats = emptyStats('walk');
  const counts: ContentCounts = { allowlisted: 0, overBudget: 0 };

  let root: string;
  try {
    root = await fs.realpath(options.root);
  } catch {
    throw new UserError(`Could not scan ${options.root}: no such file or folder.`);
  }
  let files: string[];
  let base: string;
  const exclude = options.exclude ?? [];
  const outside = options.baseOutsideGit ? await fs.realpath(options.baseOutsideGit) : undefined;
  if ((await fs.stat(root)).isFile()) {
    base = (await baseForFile(root, reporter)) ?? outside ?? path.dirname(root);
    files = excludeMatcher(exclude)(relativePosix(base, root)) ? [] : [root];
    stats.skippedExcluded = 1 - files.length;
    stats.source = 'file';
  } else {
    const listing = await listFiles({ root, exclude, reporter, baseOutsideGit: outside });
    files = listing.files;
    base = listing.base;
    stats.source = listing.source;
    stats.skippedExcluded = listing.excluded;
    for (const glob of listing.unusedExcludes) {
      reporter.warning(
        `The exclude glob ${JSON.stringify(glob)} matched nothing under ${JSON.stringify(relativePosix(base, root) || '.')}.`,
      );
    }
  }
  reporter.debug(`secrets-scan: ${files.length} files listed by ${stats.source}`);

  const findings: Finding[][] = new Array(files.length);
  const budgetMs = options.budgetMs ?? DEFAULT_FILE_BUDGET_MS;
  // Workers pay off once there is enough to read; a pre-commit-sized scan stays in this thread.
  const pool = files.length >= WORKER_MIN_FILES ? ScanPool.create(options.config) : undefined;
  reporter.debug(`secrets-scan: ${pool ? `${pool.size} worker threads` : 'scanning in the main thread'}`);
  const record = (i: number, rel: string, outcome: FileOutcome) => {
    switch (outcome.kind) {
      case 'scanned':
        stats.filesScanned++;
        stats.bytesScanned += outcome.bytes;
        counts.allowlisted += outcome.allowlisted;
        findings[i] = outcome.findings;
        if (outcome.overBudget) {
          counts.overBudget++;
          reporter.warning(
            `Scanning ${rel} took longer than ${budgetMs} ms; the rest of it was not scanned. Exclude it if it is generated.`,
          );
        }
        break;
      case 'binary':
        stats.skippedBinary++;
        break;
      case 'too-large':
        stats.skippedTooLarge++;
        reporter.debug(`skipped ${rel}: ${outcome.size} bytes is over the ${maxBytes}-byte limit`);
        break;
      case 'unreadable':
        stats.unreadable++;
        reporter.warning(`Could not read ${rel}: ${outcome.message}; skipped it and went on.`);
        break;
      case 'skipped':
        break;
    }
  };
  let next = 0;
  const worker = async () => {
    while (next < files.length) {
      const i = next++;
      const file = files[i]!;
      const rel = relativePosix(base, file);
      const job = { file, rel, maxBytes, budgetMs };
      record(i, rel, pool ? await pool.scan(job) : await scanFile(job, set));
    }
  };
  try {
    await Promise.all(Array.from({ length: Math.min(READ_CONCURRENCY, files.length) }, worker));
  } finally {
    await pool?.close();
  }
  stats.allowlisted = counts.allowlisted;
  stats.overBudget = counts.overBudget;
  stats.durationMs = Date.now() - started;
  if (stats.filesScanned === 0) {
    reporter.warning(
      `No file was scanned under ${JSON.stringify(relativePosix(base, root) || '.')}: ${files.length === 0 ? 'it is empty, or git ignores everything in it, or the exclude globs cover it' : 'every file was binary or over the size limit'}.`,
    );
  }
  return { base, findings: findings.flat(), stats, rules };
}
