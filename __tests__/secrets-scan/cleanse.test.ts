/**
 * History cleansing against real git and git-filter-repo: a bare "origin" made in a temp folder,
 * mirrored, rewritten, rescanned and (when asked) pushed back.
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { UserError } from '../../src/core/errors.js';
import { recordingReporter } from '../../src/core/reporter.js';
import { cleanseHistory, replacementsFile } from '../../src/secrets-scan/cleanse.js';
import { PLANTED } from '../helpers/planted.js';
import { git, gitInit, tmpDir, writeTree } from '../helpers/tmp.js';

const REDACTED = '***REMOVED***';

function onPath(command: string): string {
  const found = (process.env.PATH ?? '')
    .split(path.delimiter)
    .map((dir) => path.join(dir, command))
    .find((file) => fs.existsSync(file));
  if (!found) throw new Error(`${command} is not on PATH; .ci/run installs it`);
  return found;
}
const join = (...parts: string[]) => parts.join('');

/** A synthetic PEM private key from a seeded generator: same text every run, no literal in source. */
function fakePrivateKey(): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
  let state = 20240607;
  const next = () => {
    state = (state * 1103515245 + 12345) % 2147483648;
    return alphabet[state % 64] ?? 'A';
  };
  const body = Array.from({ length: 6 }, () => Array.from({ length: 64 }, next).join(''));
  const kind = join('RSA PRI', 'VATE KEY');
  return [`-----BEGIN ${kind}-----`, ...body, `-----END ${kind}-----`].join('\n');
}

const KEY = fakePrivateKey();
const S = {
  aws: PLANTED.awsSecret,
  db: PLANTED.dbPassword,
  dbUrl: `postgres://app:${PLANTED.dbPassword}@db:5432`,
  key: KEY,
  keyLine: KEY.split('\n')[3] ?? '',
  meta: join('m3ta(', 'x|y)*.+?[a-z]{2}^$\\', 'Q==>w9=='),
  regexPrefixed: join('regex:', 'Kq7mP2wZ', '.*'),
  pat: PLANTED.githubPat,
};
const ALL = Object.values(S);

/**
 * origin.git: main (secrets added, then deleted), dev (secrets, one in a commit message), an
 * annotated and a lightweight tag, a note, and a GitHub-style hidden refs/pull/1/head.
 */
function makeOrigin(): { root: string; origin: string } {
  const root = tmpDir('imagepipe-cleanse-');
  const work = path.join(root, 'work');
  fs.mkdirSync(work);
  gitInit(work);
  writeTree(work, {
    'README.md': '# demo\nkeep this line\n',
    'app.py': 'print("hello")\n',
    'config.env': `AWS_SECRET_ACCESS_KEY=${S.aws}\nDATABASE_URL=${S.dbUrl}/app\nLOG_LEVEL=info\n`,
  });
  git(work, 'add', '-A');
  git(work, 'commit', '-qm', 'initial settings');
  git(work, 'notes', 'add', '-m', 'reviewed by the release team');
  writeTree(work, { 'deploy/key.pem': `${S.key}\n` });
  git(work, 'add', '-A');
  git(work, 'commit', '-qm', 'add deploy key');
  git(work, 'tag', '-a', 'v1', '-m', 'release v1');
  git(work, 'checkout', '-qb', 'dev');
  writeTree(work, {
    'notes.md': `pattern: ${S.meta}\nliteral: ${S.regexPrefixed}\nfingerprint: ${S.keyLine}\nsafe: .* stays\n`,
  });
  git(work, 'add', '-A');
  git(work, 'commit', '-qm', `add notes (token ${S.pat} revoked)`);
  git(work, 'tag', 'dev-snapshot');
  git(work, 'checkout', '-q', 'main');
  writeTree(work, { 'config.env': 'LOG_LEVEL=info\n' });
  git(work, 'commit', '-qam', 'remove credentials');
  const origin = path.join(root, 'origin.git');
  git(root, 'clone', '-q', '--bare', work, origin);
  git(work, 'push', '-q', origin, 'refs/notes/commits', 'dev:refs/pull/1/head');
  return { root, origin };
}

const refs = (repo: string) => git(repo, 'for-each-ref', '--format=%(objectname) %(refname)');
const refNames = (repo: string) => git(repo, 'for-each-ref', '--format=%(refname)').trim().split('\n');
const history = (repo: string, ...which: string[]) => git(repo, 'log', '-p', ...which);
const subjects = (repo: string, ...which: string[]) =>
  git(repo, 'log', '--format=%s', '--topo-order', ...which);

/** What the real history scanner will do, reduced to the secrets this test planted. */
const rescanFor =
  (secrets: readonly string[]) =>
  async (mirror: string): Promise<readonly string[]> => {
    const text = history(mirror, '--all');
    return secrets.filter((s) => text.includes(s));
  };

function expectNoSecretIn(text: string) {
  for (const secret of ALL) expect(text.includes(secret)).toBe(false);
  for (const line of KEY.split('\n')) expect(text.includes(line)).toBe(false);
}

describe('replacementsFile', () => {
  it('writes each secret once, longest first, as a literal or an escaped regex', () => {
    const content = replacementsFile(['abc123', join('regex:', 'x.*'), 'a==>b', 'abc123']);
    expect(content).toBe(
      [
        `literal:regex:x.*==>${REDACTED}`,
        `literal:abc123==>${REDACTED}`,
        `literal:a==>b==>${REDACTED}`,
        '',
      ].join('\n'),
    );
    const multi = replacementsFile(['line one\nline two', 'line two', 'tab\there']);
    expect(multi.split('\n')).toEqual([
      `regex:line\\ one\\x0aline\\ two==>${REDACTED}`,
      // Inside a multi-line secret, so a regex too: literals would be replaced before it.
      `regex:line\\ two==>${REDACTED}`,
      `literal:tab\there==>${REDACTED}`,
      '',
    ]);
  });

  it('refuses empty and whitespace-only secrets, naming which', () => {
    expect(() => replacementsFile([])).toThrow(/No secrets to remove/);
    expect(() => replacementsFile(['abc123', ' \n\t'])).toThrow(/Secret #2 of 2 is empty or only whitespace/);
    expect(() => replacementsFile(['abc123', ' \n\t'])).toThrow(UserError);
  });

  it("is read by git-filter-repo's own parser as intended", () => {
    const dir = tmpDir();
    const file = path.join(dir, 'replacements.txt');
    fs.writeFileSync(file, replacementsFile(ALL));
    const blob = `a ${S.meta} b ${S.regexPrefixed} c ${S.dbUrl}/x d ${S.db} e\n${S.key}\nf ${S.keyLine} .* g ${S.pat}`;
    fs.writeFileSync(path.join(dir, 'blob.txt'), blob);
    // The same steps as RepoFilter._tweak_blob in git-filter-repo 2.38.
    const script = [
      'import sys, git_filter_repo as f',
      'r = f.FilteringOptions.get_replace_text(sys.argv[1].encode())',
      'data = open(sys.argv[2], "rb").read()',
      'for lit, rep in r["literals"]: data = data.replace(lit, rep)',
      'for rx, rep in r["regexes"]: data = rx.sub(rep, data)',
      'sys.stdout.buffer.write(data)',
    ].join('\n');
    // The interpreter git-filter-repo itself runs with is the one that can import its module.
    const [python = 'python3', ...pythonArgs] = fs
      .readFileSync(onPath('git-filter-repo'), 'utf8')
      .split('\n')[0]!
      .replace(/^#!\s*/, '')
      .split(/\s+/);
    const out = execFileSync(python, [...pythonArgs, '-c', script, file, path.join(dir, 'blob.txt')], {
      encoding: 'utf8',
    });
    const R = REDACTED;
    expect(out).toBe(`a ${R} b ${R} c ${R}/x d ${R} e\n${R}\nf ${R} .* g ${R}`);
  });
});

describe('cleanseHistory', () => {
  it('rewrites a mirror without the secrets and leaves the origin alone', async () => {
    const { root, origin } = makeOrigin();
    const originRefs = refs(origin);
    const originSubjects = subjects(origin, '--all');
    const workDir = path.join(root, 'scratch');
    const reporter = recordingReporter();

    const result = await cleanseHistory({
      remote: origin,
      secrets: ALL,
      workDir,
      rescan: rescanFor(ALL),
      reporter,
    });

    const mirror = path.join(workDir, 'mirror.git');
    expect(result).toMatchObject({ mirror, remaining: 0, pushed: false, pushedRefs: [] });
    const log = history(mirror, '--all');
    expectNoSecretIn(log);
    expect(log).toContain(REDACTED);
    expect(git(mirror, 'show', 'main~2:config.env')).toBe(
      `AWS_SECRET_ACCESS_KEY=${REDACTED}\nDATABASE_URL=${REDACTED}/app\nLOG_LEVEL=info\n`,
    );
    expect(git(mirror, 'show', 'main:deploy/key.pem')).toBe(`${REDACTED}\n`);
    expect(git(mirror, 'show', 'dev:notes.md')).toBe(
      `pattern: ${REDACTED}\nliteral: ${REDACTED}\nfingerprint: ${REDACTED}\nsafe: .* stays\n`,
    );
    expect(git(mirror, 'show', 'main:README.md')).toBe('# demo\nkeep this line\n');
    expect(subjects(mirror, '--all')).toBe(originSubjects.replace(S.pat, REDACTED));

    // Every ref kept; branches, tags and the hidden pull ref rewritten.
    expect(refNames(mirror)).toEqual(refNames(origin));
    expect(result.rewrittenRefs.map((r) => r.ref).sort()).toEqual([
      'refs/heads/dev',
      'refs/heads/main',
      'refs/pull/1/head',
      'refs/tags/dev-snapshot',
      'refs/tags/v1',
    ]);
    for (const r of result.rewrittenRefs) {
      expect(originRefs).toContain(`${r.before} ${r.ref}`);
      expect(git(mirror, 'rev-parse', r.ref).trim()).toBe(r.after);
    }
    expect(git(mirror, 'remote').trim()).toBe('');

    expect(refs(origin)).toBe(originRefs);
    expect(history(origin, '--all')).toContain(S.aws);
    expect(fs.readdirSync(workDir)).toEqual(['mirror.git']);
    expectNoSecretIn(reporter.lines.join('\n'));
  });

  it('force-pushes the rewritten branches and tags, and only those', async () => {
    const { root, origin } = makeOrigin();
    const pullRef = git(origin, 'rev-parse', 'refs/pull/1/head');
    const branchSubjects = subjects(origin, '--branches', '--tags');
    const reporter = recordingReporter();

    // Relative paths: the push runs inside the mirror, so they must be resolved first.
    const result = await cleanseHistory({
      remote: path.relative(process.cwd(), origin),
      secrets: ALL,
      workDir: path.relative(process.cwd(), path.join(root, 'scratch')),
      push: true,
      rescan: rescanFor(ALL),
      reporter,
    });

    expect(result.pushed).toBe(true);
    expect(result.mirror).toBe(path.join(root, 'scratch', 'mirror.git'));
    expect([...result.pushedRefs].sort()).toEqual([
      'refs/heads/dev',
      'refs/heads/main',
      'refs/tags/dev-snapshot',
      'refs/tags/v1',
    ]);
    const log = history(origin, '--branches', '--tags');
    expectNoSecretIn(log);
    expect(log).toContain(REDACTED);
    for (const ref of result.pushedRefs) {
      expect(git(origin, 'rev-parse', ref)).toBe(git(result.mirror, 'rev-parse', ref));
    }
    expect(git(origin, 'show', 'main:README.md')).toBe('# demo\nkeep this line\n');
    expect(git(origin, 'show', 'main:app.py')).toBe('print("hello")\n');
    expect(subjects(origin, '--branches', '--tags')).toBe(branchSubjects.replace(S.pat, REDACTED));
    expect(git(origin, 'cat-file', '-p', 'v1')).toContain('release v1');
    // Never pushed: hidden refs are not ours to rewrite on the remote.
    expect(git(origin, 'rev-parse', 'refs/pull/1/head')).toBe(pullRef);
    expect(reporter.lines).toContainEqual(expect.stringMatching(/not pushed.*refs\/pull\/1\/head/));
    expectNoSecretIn(reporter.lines.join('\n'));
  });

  it('does not push while the rescan still finds a secret', async () => {
    const { root, origin } = makeOrigin();
    const originRefs = refs(origin);
    const reporter = recordingReporter();
    // The AWS secret is left out of the list, so it survives the rewrite.
    const result = await cleanseHistory({
      remote: origin,
      secrets: ALL.filter((s) => s !== S.aws),
      workDir: path.join(root, 'scratch'),
      push: true,
      rescan: rescanFor(ALL),
      reporter,
    });
    expect(result).toMatchObject({ remaining: 1, pushed: false, pushedRefs: [] });
    expect(refs(origin)).toBe(originRefs);
    expect(reporter.lines).toContainEqual(expect.stringMatching(/^error: 1 of the secrets are still in/));
  });

  it('names the refs and the likely cause when the remote rejects the push', async () => {
    const { root, origin } = makeOrigin();
    const originRefs = refs(origin);
    writeTree(origin, { 'hooks/pre-receive': '#!/bin/sh\necho "protected branch" >&2\nexit 1\n' });
    fs.chmodSync(path.join(origin, 'hooks/pre-receive'), 0o755);
    const reporter = recordingReporter();
    const run = cleanseHistory({
      remote: origin,
      secrets: ALL,
      workDir: path.join(root, 'scratch'),
      push: true,
      rescan: rescanFor(ALL),
      reporter,
    });
    await expect(run).rejects.toThrow(UserError);
    await expect(run.catch((e: Error) => e.message)).resolves.toMatch(
      /^Could not push the rewritten refs to .*origin\.git \(refs\/heads\/dev, refs\/heads\/main, refs\/tags\/dev-snapshot, refs\/tags\/v1\); rejected: refs\/heads\/dev \[remote rejected\].*protection rule.*contents: write/,
    );
    expect(refs(origin)).toBe(originRefs);
    expectNoSecretIn(reporter.lines.join('\n'));
  });

  it('refuses a work folder whose mirror target is not empty', async () => {
    const { root, origin } = makeOrigin();
    const workDir = path.join(root, 'scratch');
    writeTree(workDir, { 'mirror.git/keep.txt': 'mine\n' });
    const run = cleanseHistory({
      remote: origin,
      secrets: [S.aws],
      workDir,
      rescan: rescanFor(ALL),
      reporter: recordingReporter(),
    });
    await expect(run).rejects.toThrow(UserError);
    await expect(run).rejects.toThrow(/mirror\.git already exists and is not empty/);
    expect(fs.readFileSync(path.join(workDir, 'mirror.git/keep.txt'), 'utf8')).toBe('mine\n');
  });

  it('refuses a work folder inside a checkout', async () => {
    const { root, origin } = makeOrigin();
    const run = cleanseHistory({
      remote: origin,
      secrets: [S.aws],
      workDir: path.join(root, 'work', 'scratch'),
      rescan: rescanFor(ALL),
      reporter: recordingReporter(),
    });
    await expect(run).rejects.toThrow(/is inside the git work tree .*work: use a scratch folder/);
  });

  it('says how to install git-filter-repo when it is missing', async () => {
    const { root, origin } = makeOrigin();
    const bin = path.join(root, 'bin');
    fs.mkdirSync(bin);
    fs.symlinkSync(onPath('git'), path.join(bin, 'git'));
    const workDir = path.join(root, 'scratch');
    const run = cleanseHistory({
      remote: origin,
      secrets: [S.aws],
      workDir,
      gitEnv: { PATH: bin },
      rescan: rescanFor(ALL),
      reporter: recordingReporter(),
    });
    await expect(run).rejects.toThrow(UserError);
    await expect(run).rejects.toThrow(/git-filter-repo is required.*apt-get install git-filter-repo/);
    expect(fs.existsSync(path.join(workDir, 'mirror.git'))).toBe(false);
  });

  it('refuses credentials in the remote URL and repository variables in gitEnv', async () => {
    const base = {
      secrets: [S.aws],
      workDir: tmpDir(),
      rescan: rescanFor(ALL),
      reporter: recordingReporter(),
    };
    const withToken = `https://x-access-token:${'not-a-real-token'}@github.com/o/r.git`;
    await expect(cleanseHistory({ ...base, remote: withToken })).rejects.toThrow(
      /remote URL for github\.com carries a credential/,
    );
    await expect(
      cleanseHistory({ ...base, remote: 'https://github.com/o/r.git', gitEnv: { GIT_DIR: '/elsewhere' } }),
    ).rejects.toThrow(/gitEnv must not set GIT_DIR/);
  });
});
