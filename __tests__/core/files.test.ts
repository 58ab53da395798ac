import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { recordingReporter } from '../../src/core/reporter.js';
import { excludeMatcher, listFiles } from '../../src/core/files.js';
import { git, gitInit, tmpDir, writeTree } from '../helpers/tmp.js';

const rel = (root: string, files: string[]) =>
  files.map((f) => path.relative(root, f).split(path.sep).join('/'));

const tree = {
  '.gitignore': 'build/\n*.log\n',
  'src/app.ts': 'x',
  'src/.env': 'x',
  'build/out.js': 'x',
  'debug.log': 'x',
  'docs/.gitignore': 'draft.md\n',
  'docs/draft.md': 'x',
  'docs/readme.md': 'x',
  'vendor/lib.js': 'x',
};

/** A repository with a tracked file that a later .gitignore covers, and untracked files. */
function makeRepo(): string {
  const root = tmpDir();
  writeTree(root, tree);
  gitInit(root);
  git(root, 'add', '.');
  writeTree(root, { 'secrets.log': 'committed before .gitignore covered it' });
  git(root, 'add', '-f', 'secrets.log');
  git(root, 'commit', '-qm', 'init');
  writeTree(root, { 'untracked.txt': 'x', 'also-ignored.log': 'x' });
  return root;
}

describe('listFiles in a git work tree', () => {
  const root = makeRepo();

  it('lists tracked and untracked files, honouring every .gitignore, and never .git/', async () => {
    const listing = await listFiles({ root, exclude: [], reporter: recordingReporter() });
    expect(listing).toMatchObject({ source: 'git', base: root, unusedExcludes: [] });
    expect(rel(root, listing.files)).toEqual([
      '.gitignore',
      'docs/.gitignore',
      'docs/readme.md',
      'secrets.log',
      'src/.env',
      'src/app.ts',
      'untracked.txt',
      'vendor/lib.js',
    ]);
  });

  it('lists only the folder asked for; the base stays the repository root', async () => {
    const listing = await listFiles({
      root: path.join(root, 'src'),
      exclude: ['src/*.ts', 'nothing/**'],
      reporter: recordingReporter(),
    });
    expect(listing.base).toBe(root);
    expect(rel(root, listing.files)).toEqual(['src/.env']);
    expect(listing.excluded).toBe(1);
    expect(listing.unusedExcludes).toEqual(['nothing/**']);
  });

  it('falls back to walking, still honouring .gitignore, and says so, when git cannot be run', async () => {
    const reporter = recordingReporter();
    const listing = await listFiles({ root, exclude: [], reporter, git: 'no-such-git' });
    expect(listing.source).toBe('walk');
    expect(rel(root, listing.files)).not.toContain('secrets.log');
    expect(rel(root, listing.files)).toContain('src/.env');
    expect(rel(root, listing.files)).not.toContain('debug.log');
    expect(reporter.lines).toContainEqual(
      expect.stringMatching(/^warning: Could not run no-such-git: .* walking the folder instead/),
    );
  });

  it('lists the files of submodules and of untracked repositories inside the work tree', async () => {
    const outer = makeRepo();
    const sub = tmpDir();
    writeTree(sub, { 'inner.txt': 'x' });
    gitInit(sub);
    git(sub, 'add', '.');
    git(sub, 'commit', '-qm', 'sub');
    git(outer, '-c', 'protocol.file.allow=always', 'submodule', 'add', '-q', sub, 'mod');
    git(outer, 'commit', '-qm', 'add submodule');
    const nested = path.join(outer, 'nested');
    fs.mkdirSync(nested);
    gitInit(nested);
    writeTree(nested, { 'n.txt': 'x' });
    const listing = await listFiles({ root: outer, exclude: [], reporter: recordingReporter() });
    expect(rel(outer, listing.files)).toEqual(
      expect.arrayContaining(['mod/inner.txt', 'nested/n.txt', '.gitmodules']),
    );
    expect(rel(outer, listing.files).some((f) => f === 'mod' || f === 'nested')).toBe(false);
  });

  it('walks a nested repository git cannot read, and says so, instead of failing the scan', async () => {
    const outer = makeRepo();
    const broken = path.join(outer, 'fixtures', 'broken');
    fs.mkdirSync(broken, { recursive: true });
    gitInit(broken);
    git(broken, 'config', 'core.repositoryformatversion', '1');
    git(broken, 'config', 'extensions.bogus', 'true');
    writeTree(broken, { 'b.txt': 'x' });
    const reporter = recordingReporter();
    const listing = await listFiles({ root: outer, exclude: [], reporter });
    expect(rel(outer, listing.files)).toEqual(expect.arrayContaining(['fixtures/broken/b.txt', 'src/.env']));
    expect(reporter.lines).toContainEqual(
      expect.stringMatching(
        /^warning: git could not list the repository at .*broken .*; walking it instead\.$/,
      ),
    );
  });

  it('makes paths inside a submodule relative to the superproject', async () => {
    const outer = makeRepo();
    const sub = tmpDir();
    writeTree(sub, { 'inner.txt': 'x' });
    gitInit(sub);
    git(sub, 'add', '.');
    git(sub, 'commit', '-qm', 'sub');
    git(outer, '-c', 'protocol.file.allow=always', 'submodule', 'add', '-q', sub, 'lib');
    const listing = await listFiles({
      root: path.join(outer, 'lib'),
      exclude: [],
      reporter: recordingReporter(),
    });
    expect(listing.base).toBe(outer);
    expect(rel(outer, listing.files)).toEqual(['lib/inner.txt']);
  });

  // Only root can give a folder to another user; CI runs as root.
  if (process.getuid?.() === 0) {
    it("reads a repository owned by another user, as in a container job, without git's refusal", async () => {
      const other = makeRepo();
      execFileSync('chown', ['-R', 'nobody', other]);
      const reporter = recordingReporter();
      const listing = await listFiles({ root: other, exclude: [], reporter });
      expect(listing.source).toBe('git');
      expect(rel(other, listing.files)).toContain('secrets.log');
      expect(reporter.lines.filter((l) => l.startsWith('warning'))).toEqual([]);
    });
  }
});

describe('listFiles outside a work tree', () => {
  it('walks everything, relative to the folder: a .gitignore means nothing outside git', async () => {
    const root = tmpDir();
    writeTree(root, tree);
    writeTree(root, { 'not-a-repo/.git/config': 'x', 'not-a-repo/file.txt': 'x' });
    fs.symlinkSync(root, path.join(root, 'loop'));
    const listing = await listFiles({ root, exclude: ['vendor/'], reporter: recordingReporter() });
    expect(listing).toMatchObject({ source: 'walk', base: root });
    const files = rel(root, listing.files);
    expect(files).toEqual(expect.arrayContaining(['build/out.js', 'debug.log', 'not-a-repo/file.txt']));
    expect(files).not.toContain('vendor/lib.js');
    expect(files.some((f) => f.includes('.git/') || f.startsWith('loop'))).toBe(false);
  });
});

describe('listFiles in a folder that is not a repository but holds one', () => {
  it('lists the repository by git (its .gitignore honoured), relative to the base asked for', async () => {
    const workspace = tmpDir();
    const repo = makeRepo();
    fs.renameSync(repo, path.join(workspace, 'checkout'));
    writeTree(workspace, { 'outside.txt': 'x' });
    const listing = await listFiles({ root: workspace, exclude: [], reporter: recordingReporter() });
    const files = rel(workspace, listing.files);
    expect(files).toEqual(
      expect.arrayContaining(['outside.txt', 'checkout/secrets.log', 'checkout/src/.env']),
    );
    expect(files).not.toContain('checkout/debug.log');
    expect(files).not.toContain('checkout/build/out.js');
  });
});

describe('excludeMatcher: .gitignore meaning', () => {
  it("refuses a '!' glob: re-including is not supported", () => {
    expect(() => excludeMatcher(['!keep.env'])).toThrow(/The exclude glob "!keep.env" starts with '!'/);
  });

  it.each([
    [['*.lock'], 'deep/dir/yarn.lock', true],
    [['*.lock'], 'deep/dir/yarn.locked', false],
    [['node_modules'], 'a/node_modules/x/index.js', true],
    [['node_modules'], 'node_modules', true],
    [['node_modules/'], 'a/b/node_modules/x.js', true],
    [['node_modules/'], 'a/node_modules', false],
    [['testdata/**'], 'testdata/a/b.txt', true],
    [['testdata/**'], 'src/testdata/b.txt', false],
    [['**/testdata/**'], 'src/testdata/b.txt', true],
    [['/build'], 'build/out.js', true],
    [['/build'], 'src/build/out.js', false],
    [['vendor/x'], 'vendor/x/y/z.js', true],
    [['**/*.{env,txt}'], 'config/app.env', true],
    [['.env*'], 'config/.env.local', true],
    [[], 'anything', false],
  ])('%j matches %s: %s', (globs, p, expected) => {
    expect(excludeMatcher(globs)(p)).toBe(expected);
  });

  it('remembers which globs never matched', () => {
    const m = excludeMatcher(['*.lock', 'typo/**']);
    m('a/yarn.lock');
    m('src/x.ts');
    expect(m.unused()).toEqual(['typo/**']);
  });
});
