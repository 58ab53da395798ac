/**
 * History and staged scans: git streams the changes (`git log -p` over the commits, or
 * `git diff --cached` for the index), and only the lines each change added are scanned, so a secret
 * added and later deleted is still found, in the commit that added it, and a file is never checked
 * out per commit.
 */
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import { UserError } from '../core/errors.js';
import { execFile } from '../core/exec.js';
import type { Reporter } from '../core/reporter.js';
import { plural } from '../core/text.js';
import { scanContent, type ContentCounts } from './engine.js';
import { COMMIT_FORMAT, DiffReader } from './diff.js';
import { GIT_READ, excludeMatcher } from '../core/files.js';
import type { RuleSetup } from './ruleset.js';
import type { ScanResult, ScanStats } from './scan.js';
import { emptyStats } from './scan.js';
import type { Finding } from './types.js';

/**
 * Diff options that make git's output the same whatever the user's or the repository's config
 * says: no colour, no external diff or textconv program, no signature check output, standard
 * `a/` `b/` prefixes, paths from the top, no context lines.
 */
const DIFF_ARGS = [
  '-p',
  '-U0',
  '--no-color',
  '--no-ext-diff',
  '--no-textconv',
  '--no-relative',
  '--src-prefix=a/',
  '--dst-prefix=b/',
  '--find-renames',
];

/**
 * `log-opts` / `--range` options we pass on to `git log`: revisions and paths, and the options that
 * only choose commits. Anything else (`--output=FILE` would write a file, `--format` or `--stat`
 * would change what we read) is refused.
 */
const LOG_OPTIONS = [
  '--all',
  '--branches',
  '--tags',
  '--remotes',
  '--glob',
  '--exclude',
  '--not',
  '--since',
  '--until',
  '--after',
  '--before',
  '--author',
  '--committer',
  '--max-count',
  '--skip',
  '--first-parent',
  '--no-merges',
  '--merges',
  '--ancestry-path',
  '--full-history',
  '--since-as-filter',
  '--max-age',
  '--min-age',
];

/** Splits and checks `log-opts` (whitespace-separated; no shell quoting). */
export function parseLogOpts(text: string, input = 'log-opts'): string[] {
  const args = text.split(/\s+/).filter(Boolean);
  let afterDashDash = false;
  for (const arg of args) {
    if (afterDashDash) continue;
    if (arg === '--') {
      afterDashDash = true;
      continue;
    }
    if (/^-n\d*$/.test(arg)) continue;
    if (arg.startsWith('-')) {
      const name = arg.split('=')[0]!;
      if (!LOG_OPTIONS.includes(name)) {
        throw new UserError(
          `${input}: ${JSON.stringify(arg)} is not an option secrets-scan passes to git log. ` +
            `Give revisions (main..feature, v1.0..HEAD), paths after --, or commit-limiting options: ${LOG_OPTIONS.join(', ')}, -n.`,
        );
      }
    }
  }
  return args;
}

async function git(cwd: string, args: string[]) {
  return execFile('git', [...GIT_READ, ...args], { cwd, silent: true, okExitCodes: 'any' });
}

/** The repository holding `dir` (a work tree's top level, or a bare repository's folder). */
export async function repositoryOf(dir: string, what: string): Promise<{ root: string; bare: boolean }> {
  const result = await git(dir, ['rev-parse', '--is-bare-repository', '--absolute-git-dir']);
  if (result.exitCode !== 0) {
    throw new UserError(
      `${what} needs a git repository, and ${dir} is not in one (${result.stderr.trim().split('\n')[0]}). ` +
        'Run it inside a clone, or scan the files with --mode tree.',
    );
  }
  const [isBare, gitDir] = result.stdout.trim().split('\n');
  if (isBare === 'true') return { root: fs.realpathSync(gitDir!), bare: true };
  const top = await git(dir, ['rev-parse', '--show-toplevel']);
  if (top.exitCode !== 0 || !top.stdout.trim()) {
    throw new UserError(`${what}: git found no work tree at ${dir} (${top.stderr.trim().split('\n')[0]}).`);
  }
  return { root: fs.realpathSync(top.stdout.trim()), bare: false };
}

export interface DiffScanOptions {
  /** A folder in the repository. */
  repo: string;
  setup: RuleSetup;
  maxFileBytes: number;
  budgetMs?: number;
  /** Globs with .gitignore meaning over the repo-relative path in each commit. */
  exclude?: readonly string[];
  reporter: Reporter;
}

export interface HistoryScanOptions extends DiffScanOptions {
  /** Revisions, paths and commit-limiting options for `git log` (see parseLogOpts). Default `--all`. */
  logArgs?: readonly string[];
  /** What the range is, for messages: "the pull request's 3 commits". */
  description?: string;
  /** Fail when the range holds no commit (default true): a scan of nothing is not a pass. */
  requireCommits?: boolean;
}

/** Streams `git <args>` through a DiffReader, scanning each file's added lines as it ends. */
async function scanDiffStream(
  root: string,
  args: string[],
  options: DiffScanOptions,
  stats: ScanStats,
): Promise<{ findings: Finding[]; exitCode: number; stderr: string }> {
  const findings: Finding[] = [];
  const counts: ContentCounts = { allowlisted: 0, overBudget: 0 };
  const excluded = options.exclude?.length ? excludeMatcher(options.exclude) : undefined;
  const reader = new DiffReader({
    maxFileBytes: options.maxFileBytes,
    onCommit: () => stats.commitsScanned++,
    onFile: (added) => {
      if (excluded?.(added.path)) {
        stats.skippedExcluded++;
        return;
      }
      stats.filesScanned++;
      stats.bytesScanned += added.text.length;
      if (added.truncated) {
        stats.skippedTooLarge++;
        options.reporter.debug(
          `${added.path}${added.commit ? ` in ${added.commit.sha.slice(0, 12)}` : ''}: only the first ${options.maxFileBytes} bytes of added text were scanned`,
        );
      }
      const found = scanContent(added.text, added.path, options.setup.set, {
        commit: added.commit,
        lineMap: added.lines,
        budgetMs: options.budgetMs,
        counts,
      });
      for (const f of found) findings.push(f);
    },
  });
  const child = spawn('git', [...GIT_READ, ...args], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
    if (stderr.length < 64 * 1024) stderr += chunk;
  });
  const closed = new Promise<number>((resolve, reject) => {
    child.on('error', (error: NodeJS.ErrnoException) =>
      reject(
        error.code === 'ENOENT'
          ? new UserError('Could not run git: it was not found on PATH. Install git to scan history.')
          : error,
      ),
    );
    child.on('close', (code) => resolve(code ?? -1));
  });
  for await (const chunk of child.stdout) reader.push(chunk as Buffer);
  reader.end();
  const exitCode = await closed;
  stats.allowlisted += counts.allowlisted;
  stats.overBudget += counts.overBudget;
  return { findings, exitCode, stderr };
}

export async function scanHistory(options: HistoryScanOptions): Promise<ScanResult> {
  const started = Date.now();
  const { root, bare } = await repositoryOf(options.repo, 'A history scan');
  const stats = emptyStats('history');
  const logArgs = options.logArgs?.length ? [...options.logArgs] : ['--all'];
  const description = options.description ?? `git log ${logArgs.join(' ')}`;
  if (!bare && (await git(root, ['rev-parse', '--is-shallow-repository'])).stdout.trim() === 'true') {
    options.reporter.warning(
      `${root} is a shallow clone: commits before its shallow boundary are not scanned. Fetch the whole history (actions/checkout with fetch-depth: 0) to scan them.`,
    );
  }
  // Revisions go before `--`: a bare `main..feature` with no such ref would otherwise be taken for a path.
  const dashDash = logArgs.indexOf('--');
  const revisions = dashDash === -1 ? logArgs : logArgs.slice(0, dashDash);
  const paths = dashDash === -1 ? [] : logArgs.slice(dashDash);
  const args = [
    '-c',
    'log.showSignature=false',
    'log',
    ...DIFF_ARGS,
    `--format=${COMMIT_FORMAT}`,
    ...revisions,
    ...(paths.length ? paths : ['--']),
  ];
  const { findings, exitCode, stderr } = await scanDiffStream(root, args, options, stats);
  if (exitCode !== 0) {
    const first = stderr.trim().split('\n')[0] ?? '';
    const hint = /ambiguous argument|unknown revision|bad revision/.test(stderr)
      ? ' A revision in the range is not in this clone: fetch it (actions/checkout with fetch-depth: 0) or fix the range.'
      : '';
    throw new UserError(`git log failed for ${description}: ${first}.${hint}`);
  }
  stats.durationMs = Date.now() - started;
  if (stats.commitsScanned === 0 && options.requireCommits !== false) {
    throw new UserError(
      `No commit to scan in ${description}: the history scan read nothing, which is not a pass. Check the range, or fetch the commits (actions/checkout with fetch-depth: 0).`,
    );
  }
  options.reporter.debug(`secrets-scan: ${plural(stats.commitsScanned, 'commit')} read from git log`);
  return { base: root, findings, stats, rules: options.setup.rules };
}

/** What is staged in the index (the pre-commit hook): added lines of added, copied, modified and renamed files. */
export async function scanStaged(options: DiffScanOptions): Promise<ScanResult> {
  const started = Date.now();
  const { root, bare } = await repositoryOf(options.repo, 'A staged scan');
  if (bare) throw new UserError(`A staged scan needs a work tree, and ${root} is a bare repository.`);
  const stats = emptyStats('staged');
  const args = ['diff', '--cached', ...DIFF_ARGS, '--diff-filter=d', '--'];
  const { findings, exitCode, stderr } = await scanDiffStream(root, args, options, stats);
  if (exitCode !== 0) throw new UserError(`git diff --cached failed: ${stderr.trim().split('\n')[0]}`);
  stats.durationMs = Date.now() - started;
  return { base: root, findings, stats, rules: options.setup.rules };
}
