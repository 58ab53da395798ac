/**
 * The pre-commit hook, end to end: `imagepipe install-hooks` writes it, then a real `git commit`
 * runs the built CLI (dist/cli/index.js) on the staged changes.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { parse } from 'yaml';
import type { CliIo } from '../../src/cli/io.js';
import { HOOK_MARKER, hookScript, installHooks, shQuote } from '../../src/cli/install-hooks.js';
import { main } from '../../src/cli/main.js';
import { PLANTED } from '../helpers/planted.js';
import { git, gitInit, tmpDir, writeTree } from '../helpers/tmp.js';

const CLI = path.resolve('dist/cli/index.js');

function commit(repo: string, message: string) {
  return spawnSync('git', ['commit', '-q', '-m', message], {
    cwd: repo,
    encoding: 'utf8',
    env: {
      ...process.env,
      GIT_AUTHOR_NAME: 'Test',
      GIT_AUTHOR_EMAIL: 'test@example.invalid',
      GIT_COMMITTER_NAME: 'Test',
      GIT_COMMITTER_EMAIL: 'test@example.invalid',
      HOME: repo,
    },
  });
}

async function cli(args: string[], cwd: string) {
  let stderr = '';
  const io: CliIo = { stdout: () => undefined, stderr: (t) => void (stderr += t), cwd, env: {} };
  return { code: await main(args, io), stderr };
}

describe('the pre-commit hook', () => {
  it('blocks a commit that adds a secret, says where and how to allow it, and lets a clean one through', async () => {
    const repo = tmpDir();
    gitInit(repo);
    const { file } = await installHooks({ cwd: repo, cli: CLI });
    expect(fs.statSync(file).mode & 0o111).not.toBe(0);

    writeTree(repo, { 'README.md': '# ok\n' });
    git(repo, 'add', '-A');
    expect(commit(repo, 'clean').status).toBe(0);

    writeTree(repo, { 'deploy.sh': `#!/bin/sh\nexport GITHUB_TOKEN=${PLANTED.githubPat}\n` });
    git(repo, 'add', '-A');
    const blocked = commit(repo, 'leak');
    expect(blocked.status).not.toBe(0);
    const out = blocked.stdout + blocked.stderr;
    expect(out).toContain('deploy.sh:2:');
    expect(out).toContain('github-pat');
    expect(out).toContain('ghp_…(40 chars)');
    expect(out).toContain('imagepipe:allow');
    expect(out).not.toContain(PLANTED.githubPat);
    expect(git(repo, 'rev-list', '--count', 'HEAD').trim()).toBe('1');

    writeTree(repo, {
      'deploy.sh': `#!/bin/sh\nexport GITHUB_TOKEN=${PLANTED.githubPat} # imagepipe:allow revoked\n`,
    });
    git(repo, 'add', '-A');
    expect(commit(repo, 'allowed').status).toBe(0);
  });

  it('respects core.hooksPath, replaces its own hook, and keeps a foreign one unless forced', async () => {
    const repo = tmpDir();
    gitInit(repo);
    git(repo, 'config', 'core.hooksPath', '.githooks');
    const first = await installHooks({ cwd: repo, cli: CLI });
    expect(first.file).toBe(path.join(repo, '.githooks', 'pre-commit'));
    await installHooks({ cwd: repo, cli: CLI });
    fs.writeFileSync(first.file, '#!/bin/sh\necho mine\n');
    await expect(installHooks({ cwd: repo, cli: CLI })).rejects.toThrow(/already exists .* --force/);
    const forced = await installHooks({ cwd: repo, cli: CLI, force: true });
    expect(fs.readFileSync(forced.backup!, 'utf8')).toContain('echo mine');
    expect(fs.readFileSync(forced.file, 'utf8')).toContain(HOOK_MARKER);
  });

  it('is a clear error outside git, through the CLI', async () => {
    const r = await cli(['install-hooks'], tmpDir());
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^error: install-hooks needs a git repository/);
  });

  it('quotes paths for sh', () => {
    expect(shQuote(`/a b/it's`)).toBe(`'/a b/it'\\''s'`);
    const script = hookScript('/usr/bin/node', `/tmp/it's here/cli.js`);
    const r = spawnSync('sh', ['-n'], { input: script });
    expect(r.status).toBe(0);
  });
});

describe('.pre-commit-hooks.yaml', () => {
  it('runs our CLI’s staged scan through the package’s bin', async () => {
    const [hook] = parse(fs.readFileSync('.pre-commit-hooks.yaml', 'utf8')) as Record<string, unknown>[];
    expect(hook).toMatchObject({ id: 'imagepipe-secrets-scan', language: 'node', pass_filenames: false });
    const [bin, ...args] = String(hook!.entry).split(' ');
    expect(Object.keys(JSON.parse(fs.readFileSync('package.json', 'utf8')).bin)).toContain(bin);
    const repo = tmpDir();
    gitInit(repo);
    writeTree(repo, { 'k.env': `AWS_ACCESS_KEY_ID=${PLANTED.awsKeyId}\n` });
    git(repo, 'add', '-A');
    expect((await cli(args, repo)).code).toBe(1);
  });
});
