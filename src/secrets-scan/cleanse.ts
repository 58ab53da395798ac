/**
 * Purges leaked secrets from a repository's history. The remote is mirror-cloned into a scratch
 * folder, every ref is rewritten by git-filter-repo with each secret replaced by `***REMOVED***`,
 * the rewritten history is scanned again, and only when nothing remains are the rewritten branches
 * and tags force-pushed back. The caller's own checkout is never used, and git's
 * repository-locating variables are dropped, so a hook's GIT_DIR cannot redirect any command.
 *
 * git-filter-repo 2.38 facts this relies on:
 * - `--replace-text` lines are split on the LAST `==>`, then read as `regex:`, `glob:` or
 *   (optionally prefixed) `literal:`; all literals are applied before any regex, per blob.
 * - Blobs with a NUL byte in their first 8 KiB (binary files) are left unchanged.
 * - In a mirror clone there are no refs/remotes/origin/*, so it keeps the `origin` remote (it only
 *   removes it after migrating those refs); we remove it ourselves, as the history is no longer
 *   origin's and a plain `git push` from a mirror would push every ref, deletions included.
 * - Without `--partial` it expires reflogs and runs `gc --prune=now`, so the old objects leave the
 *   mirror too; `--refs`/`--partial` are not wanted: every ref is rewritten.
 */
import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { UserError, isUserError } from '../core/errors.js';
import { ExecError, execFile, type ExecOptions, type ExecResult } from '../core/exec.js';
import type { Reporter } from '../core/reporter.js';

export const REDACTED = '***REMOVED***';
export const MIRROR_FOLDER = 'mirror.git';

const INSTALL_HINT =
  'Install it: `apt-get install git-filter-repo`, `pip install git-filter-repo` or `brew install git-filter-repo`.';

// Inherited from a git hook or a wrapper, these would point every command at the caller's
// repository instead of the mirror.
const REPOSITORY_ENV = [
  'GIT_DIR',
  'GIT_WORK_TREE',
  'GIT_INDEX_FILE',
  'GIT_OBJECT_DIRECTORY',
  'GIT_ALTERNATE_OBJECT_DIRECTORIES',
  'GIT_COMMON_DIR',
  'GIT_NAMESPACE',
  'GIT_PREFIX',
  'GIT_IMPLICIT_WORK_TREE',
  'GIT_GRAFT_FILE',
  'GIT_SHALLOW_FILE',
  'GIT_REPLACE_REF_BASE',
  'GIT_NO_REPLACE_OBJECTS',
  'GIT_QUARANTINE_PATH',
];

export interface CleanseOptions {
  /** The remote to mirror-clone: a URL or a local path to a repository. */
  remote: string;
  /** The secret values to remove (from the scan's findings; may contain newlines, e.g. private keys). */
  secrets: readonly string[];
  /** A scratch folder (created if missing) to hold the mirror; never the workflow's checkout. */
  workDir: string;
  /** Push the rewritten refs back (force) to `remote`. Default false. */
  push?: boolean;
  /**
   * Extra environment for every git process (auth: GIT_CONFIG_COUNT/GIT_CONFIG_KEY_n/
   * GIT_CONFIG_VALUE_n carrying an http.extraheader, so no credential lands in argv).
   */
  gitEnv?: Record<string, string>;
  /** Scans the rewritten mirror's history and returns the secrets still present. */
  rescan: (mirrorDir: string) => Promise<readonly string[]>;
  reporter: Reporter;
}

export interface CleanseResult {
  /** Path of the rewritten mirror. */
  mirror: string;
  rewrittenRefs: { ref: string; before: string; after: string }[];
  /** Secrets still found by rescan (0 on success). */
  remaining: number;
  pushed: boolean;
  pushedRefs: string[];
}

/** Content for `git filter-repo --replace-text`: every secret becomes `***REMOVED***`. */
export function replacementsFile(secrets: readonly string[]): string {
  const unique = checkedSecrets(secrets);
  const multiLine = unique.filter((s) => /[\r\n]/.test(s));
  // filter-repo applies every literal before any regex, so a secret found inside a multi-line one
  // must be a regex too: replaced first as a literal, it would break the longer match.
  const asRegex = new Set(unique.filter((s) => multiLine.some((m) => m.includes(s))));
  const ordered = [...unique].sort((a, b) => b.length - a.length || (a < b ? -1 : a > b ? 1 : 0));
  // An explicit `==>` replacement always ends the line: filter-repo splits on the last `==>`, so
  // one inside a literal stays part of it. `literal:` keeps a secret that starts with `regex:` or
  // `glob:` literal.
  const lines = ordered.map((s) =>
    asRegex.has(s) ? `regex:${pythonRegexEscape(s)}==>${REDACTED}` : `literal:${s}==>${REDACTED}`,
  );
  return `${lines.join('\n')}\n`;
}

function checkedSecrets(secrets: readonly string[]): string[] {
  if (secrets.length === 0) {
    throw new UserError('No secrets to remove from history: pass the values the scan found.');
  }
  secrets.forEach((s, i) => {
    if (s.trim() === '') {
      throw new UserError(
        `Secret #${i + 1} of ${secrets.length} is empty or only whitespace: pass the exact values the scan found.`,
      );
    }
  });
  return [...new Set(secrets)];
}

/**
 * Escapes every character for Python's `re` (bytes patterns): letters and digits stay (a backslash
 * before them would make a special sequence or a back-reference), controls become `\xHH` (so no
 * line break reaches the file), other ASCII gets a backslash (which also breaks up any `==>`), and
 * non-ASCII characters, never special, stay as their UTF-8 bytes.
 */
function pythonRegexEscape(text: string): string {
  let out = '';
  for (const ch of text) {
    const code = ch.codePointAt(0) ?? 0;
    if (/[A-Za-z0-9_]/.test(ch) || code > 0x7f) out += ch;
    else if (code < 0x20 || code === 0x7f) out += `\\x${code.toString(16).padStart(2, '0')}`;
    else out += `\\${ch}`;
  }
  return out;
}

/** Rewrites the remote's history without the secrets; pushes it back only when asked and clean. */
export async function cleanseHistory(options: CleanseOptions): Promise<CleanseResult> {
  const secrets = checkedSecrets(options.secrets);
  const redact = redactor(secrets);
  const reporter = redactingReporter(options.reporter, redact);
  try {
    return await cleanse(options, secrets, reporter);
  } catch (error) {
    throw redactedError(error, redact);
  }
}

async function cleanse(
  options: CleanseOptions,
  secrets: string[],
  reporter: Reporter,
): Promise<CleanseResult> {
  const remote = remoteLocation(options.remote);
  const env = gitEnvironment(options.gitEnv ?? {});
  const git = (args: string[], more: ExecOptions = {}): Promise<ExecResult> =>
    execFile('git', args, { env, reporter, ...more });
  const timings: string[] = [];
  const timed = async <T>(phase: string, fn: () => Promise<T>): Promise<T> => {
    const started = performance.now();
    const value = await fn();
    timings.push(`${phase} ${((performance.now() - started) / 1000).toFixed(2)}s`);
    return value;
  };

  const version = await git(['filter-repo', '--version'], { silent: true, okExitCodes: 'any' });
  if (version.exitCode !== 0) {
    const said = version.stderr.trim().split('\n')[0] ?? '';
    throw new UserError(
      `git-filter-repo is required to cleanse history but was not found (${said}). ${INSTALL_HINT}`,
    );
  }
  reporter.debug(`git-filter-repo ${version.stdout.trim()}`);

  // Absolute, as later commands run inside the mirror.
  const workDir = path.resolve(options.workDir);
  const mirror = await freshMirrorTarget(workDir, git);
  await timed('clone', () =>
    git(['clone', '--mirror', '--no-local', '--', remote, mirror], { group: 'Mirror-clone the repository' }),
  );
  const before = await listRefs(git, mirror);

  // The file holds the secrets: private folder, owner-only file, outside the mirror, removed after.
  const scratch = await fs.mkdtemp(path.join(workDir, '.replacements-'));
  try {
    const file = path.join(scratch, 'replacements.txt');
    await fs.writeFile(file, replacementsFile(secrets), { mode: 0o600, flag: 'wx' });
    await timed('rewrite', () =>
      git(
        [
          'filter-repo',
          '--replace-text',
          file,
          '--replace-message',
          file,
          '--force', // the sanity checks are for clones made by hand; this one is fresh
          '--replace-refs',
          'update-no-add', // no refs/replace/* for every rewritten commit
          '--prune-empty',
          'never', // a commit that only swapped one secret for another keeps its message
          '--prune-degenerate',
          'never',
        ],
        { cwd: mirror, group: 'Rewrite history with git-filter-repo' },
      ),
    );
  } finally {
    await fs.rm(scratch, { recursive: true, force: true });
  }
  const remotes = await git(['remote'], { cwd: mirror, silent: true });
  if (remotes.stdout.split('\n').includes('origin')) {
    await git(['config', '--remove-section', 'remote.origin'], { cwd: mirror, silent: true });
  }

  const after = await listRefs(git, mirror);
  const dropped = [...before.keys()].filter((ref) => !after.has(ref));
  if (dropped.length > 0) {
    throw new Error(
      `git filter-repo dropped refs from the mirror ${mirror}: ${dropped.join(', ')}. Nothing was pushed.`,
    );
  }
  const rewrittenRefs = [...before]
    .filter(([ref, sha]) => after.get(ref) !== sha)
    .map(([ref, sha]) => ({ ref, before: sha, after: after.get(ref) ?? '' }));
  reporter.info(`Rewrote ${rewrittenRefs.length} of ${before.size} refs in ${mirror}.`);

  const found = await timed('rescan', () => options.rescan(mirror));
  const remaining = new Set(found).size;
  const result: CleanseResult = { mirror, rewrittenRefs, remaining, pushed: false, pushedRefs: [] };
  if (remaining > 0) {
    reporter.error(
      `${remaining} of the secrets are still in the rewritten history at ${mirror}, so nothing was pushed. ` +
        'git-filter-repo leaves binary files (a NUL byte in the first 8 KiB) and file names unchanged: ' +
        'remove such files with `git filter-repo --invert-paths --path <file>`, or pass the exact values found, and run again.',
    );
    reporter.info(`Timings: ${timings.join(', ')}.`);
    return result;
  }

  if (options.push) {
    const branchesAndTags = rewrittenRefs.filter((r) => /^refs\/(heads|tags)\//.test(r.ref));
    const notPushed = rewrittenRefs.filter((r) => !branchesAndTags.includes(r)).map((r) => r.ref);
    if (notPushed.length > 0) {
      reporter.warning(
        `Rewritten but not pushed (only branches and tags are pushed; GitHub's refs/pull/* cannot be): ${notPushed.join(', ')}.`,
      );
    }
    if (branchesAndTags.length === 0) {
      reporter.info('No branch or tag changed, so there is nothing to push.');
    } else {
      result.pushedRefs = await timed('push', () => pushRefs(git, mirror, remote, branchesAndTags));
      result.pushed = true;
      reporter.warning(
        `Pushed the rewritten history (${result.pushedRefs.length} refs). Rotate every removed secret: ` +
          'it was exposed, and clones, forks, caches and pull request refs still hold the old commits ' +
          '(GitHub Support can purge cached views).',
      );
    }
  } else {
    reporter.info(`The rewritten mirror is at ${mirror}; it was not pushed (push is off).`);
  }
  reporter.info(`Timings: ${timings.join(', ')}.`);
  return result;
}

type Git = (args: string[], more?: ExecOptions) => Promise<ExecResult>;

async function freshMirrorTarget(dir: string, git: Git): Promise<string> {
  await fs.mkdir(dir, { recursive: true });
  const inside = await git(['rev-parse', '--is-inside-work-tree', '--show-toplevel'], {
    cwd: dir,
    silent: true,
    okExitCodes: 'any',
  });
  const [isInside, top] = inside.stdout.trim().split('\n');
  if (inside.exitCode === 0 && isInside === 'true') {
    throw new UserError(
      `The work folder ${dir} is inside the git work tree ${top}: use a scratch folder outside any checkout (for example $RUNNER_TEMP).`,
    );
  }
  const target = path.join(dir, MIRROR_FOLDER);
  const stat = await fs.stat(target).catch(() => undefined);
  if (stat && (!stat.isDirectory() || (await fs.readdir(target)).length > 0)) {
    throw new UserError(
      `${target} already exists and is not empty: cleansing needs a fresh mirror. Remove it or choose another work folder.`,
    );
  }
  return target;
}

async function listRefs(git: Git, mirror: string): Promise<Map<string, string>> {
  const { stdout } = await git(['for-each-ref', '--format=%(objectname) %(refname)'], {
    cwd: mirror,
    silent: true,
  });
  const refs = new Map<string, string>();
  for (const line of stdout.split('\n')) {
    const space = line.indexOf(' ');
    if (space > 0) refs.set(line.slice(space + 1), line.slice(0, space));
  }
  return refs;
}

/**
 * Force-pushes exactly these refs by URL, never `--mirror` (which would delete remote refs and push
 * hidden ones). Each ref is leased to the value cloned, so commits pushed meanwhile are not lost,
 * and the push is atomic, so the remote never holds a mix of old and new history.
 */
async function pushRefs(
  git: Git,
  mirror: string,
  remote: string,
  refs: CleanseResult['rewrittenRefs'],
): Promise<string[]> {
  const args = [
    'push',
    '--porcelain',
    '--atomic',
    ...refs.map((r) => `--force-with-lease=${r.ref}:${r.before}`),
    '--',
    remote,
    ...refs.map((r) => `${r.ref}:${r.ref}`),
  ];
  let result: ExecResult;
  try {
    result = await git(args, { cwd: mirror, group: 'Push the rewritten branches and tags' });
  } catch (error) {
    if (!(error instanceof ExecError)) throw error;
    const rejected = porcelain(error.result.stdout)
      .filter((s) => s.flag === '!')
      .map((s) => `${s.ref} ${s.summary}`);
    const stale = rejected.some((r) => r.includes('stale info'));
    const cause = stale
      ? 'The remote changed after the mirror was cloned: run the cleanse again.'
      : 'Likely causes: a branch or tag protection rule that forbids force-pushes, a token without ' +
        '`contents: write` permission, or (for a GitHub App token) no `workflows` permission while ' +
        'the rewritten commits touch .github/workflows.';
    const tail = (error.result.stderr || error.result.stdout).trim().split('\n').slice(-3).join(' | ');
    throw new UserError(
      `Could not push the rewritten refs to ${remote} (${refs.map((r) => r.ref).join(', ')}); ` +
        `${rejected.length > 0 ? `rejected: ${rejected.join('; ')}. ` : ''}${cause} git said: ${tail}`,
    );
  }
  return porcelain(result.stdout)
    .filter((s) => s.flag !== '=' && s.flag !== '!')
    .map((s) => s.ref);
}

/** `git push --porcelain` status lines: `<flag>\t<from>:<to>\t<summary>`. */
function porcelain(stdout: string): { flag: string; ref: string; summary: string }[] {
  const statuses = [];
  for (const line of stdout.split('\n')) {
    const match = /^([ +\-*=!])\t[^\t]*:([^\t]+)\t(.*)$/.exec(line);
    if (match) statuses.push({ flag: match[1] ?? '', ref: match[2] ?? '', summary: match[3] ?? '' });
  }
  return statuses;
}

/** A local path becomes absolute (the push runs inside the mirror); URLs must carry no credential. */
function remoteLocation(remote: string): string {
  const value = remote.trim();
  if (value === '') throw new UserError('The remote to cleanse is empty: give a repository URL or path.');
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(value)) {
    const url = URL.canParse(value) ? new URL(value) : undefined;
    if (url && (url.password || (/^https?:$/.test(url.protocol) && url.username))) {
      throw new UserError(
        `The remote URL for ${url.host} carries a credential: remove it and pass authentication through ` +
          'gitEnv (an http.extraheader), so it never reaches a command line or a log.',
      );
    }
    return value;
  }
  if (/^[^/]+:/.test(value)) return value; // scp-like: user@host:path
  return path.resolve(value);
}

function gitEnvironment(extra: Record<string, string>): NodeJS.ProcessEnv {
  const misplaced = Object.keys(extra).filter((k) => REPOSITORY_ENV.includes(k));
  if (misplaced.length > 0) {
    throw new UserError(
      `gitEnv must not set ${misplaced.join(', ')}: the cleanse works only in its own mirror.`,
    );
  }
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const name of REPOSITORY_ENV) delete env[name];
  return { ...env, ...extra, GIT_TERMINAL_PROMPT: '0' };
}

/**
 * Tools print line by line, so besides each whole secret every line of a multi-line secret is
 * masked (lines too short to identify anything are left alone).
 */
function redactor(secrets: readonly string[]): (text: string) => string {
  const pieces = new Set(secrets);
  for (const s of secrets) {
    for (const line of s.split(/\r?\n/)) if (line !== s && line.trim().length >= 8) pieces.add(line);
  }
  const ordered = [...pieces].sort((a, b) => b.length - a.length);
  return (text) => ordered.reduce((out, piece) => out.split(piece).join(REDACTED), text);
}

function redactingReporter(inner: Reporter, redact: (text: string) => string): Reporter {
  return {
    info: (m) => inner.info(redact(m)),
    warning: (m) => inner.warning(redact(m)),
    error: (m) => inner.error(redact(m)),
    debug: (m) => inner.debug(redact(m)),
    group: (name, fn) => inner.group(redact(name), fn),
    annotate: (a) =>
      inner.annotate({ ...a, message: redact(a.message), ...(a.title ? { title: redact(a.title) } : {}) }),
  };
}

function redactedError(error: unknown, redact: (text: string) => string): unknown {
  if (!(error instanceof Error)) return error;
  const message = redact(error.message);
  if (message === error.message) return error;
  const clean = isUserError(error) ? new UserError(message) : new Error(message);
  clean.stack = `${clean.name}: ${message}`;
  return clean;
}
