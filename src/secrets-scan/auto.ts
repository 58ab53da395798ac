/**
 * `mode: auto`: what a workflow run should scan. On a pull request, its commits; on a push, the
 * pushed commits (a new branch: what it adds to the default branch; a force push: what is new
 * since the old tip); anything else, the working tree. actions/checkout fetches one commit by
 * default, so the commits a range needs are fetched and the clone deepened until the range's
 * merge base is there, instead of failing with `ambiguous argument`.
 */
import * as fs from 'node:fs';
import { UserError, errorMessage } from '../core/errors.js';
import { execFile } from '../core/exec.js';
import type { Reporter } from '../core/reporter.js';
import { plural } from '../core/text.js';
import { GIT_READ } from '../core/files.js';

export type ScanPlan =
  | { mode: 'tree'; reason: string }
  | {
      mode: 'history';
      logArgs: string[];
      description: string;
      /** A range that may rightly hold no commit (a new branch at an existing commit). */
      allowEmpty: boolean;
    }
  | { mode: 'nothing'; reason: string };

const ZERO = /^0+$/;

interface PushEvent {
  before?: string;
  after?: string;
  ref?: string;
  created?: boolean;
  deleted?: boolean;
  forced?: boolean;
  commits?: { id?: string }[];
  repository?: { default_branch?: string };
}

interface PullRequestEvent {
  pull_request?: { base?: { sha?: string; ref?: string }; head?: { sha?: string }; commits?: number };
}

function readEvent(env: NodeJS.ProcessEnv): unknown {
  const file = env.GITHUB_EVENT_PATH;
  if (!file) return undefined;
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (error) {
    throw new UserError(
      `Could not read the workflow event (GITHUB_EVENT_PATH=${file}): ${errorMessage(error)}.`,
    );
  }
}

async function git(root: string, args: string[], reporter?: Reporter) {
  const result = await execFile('git', [...GIT_READ, ...args], {
    cwd: root,
    silent: true,
    okExitCodes: 'any',
  });
  if (reporter && result.exitCode !== 0) reporter.debug(`git ${args.join(' ')}: ${result.stderr.trim()}`);
  return result;
}

const hasCommit = async (root: string, sha: string) =>
  (await git(root, ['cat-file', '-e', `${sha}^{commit}`])).exitCode === 0;

const isShallow = async (root: string) =>
  (await git(root, ['rev-parse', '--is-shallow-repository'])).stdout.trim() === 'true';

const FETCH = ['fetch', '--no-tags', '--no-recurse-submodules', '--quiet'];

/**
 * Makes `base..head` computable: both commits present and, in a shallow clone, enough history
 * that their merge base is there. Fetches by SHA from origin (GitHub allows it), then deepens
 * both sides, doubling, and unshallows as a last resort. Returns false when a commit cannot be had.
 */
export async function ensureRange(root: string, shas: string[], reporter: Reporter): Promise<boolean> {
  const shallow = await isShallow(root);
  for (const sha of shas) {
    if (await hasCommit(root, sha)) continue;
    reporter.info(`Fetching ${sha.slice(0, 12)} from origin`);
    await git(root, [...FETCH, ...(shallow ? ['--depth=1'] : []), 'origin', sha], reporter);
    if (!(await hasCommit(root, sha))) return false;
  }
  if (shas.length < 2 || !(await isShallow(root))) return true;
  for (const depth of [32, 128, 512, 2048]) {
    if ((await git(root, ['merge-base', ...shas])).exitCode === 0) return true;
    reporter.info(`Deepening the shallow clone by ${depth} commits to find where the range starts`);
    await git(root, [...FETCH, `--deepen=${depth}`, 'origin', ...shas], reporter);
  }
  if ((await git(root, ['merge-base', ...shas])).exitCode === 0) return true;
  reporter.info('Fetching the whole history to find where the range starts');
  await git(root, [...FETCH, '--unshallow', 'origin'], reporter);
  return true; // unrelated histories have no merge base: `base..head` is still right on a full clone
}

/** The scan a workflow event calls for. */
export async function planAuto(root: string, env: NodeJS.ProcessEnv, reporter: Reporter): Promise<ScanPlan> {
  const name = env.GITHUB_EVENT_NAME;
  if (name === 'pull_request' || name === 'pull_request_target') {
    const pr = (readEvent(env) as PullRequestEvent | undefined)?.pull_request;
    const base = pr?.base?.sha;
    const head = pr?.head?.sha;
    if (!base || !head)
      throw new UserError(`The ${name} event has no pull_request.base.sha and head.sha to scan.`);
    if (!(await ensureRange(root, [base, head], reporter))) {
      throw new UserError(
        `Could not fetch the pull request's commits (${base.slice(0, 12)}..${head.slice(0, 12)}) from origin. Check out with actions/checkout (fetch-depth: 0) and keep persist-credentials on.`,
      );
    }
    return {
      mode: 'history',
      logArgs: [`${base}..${head}`],
      description: `the pull request's ${pr.commits !== undefined ? plural(pr.commits, 'commit') : 'commits'} (${base.slice(0, 12)}..${head.slice(0, 12)})`,
      allowEmpty: false,
    };
  }
  if (name === 'push') {
    const event = (readEvent(env) as PushEvent | undefined) ?? {};
    const { before = '', after = '' } = event;
    if (event.deleted || ZERO.test(after) || !after) {
      return {
        mode: 'nothing',
        reason: `The push deleted ${event.ref ?? 'a ref'}: there is no commit to scan.`,
      };
    }
    const listed = (event.commits ?? []).map((c) => c.id).filter((id): id is string => Boolean(id));
    const fallback = async (why: string): Promise<ScanPlan> => {
      if (listed.length === 0)
        throw new UserError(`${why}, and the push event lists no commits to scan instead.`);
      reporter.warning(
        `${why}; scanning the ${plural(listed.length, 'commit')} the push event lists instead.`,
      );
      await ensureRange(root, listed, reporter);
      return {
        mode: 'history',
        logArgs: ['--no-walk', ...listed],
        description: `the ${plural(listed.length, 'pushed commit')}`,
        allowEmpty: false,
      };
    };
    if (event.created || ZERO.test(before) || !before) {
      const branch = event.repository?.default_branch;
      const ref = event.ref ?? '';
      if (!branch || ref === `refs/heads/${branch}`) {
        // The default branch itself was created (a new repository): all of its history is new.
        if (!(await ensureRange(root, [after], reporter)))
          return fallback(`Could not fetch ${after.slice(0, 12)}`);
        if (await isShallow(root)) await git(root, [...FETCH, '--unshallow', 'origin'], reporter);
        return {
          mode: 'history',
          logArgs: [after],
          description: `the new branch ${ref} (all its history)`,
          allowEmpty: false,
        };
      }
      const fetched = await git(
        root,
        [
          ...FETCH,
          ...((await isShallow(root)) ? ['--depth=1'] : []),
          'origin',
          `+refs/heads/${branch}:refs/remotes/origin/${branch}`,
        ],
        reporter,
      );
      const baseSha = (
        await git(root, ['rev-parse', '--verify', '--quiet', `refs/remotes/origin/${branch}^{commit}`])
      ).stdout.trim();
      if (fetched.exitCode !== 0 || !baseSha || !(await ensureRange(root, [baseSha, after], reporter))) {
        return fallback(
          `Could not fetch the default branch ${branch} to see what the new branch ${ref} adds`,
        );
      }
      return {
        mode: 'history',
        logArgs: [`${baseSha}..${after}`],
        description: `the commits the new branch ${ref} adds to ${branch}`,
        allowEmpty: true,
      };
    }
    if (!(await ensureRange(root, [before, after], reporter))) {
      return fallback(
        `Could not fetch the commit before the push (${before.slice(0, 12)})${event.forced ? ': a force push may have made it unreachable' : ''}`,
      );
    }
    return {
      mode: 'history',
      logArgs: [`${before}..${after}`],
      description: `the pushed commits (${before.slice(0, 12)}..${after.slice(0, 12)}${event.forced ? ', a force push' : ''})`,
      allowEmpty: false,
    };
  }
  return {
    mode: 'tree',
    reason: name
      ? `a ${name} event has no commit range: scanning the working tree`
      : 'not in a workflow run: scanning the working tree',
  };
}
