import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { recordingReporter } from '../../src/core/reporter.js';
import { excludeMatcher, listFiles } from '../../src/secrets-scan/files.js';
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

describe('listFiles in a git work tree', () => {
  const root = tmpDir();
  writeTree(root, tree);
  gitInit(root);
  git(root, 'add', '.');
  // A file committed before it was ignored is still in the repository: it must be scanned.
  writeTree(root, { 'secrets.log': 'committed before .gitignore covered it' });
  git(root, 'add', '-f', 'secrets.log');
  git(root, 'commit', '-qm', 'init');
  writeTree(root, { 'untracked.txt': 'x', 'also-ignored.log': 'x' });

  it('lists tracked and untracked files, honouring every .gitignore, and never .git/', async () => {
    const listing = await listFiles({ root, base: root, exclude: [], reporter: recordingReporter() });
    expect(listing.source).toBe('git');
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

  it('lists only the folder asked for, with excludes matched against base-relative paths', async () => {
    const listing = await listFiles({
      root: path.join(root, 'src'),
      base: root,
      exclude: ['src/*.ts'],
      reporter: recordingReporter(),
    });
    expect(rel(root, listing.files)).toEqual(['src/.env']);
    expect(listing.excluded).toBe(1);
  });

  it('falls back to walking, still honouring .gitignore, when git cannot be run', async () => {
    const listing = await listFiles({
      root,
      base: root,
      exclude: [],
      reporter: recordingReporter(),
      git: 'no-such-git',
    });
    expect(listing.source).toBe('walk');
    expect(rel(root, listing.files)).toEqual([
      '.gitignore',
      'docs/.gitignore',
      'docs/readme.md',
      'src/.env',
      'src/app.ts',
      'untracked.txt',
      'vendor/lib.js',
    ]);
  });
});

describe('listFiles outside a work tree', () => {
  it('walks everything: a .gitignore means nothing outside git', async () => {
    const root = tmpDir();
    writeTree(root, tree);
    fs.mkdirSync(path.join(root, 'nested-repo-like', '.git'), { recursive: true });
    writeTree(root, { 'nested-repo-like/.git/config': 'x' });
    const listing = await listFiles({
      root,
      base: root,
      exclude: ['vendor/'],
      reporter: recordingReporter(),
    });
    expect(listing.source).toBe('walk');
    expect(rel(root, listing.files)).toContain('build/out.js');
    expect(rel(root, listing.files)).toContain('debug.log');
    expect(rel(root, listing.files)).not.toContain('vendor/lib.js');
    expect(rel(root, listing.files).some((f) => f.includes('.git/'))).toBe(false);
  });
});

describe('excludeMatcher', () => {
  it.each([
    [['*.lock'], 'deep/dir/yarn.lock', true],
    [['*.lock'], 'deep/dir/yarn.locked', false],
    [['testdata/**'], 'testdata/a/b.txt', true],
    [['testdata/**'], 'src/testdata/b.txt', false],
    [['**/testdata/**'], 'src/testdata/b.txt', true],
    [['vendor/'], 'vendor/x/y.js', true],
    [['.env*'], 'config/.env.local', true],
    [[], 'anything', false],
  ])('%j matches %s: %s', (globs, p, expected) => {
    expect(excludeMatcher(globs)(p)).toBe(expected);
  });
});
