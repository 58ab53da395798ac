/** History, staged and auto scans against real git repositories. */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { recordingReporter } from '../../src/core/reporter.js';
import { parseLogOpts, scanHistory, scanStaged } from '../../src/secrets-scan/history.js';
import { ruleSetup } from '../../src/secrets-scan/ruleset.js';
import { runScan } from '../../src/secrets-scan/run-scan.js';
import { PLANTED } from '../helpers/planted.js';
import { git, gitInit, tmpDir, writeTree } from '../helpers/tmp.js';

const setup = ruleSetup();
const options = (repo: string) => ({ repo, setup, maxFileBytes: 1 << 20, reporter: recordingReporter() });
const commit = (repo: string, message: string) => {
  git(repo, 'add', '-A');
  git(repo, 'commit', '-q', '-m', message);
  return git(repo, 'rev-parse', 'HEAD').trim();
};

/** main: a clean commit, a commit adding a key id, one deleting it, one renaming the file. */
function leakyRepo() {
  const repo = tmpDir();
  gitInit(repo);
  writeTree(repo, { 'README.md': '# app\n', 'config/app.env': 'REGION=eu-west-1\n' });
  const clean = commit(repo, 'start');
  writeTree(repo, { 'config/app.env': `REGION=eu-west-1\nAWS_ACCESS_KEY_ID=${PLANTED.awsKeyId}\n` });
  const leak = commit(repo, 'add credentials');
  writeTree(repo, { 'config/app.env': 'REGION=eu-west-1\n' });
  const fix = commit(repo, 'remove credentials');
  git(repo, 'mv', 'config/app.env', 'config/prod.env');
  const moved = commit(repo, 'rename');
  return { repo, clean, leak, fix, moved };
}

describe('history mode', () => {
  it('finds a secret added and later deleted, in the commit and path that added it', async () => {
    const { repo, leak } = leakyRepo();
    const result = await scanHistory(options(repo));
    expect(result.stats).toMatchObject({ source: 'history', commitsScanned: 4 });
    expect(result.findings).toHaveLength(1);
    expect(result.findings[0]).toMatchObject({
      ruleId: 'aws-access-key-id',
      path: 'config/app.env',
      line: 2,
      column: 19,
      commit: { sha: leak, author: 'Test', email: 'test@example.invalid' },
    });
    expect(result.findings[0]!.commit!.date).toMatch(/^\d{4}-\d\d-\d\dT/);
  });

  it('scans only the range it is given', async () => {
    const { repo, clean, leak, fix } = leakyRepo();
    expect((await scanHistory({ ...options(repo), logArgs: [`${fix}..HEAD`] })).findings).toEqual([]);
    const result = await scanHistory({ ...options(repo), logArgs: parseLogOpts(`${clean}..${leak}`) });
    expect(result.stats.commitsScanned).toBe(1);
    expect(result.findings.map((f) => f.commit?.sha)).toEqual([leak]);
  });

  it('reads a bare mirror', async () => {
    const { repo } = leakyRepo();
    const bare = path.join(tmpDir(), 'mirror.git');
    git(repo, 'clone', '-q', '--mirror', repo, bare);
    expect((await scanHistory(options(bare))).findings.map((f) => f.ruleId)).toEqual(['aws-access-key-id']);
  });

  it('is a clear error outside git, for an unknown revision, and for a range with no commit', async () => {
    const plain = tmpDir();
    await expect(scanHistory(options(plain))).rejects.toThrow(/needs a git repository.*--mode tree/s);
    const { repo } = leakyRepo();
    await expect(scanHistory({ ...options(repo), logArgs: ['nosuch..HEAD'] })).rejects.toThrow(
      /git log failed for git log nosuch\.\.HEAD: .*fetch-depth: 0/s,
    );
    await expect(scanHistory({ ...options(repo), logArgs: ['HEAD..HEAD'] })).rejects.toThrow(
      /No commit to scan in git log HEAD\.\.HEAD: .* not a pass/,
    );
  });

  it('refuses git log options that would write files or change the output', () => {
    expect(parseLogOpts('--all --since=2024-01-01 -n5 main..dev -- src')).toEqual([
      '--all',
      '--since=2024-01-01',
      '-n5',
      'main..dev',
      '--',
      'src',
    ]);
    expect(() => parseLogOpts('--output=/tmp/x')).toThrow(/"--output=\/tmp\/x" is not an option .* --since/);
    expect(() => parseLogOpts('--format=%H', '--range')).toThrow(/^--range: /);
  });

  it('honours exclude globs on paths in each commit', async () => {
    const { repo } = leakyRepo();
    const result = await scanHistory({ ...options(repo), exclude: ['config/'] });
    expect(result.findings).toEqual([]);
    expect(result.stats.skippedExcluded).toBeGreaterThan(0);
  });
});

describe('staged mode', () => {
  it('scans what is staged, not what is only in the work tree', async () => {
    const repo = tmpDir();
    gitInit(repo);
    writeTree(repo, { 'a.txt': 'hello\n' });
    commit(repo, 'start');
    writeTree(repo, {
      'a.txt': `hello\ntoken = ${PLANTED.githubPat}\n`,
      'b.env': `AWS_ACCESS_KEY_ID=${PLANTED.awsKeyId}\n`,
    });
    git(repo, 'add', 'a.txt');
    const result = await scanStaged(options(path.join(repo)));
    expect(result.findings.map((f) => [f.path, f.line, f.ruleId])).toEqual([['a.txt', 2, 'github-pat']]);
    expect(result.stats).toMatchObject({ source: 'staged', filesScanned: 1 });
  });

  it('works in a repository with no commit yet', async () => {
    const repo = tmpDir();
    gitInit(repo);
    writeTree(repo, { 'k.env': `AWS_ACCESS_KEY_ID=${PLANTED.awsKeyId}\n` });
    git(repo, 'add', '-A');
    expect((await scanStaged(options(repo))).findings.map((f) => f.path)).toEqual(['k.env']);
  });
});

/** A remote with history and a shallow clone of it, as actions/checkout makes. */
function remoteAndShallowClone() {
  const { repo: origin, clean, leak, fix, moved } = leakyRepo();
  git(origin, 'config', 'uploadpack.allowAnySHA1InWant', 'true');
  const clone = path.join(tmpDir(), 'checkout');
  git(origin, 'clone', '-q', '--depth=1', `file://${origin}`, clone);
  expect(git(clone, 'rev-parse', '--is-shallow-repository').trim()).toBe('true');
  return { origin, clone, clean, leak, fix, moved };
}

function event(payload: unknown): string {
  const file = path.join(tmpDir(), 'event.json');
  fs.writeFileSync(file, JSON.stringify(payload));
  return file;
}

describe('auto mode', () => {
  const run = (target: string, env: NodeJS.ProcessEnv) =>
    runScan({ mode: 'auto', target, env, reporter: recordingReporter() });

  it('scans a pull request’s commits, fetching and deepening a shallow checkout', async () => {
    const { clone, clean, fix } = remoteAndShallowClone();
    const env = {
      GITHUB_EVENT_NAME: 'pull_request',
      GITHUB_EVENT_PATH: event({ pull_request: { base: { sha: clean }, head: { sha: fix }, commits: 2 } }),
    };
    const result = await run(clone, env);
    expect(result.ranMode).toBe('history');
    expect(result.stats.commitsScanned).toBe(2);
    expect(result.findings.map((f) => f.ruleId)).toEqual(['aws-access-key-id']);
    expect(result.scope).toMatch(/^the pull request's 2 commits/);
  });

  it('scans a push’s range, and the listed commits when the old tip is gone', async () => {
    const { clone, leak, fix, moved } = remoteAndShallowClone();
    const push = (payload: object) =>
      run(clone, { GITHUB_EVENT_NAME: 'push', GITHUB_EVENT_PATH: event(payload) });
    const ranged = await push({ before: fix, after: moved, ref: 'refs/heads/main' });
    expect([ranged.stats.commitsScanned, ranged.findings.length]).toEqual([1, 0]);
    const forced = await push({
      before: 'f'.repeat(40),
      after: moved,
      forced: true,
      commits: [{ id: leak }, { id: moved }],
    });
    expect(forced.stats.commitsScanned).toBe(2);
    expect(forced.findings.map((f) => f.commit?.sha)).toEqual([leak]);
  });

  it('scans what a new branch adds to the default branch', async () => {
    const { origin } = remoteAndShallowClone();
    git(origin, 'checkout', '-q', '-b', 'feature');
    writeTree(origin, { 'feature.env': `GITHUB_TOKEN=${PLANTED.githubPat}\n` });
    const tip = commit(origin, 'feature work');
    const clone = path.join(tmpDir(), 'feature');
    git(origin, 'clone', '-q', '--depth=1', '--branch', 'feature', `file://${origin}`, clone);
    const result = await run(clone, {
      GITHUB_EVENT_NAME: 'push',
      GITHUB_EVENT_PATH: event({
        before: '0'.repeat(40),
        after: tip,
        created: true,
        ref: 'refs/heads/feature',
        repository: { default_branch: 'main' },
      }),
    });
    expect(result.stats.commitsScanned).toBe(1);
    expect(result.findings.map((f) => f.path)).toEqual(['feature.env']);
  });

  it('says a deleted branch has nothing to scan, and scans the tree for other events', async () => {
    const { clone } = remoteAndShallowClone();
    const deleted = await run(clone, {
      GITHUB_EVENT_NAME: 'push',
      GITHUB_EVENT_PATH: event({
        before: 'a'.repeat(40),
        after: '0'.repeat(40),
        deleted: true,
        ref: 'refs/heads/x',
      }),
    });
    expect(deleted.ranMode).toBe('nothing');
    const manual = await run(clone, { GITHUB_EVENT_NAME: 'workflow_dispatch' });
    expect(manual.ranMode).toBe('tree');
    expect(manual.stats.filesScanned).toBe(2);
  });
});
