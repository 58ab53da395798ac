/**
 * A tree scan: list the files, skip what cannot hold a readable secret (binary files, files over
 * the size limit), read the rest a few at a time and run the engine over each. A file that cannot
 * be read is reported and the scan goes on.
 */
import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import type { Reporter } from '../core/reporter.js';
import { compileRules, scanContent, type CompiledRuleSet } from './engine.js';
import { listFiles } from './files.js';
import { BUILTIN_RULES } from './rules.js';
import type { Finding, SecretRule } from './types.js';

export const DEFAULT_MAX_FILE_BYTES = 10 * 1024 * 1024;
const READ_CONCURRENCY = 16;

export interface TreeScanOptions {
  /** The folder (or single file) to scan. */
  root: string;
  /** Finding paths are relative to this folder (the repository root or workspace). */
  base: string;
  exclude?: readonly string[];
  maxFileBytes?: number;
  rules?: readonly SecretRule[];
  reporter: Reporter;
}

export interface ScanStats {
  filesScanned: number;
  bytesScanned: number;
  skippedBinary: number;
  skippedTooLarge: number;
  skippedExcluded: number;
  unreadable: number;
  durationMs: number;
  source: 'git' | 'walk' | 'file';
}

export interface ScanResult {
  findings: Finding[];
  stats: ScanStats;
  rules: readonly SecretRule[];
}

/** Git's own test: a NUL byte in the first 8000 bytes means binary. */
export function isBinary(buffer: Buffer): boolean {
  return buffer.subarray(0, 8000).includes(0);
}

let defaultRuleSet: CompiledRuleSet | undefined;

export async function scanTree(options: TreeScanOptions): Promise<ScanResult> {
  const started = Date.now();
  const rules = options.rules ?? BUILTIN_RULES;
  const set = options.rules ? compileRules(options.rules) : (defaultRuleSet ??= compileRules(BUILTIN_RULES));
  const maxBytes = options.maxFileBytes ?? DEFAULT_MAX_FILE_BYTES;
  const { reporter } = options;
  const base = path.resolve(options.base);
  const stats: ScanStats = {
    filesScanned: 0,
    bytesScanned: 0,
    skippedBinary: 0,
    skippedTooLarge: 0,
    skippedExcluded: 0,
    unreadable: 0,
    durationMs: 0,
    source: 'walk',
  };

  const root = path.resolve(options.root);
  let files: string[];
  if ((await fs.stat(root)).isFile()) {
    files = [root];
    stats.source = 'file';
  } else {
    const listing = await listFiles({ root, base, exclude: options.exclude ?? [], reporter });
    files = listing.files;
    stats.source = listing.source;
    stats.skippedExcluded = listing.excluded;
  }
  reporter.debug(`secrets-scan: ${files.length} files listed by ${stats.source}`);

  const findings: Finding[][] = new Array(files.length);
  let next = 0;
  const worker = async () => {
    while (next < files.length) {
      const i = next++;
      const file = files[i]!;
      const rel = path.relative(base, file).split(path.sep).join('/');
      let buffer: Buffer;
      try {
        const stat = await fs.lstat(file);
        if (!stat.isFile()) continue; // symlinks, submodules, files deleted since listing
        if (stat.size > maxBytes) {
          stats.skippedTooLarge++;
          reporter.debug(`skipped ${rel}: ${stat.size} bytes is over the ${maxBytes}-byte limit`);
          continue;
        }
        buffer = await fs.readFile(file);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') continue;
        stats.unreadable++;
        reporter.warning(`Could not read ${rel}: ${(error as Error).message}; skipped it and went on.`);
        continue;
      }
      if (isBinary(buffer)) {
        stats.skippedBinary++;
        continue;
      }
      stats.filesScanned++;
      stats.bytesScanned += buffer.length;
      findings[i] = scanContent(buffer.toString('utf8'), rel, set);
    }
  };
  await Promise.all(Array.from({ length: Math.min(READ_CONCURRENCY, files.length) }, worker));
  stats.durationMs = Date.now() - started;
  if (stats.filesScanned === 0) {
    reporter.warning(
      `No file was scanned under ${path.relative(base, root) || '.'}: ${files.length === 0 ? 'it is empty, or git ignores everything in it, or the exclude globs cover it' : 'every file was binary or over the size limit'}.`,
    );
  }
  return { findings: findings.flat().filter(Boolean), stats, rules };
}
