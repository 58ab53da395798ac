/**
 * Which files a tree scan reads. Inside a git work tree, git itself says (`git ls-files --cached
 * --others --exclude-standard`): tracked files, even ones a later .gitignore covers (a committed
 * `.env` is still leaked), plus untracked files that are not ignored, honouring every .gitignore,
 * `.git/info/exclude` and the global excludes exactly as git does. Outside a work tree, or without
 * git, the tree is walked and any .gitignore files are honoured through the `ignore` package.
 * Either way `.git/` and the user's exclude globs are skipped.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import ignore, { type Ignore } from 'ignore';
import picomatch from 'picomatch';
import { execFile } from '../core/exec.js';
import type { Reporter } from '../core/reporter.js';

export interface FileListing {
  /** Absolute paths of regular files, sorted. */
  files: string[];
  source: 'git' | 'walk';
  /** Files dropped by the exclude globs. */
  excluded: number;
}

/** Whether `dir` is inside a git work tree, and git can list it. Returns the top level. */
async function gitTopLevel(git: string, dir: string, reporter: Reporter): Promise<string | undefined> {
  try {
    const result = await execFile(git, ['rev-parse', '--show-toplevel'], {
      cwd: dir,
      silent: true,
      okExitCodes: 'any',
    });
    if (result.exitCode !== 0) return undefined;
    return result.stdout.trim() || undefined;
  } catch (error) {
    reporter.debug(`git is not usable here (${String(error)}); walking the tree instead`);
    return undefined;
  }
}

async function gitFiles(git: string, root: string): Promise<string[]> {
  const result = await execFile(
    git,
    ['-c', 'core.quotePath=off', 'ls-files', '-z', '--cached', '--others', '--exclude-standard', '--', '.'],
    { cwd: root, silent: true },
  );
  const unique = new Set(result.stdout.split('\0').filter((p) => p !== ''));
  return [...unique].map((p) => path.join(root, p));
}

/** A plain walk that honours .gitignore files met on the way down (when `honourGitignore`). */
function walk(root: string, honourGitignore: boolean): string[] {
  const out: string[] = [];
  const visit = (dir: string, rules: Array<{ base: string; ig: Ignore }>) => {
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(dir, { withFileTypes: true });
    } catch {
      return; // unreadable folder: nothing to list; the caller's counts stay honest
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
      const isDir = entry.isDirectory();
      const ignored = scoped.some(({ base, ig }) => {
        const rel = path.relative(base, full).split(path.sep).join('/');
        return ig.ignores(isDir ? `${rel}/` : rel);
      });
      if (ignored) continue;
      if (isDir) visit(full, scoped);
      else if (entry.isFile()) out.push(full);
    }
  };
  visit(root, []);
  return out;
}

/** A `.git` in the folder or an ancestor: git would honour .gitignore here. */
function insideWorkTree(dir: string): boolean {
  for (let d = dir; ; d = path.dirname(d)) {
    if (fs.existsSync(path.join(d, '.git'))) return true;
    if (path.dirname(d) === d) return false;
  }
}

export interface ListOptions {
  root: string;
  /** Exclude globs are matched against paths relative to this folder. */
  base: string;
  exclude: readonly string[];
  reporter: Reporter;
  /** The git command. Default `git`. */
  git?: string;
}

export function excludeMatcher(globs: readonly string[]): (relative: string) => boolean {
  if (globs.length === 0) return () => false;
  const matchers = globs.map((g) =>
    picomatch(g.replace(/\/$/, '/**'), { dot: true, basename: !g.includes('/') }),
  );
  return (relative) => matchers.some((m) => m(relative));
}

export async function listFiles(options: ListOptions): Promise<FileListing> {
  const root = path.resolve(options.root);
  const git = options.git ?? 'git';
  const top = await gitTopLevel(git, root, options.reporter);
  let files: string[];
  let source: FileListing['source'];
  if (top !== undefined) {
    files = await gitFiles(git, root);
    source = 'git';
  } else {
    files = walk(root, insideWorkTree(root));
    source = 'walk';
  }
  const isExcluded = excludeMatcher(options.exclude);
  const kept: string[] = [];
  let excluded = 0;
  for (const file of files) {
    const rel = path.relative(options.base, file).split(path.sep).join('/');
    if (rel.split('/').includes('.git')) continue;
    if (isExcluded(rel)) excluded++;
    else kept.push(file);
  }
  kept.sort();
  return { files: kept, source, excluded };
}
