/**
 * Which files a tree scan reads. Inside a git work tree, git itself says (`git ls-files`): tracked
 * files, even ones a later .gitignore covers (a committed `.env` is still leaked), plus untracked
 * files that are not ignored, honouring every .gitignore, `.git/info/exclude` and the global
 * excludes exactly as git does; submodules and nested repositories are listed by their own git.
 * Outside a work tree, or when git cannot be run, the tree is walked (honouring .gitignore files
 * through the `ignore` package when the folder lies inside a work tree), and any repository found
 * on the way is listed by git. Either way `.git/` and the user's exclude globs are
 * skipped, and paths are made relative to the repository root (or the scanned folder outside git),
 * so SARIF URIs and fingerprints do not depend on where the scan was started.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import ignore, { type Ignore } from 'ignore';
import picomatch from 'picomatch';
import { errorMessage, UserError } from './errors.js';
import { execFile } from './exec.js';
import type { Reporter } from './reporter.js';

export interface FileListing {
  /** Absolute paths of files, sorted. */
  files: string[];
  source: 'git' | 'walk';
  /** The folder paths are relative to: the repository's top level, or the scanned folder. */
  base: string;
  /** Files dropped by the exclude globs. */
  excluded: number;
  /** Exclude globs that matched nothing (most likely a typo). */
  unusedExcludes: string[];
}

/** `/`-separated path of `file` relative to `base`. */
export function relativePosix(base: string, file: string): string {
  return path.relative(base, file).split(path.sep).join('/');
}

/**
 * Git options for reading a work tree that may belong to another user (a `container:` job, a
 * mounted checkout): reading is safe once the repository's config cannot run a program, so the
 * fsmonitor hook is turned off.
 */
export const GIT_READ = ['-c', 'safe.directory=*', '-c', 'core.fsmonitor=false', '-c', 'core.quotePath=off'];

/** A `.git` in the folder or an ancestor: git would honour .gitignore here. */
function insideWorkTree(dir: string): boolean {
  for (let d = dir; ; d = path.dirname(d)) {
    if (fs.existsSync(path.join(d, '.git'))) return true;
    if (path.dirname(d) === d) return false;
  }
}

/** The work tree's top level, or undefined (with a warning when git should have answered). */
async function gitTopLevel(git: string, dir: string, reporter: Reporter): Promise<string | undefined> {
  const fallback =
    'walking the folder instead: .gitignore is honoured, but files that are committed and also ignored are not scanned';
  try {
    const result = await execFile(git, [...GIT_READ, 'rev-parse', '--show-toplevel'], {
      cwd: dir,
      silent: true,
      okExitCodes: 'any',
    });
    if (result.exitCode === 0 && result.stdout.trim())
      return outermost(git, fs.realpathSync(result.stdout.trim()));
    if (insideWorkTree(dir)) {
      reporter.warning(
        `git could not read the work tree at ${dir} (${result.stderr.trim().split('\n')[0]}); ${fallback}.`,
      );
    }
    return undefined;
  } catch (error) {
    if (insideWorkTree(dir)) reporter.warning(`${errorMessage(error)} ${fallback}.`);
    return undefined;
  }
}

/**
 * A submodule's top level is not the repository the user checked out: paths are relative to the
 * outermost superproject, so `lib/x.env` is `lib/x.env` whether the scan starts at the root or in
 * the submodule.
 */
async function outermost(git: string, top: string): Promise<string> {
  for (let depth = 0; depth < 8; depth++) {
    const result = await execFile(git, [...GIT_READ, 'rev-parse', '--show-superproject-working-tree'], {
      cwd: top,
      silent: true,
      okExitCodes: 'any',
    });
    const parent = result.exitCode === 0 ? result.stdout.trim() : '';
    if (!parent) return top;
    top = fs.realpathSync(parent);
  }
  return top;
}

/** Files git lists under `dir`, recursing into submodules and nested repositories. */
async function gitList(git: string, dir: string, reporter: Reporter, depth = 0): Promise<string[]> {
  const run = async (args: string[]) =>
    (
      await execFile(git, [...GIT_READ, 'ls-files', '-z', ...args, '--', '.'], { cwd: dir, silent: true })
    ).stdout
      .split('\0')
      .filter((entry) => entry !== '');
  const files = new Set<string>();
  const repos: string[] = [];
  for (const entry of await run(['--stage'])) {
    const tab = entry.indexOf('\t');
    const rel = entry.slice(tab + 1);
    if (entry.startsWith('160000 '))
      repos.push(rel); // a submodule
    else files.add(rel);
  }
  for (const rel of await run(['--others', '--exclude-standard'])) {
    if (rel.endsWith('/'))
      repos.push(rel.slice(0, -1)); // an untracked repository inside this one
    else files.add(rel);
  }
  const out = [...files].map((rel) => path.join(dir, rel));
  for (const rel of repos) {
    const nested = path.join(dir, rel);
    if (depth < 8 && fs.existsSync(path.join(nested, '.git'))) {
      out.push(...(await nestedList(git, nested, reporter, depth + 1)));
    }
  }
  return out;
}

/** A repository inside the scanned tree: listed by git, or walked when git cannot read it. */
async function nestedList(git: string, dir: string, reporter: Reporter, depth: number): Promise<string[]> {
  try {
    return await gitList(git, dir, reporter, depth);
  } catch (error) {
    const reason = errorMessage(error).trim().split('\n').slice(-1)[0];
    reporter.warning(`git could not list the repository at ${dir} (${reason}); walking it instead.`);
    return walk(dir, true).files;
  }
}

/**
 * A plain walk that honours .gitignore files met on the way down (when `honourGitignore`). A folder
 * holding a `.git` below the root is a repository of its own: it is returned in `repos`, not walked,
 * so git can list it.
 */
function walk(root: string, honourGitignore: boolean): { files: string[]; repos: string[] } {
  const files: string[] = [];
  const repos: string[] = [];
  const visit = (dir: string, rules: Array<{ base: string; ig: Ignore }>) => {
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(dir, { withFileTypes: true });
    } catch {
      return; // an unreadable folder: nothing to list
    }
    if (dir !== root && entries.some((e) => e.name === '.git')) {
      repos.push(dir);
      return;
    }
    let scoped = rules;
    if (honourGitignore && entries.some((e) => e.name === '.gitignore' && e.isFile())) {
      try {
        scoped = [
          ...rules,
          { base: dir, ig: ignore().add(fs.readFileSync(path.join(dir, '.gitignore'), 'utf8')) },
        ];
      } catch {
        // an unreadable .gitignore ignores nothing
      }
    }
    for (const entry of entries) {
      if (entry.name === '.git') continue;
      const full = path.join(dir, entry.name);
      const isDir = entry.isDirectory(); // a symlink is not followed, so a link loop cannot trap the walk
      if (scoped.some(({ base, ig }) => ig.ignores(relativePosix(base, full) + (isDir ? '/' : '')))) continue;
      if (isDir) visit(full, scoped);
      else if (entry.isFile()) files.push(full);
    }
  };
  visit(root, []);
  return { files, repos };
}

export interface ExcludeMatcher {
  (relative: string): boolean;
  /** The globs that have not matched any path so far. */
  unused(): string[];
}

/**
 * Exclude globs with .gitignore's meaning: a glob without a `/` matches a file or folder name at
 * any depth (`node_modules`, `*.lock`, `.env*`); a trailing `/` matches folders only; a glob with
 * a `/` is anchored at the base (`docs/**`, `/build`). A folder that matches excludes all below it.
 */
export function excludeMatcher(globs: readonly string[]): ExcludeMatcher {
  for (const glob of globs) {
    if (glob.startsWith('!')) {
      throw new UserError(
        `The exclude glob ${JSON.stringify(glob)} starts with '!': re-including paths is not supported. List only what to skip.`,
      );
    }
  }
  const used = new Set<string>();
  const matchers = globs.map((glob) => {
    const dirOnly = glob.endsWith('/');
    const body = glob.replace(/\/+$/, '');
    const anchored = body.includes('/');
    const isMatch = picomatch(body.replace(/^\//, ''), { dot: true });
    return (segments: string[]) => {
      const last = dirOnly ? segments.length - 1 : segments.length;
      for (let i = 0; i < last; i++) {
        if (anchored ? isMatch(segments.slice(0, i + 1).join('/')) : isMatch(segments[i]!)) return true;
      }
      return false;
    };
  });
  const test = ((relative: string) => {
    const segments = relative.split('/');
    let hit = false;
    matchers.forEach((matches, i) => {
      if (matches(segments)) {
        hit = true;
        used.add(globs[i]!);
      }
    });
    return hit;
  }) as ExcludeMatcher;
  test.unused = () => globs.filter((g) => !used.has(g));
  return test;
}

export interface ListOptions {
  /** The folder to list (absolute, real). */
  root: string;
  exclude: readonly string[];
  reporter: Reporter;
  /** The git command. Default `git`. */
  git?: string;
  /** Outside a work tree, the folder paths are relative to. Default: the root. */
  baseOutsideGit?: string;
}

export async function listFiles(options: ListOptions): Promise<FileListing> {
  const root = fs.realpathSync(options.root);
  const git = options.git ?? 'git';
  const top = await gitTopLevel(git, root, options.reporter);
  const source: FileListing['source'] = top !== undefined ? 'git' : 'walk';
  let files: string[];
  if (top !== undefined) {
    files = await gitList(git, root, options.reporter);
  } else {
    const walked = walk(root, insideWorkTree(root));
    files = walked.files;
    for (const repo of walked.repos) files.push(...(await nestedList(git, repo, options.reporter, 1)));
  }
  const base = top ?? options.baseOutsideGit ?? root;
  const isExcluded = excludeMatcher(options.exclude);
  const kept: string[] = [];
  let excluded = 0;
  for (const file of files) {
    const rel = relativePosix(base, file);
    if (rel.split('/').includes('.git')) continue;
    if (isExcluded(rel)) excluded++;
    else kept.push(file);
  }
  kept.sort();
  return { files: kept, source, base, excluded, unusedExcludes: isExcluded.unused() };
}

/** The repository root a single file belongs to, if it is in a work tree. */
export async function baseForFile(
  file: string,
  reporter: Reporter,
  git = 'git',
): Promise<string | undefined> {
  return gitTopLevel(git, path.dirname(fs.realpathSync(file)), reporter);
}
