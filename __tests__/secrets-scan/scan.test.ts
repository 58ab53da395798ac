import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { recordingReporter } from '../../src/core/reporter.js';
import { isBinary } from '../../src/secrets-scan/file-scan.js';
import { scanTree } from '../../src/secrets-scan/scan.js';
import { PLANTED, plantedTree } from '../helpers/planted.js';
import { gitInit, tmpDir, writeTree } from '../helpers/tmp.js';

describe('scanTree', () => {
  it('finds the planted secrets, skipping binary and oversized files', async () => {
    const root = tmpDir();
    writeTree(root, {
      ...plantedTree(),
      'image.bin': Buffer.concat([
        Buffer.from([0x89, 0x50, 0x00, 0x01]),
        Buffer.from(`token ${PLANTED.githubPat}`),
      ]),
      'big/huge.txt': `${'a'.repeat(2 * 1024 * 1024)}\n${PLANTED.githubPat}\n`,
    });
    const reporter = recordingReporter();
    // Outside git, paths are relative to the folder scanned.
    const result = await scanTree({ root: path.join(root, 'config'), reporter });
    expect(result.base).toBe(path.join(root, 'config'));
    expect(result.findings.map((f) => f.path)).toEqual(['app.env', 'app.env', 'app.env']);

    const all = await scanTree({ root, reporter, maxFileBytes: 1024 * 1024 });
    expect(all.findings).toHaveLength(5);
    expect(all.stats).toMatchObject({
      filesScanned: 4,
      skippedBinary: 1,
      skippedTooLarge: 1,
      source: 'walk',
    });
    expect(reporter.lines).toContainEqual(
      expect.stringMatching(/^debug: skipped big\/huge\.txt: \d+ bytes is over/),
    );
  });

  it('scans a single file', async () => {
    const root = tmpDir();
    writeTree(root, plantedTree());
    gitInit(root);
    const result = await scanTree({
      root: path.join(root, 'scripts/release.sh'),
      reporter: recordingReporter(),
    });
    expect(result.stats.source).toBe('file');
    expect(result.findings.map((f) => [f.ruleId, f.path, f.line])).toEqual([
      ['github-pat', 'scripts/release.sh', 2],
    ]);
  });

  it('says so when nothing was scanned', async () => {
    const root = tmpDir();
    writeTree(root, { '.gitignore': '*\n', 'a.env': `KEY=${PLANTED.awsKeyId}\n` });
    gitInit(root);
    fs.rmSync(path.join(root, '.gitignore'));
    writeTree(root, { '.git/info/exclude': '*\n' });
    const reporter = recordingReporter();
    const result = await scanTree({ root, reporter });
    expect(result.stats.filesScanned).toBe(0);
    expect(reporter.lines).toContainEqual(
      expect.stringMatching(/^warning: No file was scanned under "\.": it is empty, or git ignores/),
    );
  });

  it('reports repo-relative paths and the same fingerprints wherever the scan starts', async () => {
    const root = tmpDir();
    writeTree(root, plantedTree());
    gitInit(root);
    const fromRoot = await scanTree({ root, reporter: recordingReporter() });
    const fromSub = await scanTree({ root: path.join(root, 'config'), reporter: recordingReporter() });
    const linked = `${root}-link`;
    fs.symlinkSync(root, linked);
    const viaLink = await scanTree({ root: path.join(linked, 'config'), reporter: recordingReporter() });
    const config = fromRoot.findings.filter((f) => f.path.startsWith('config/'));
    expect(config).toHaveLength(3);
    expect(fromSub.findings.map((f) => [f.path, f.fingerprint])).toEqual(
      config.map((f) => [f.path, f.fingerprint]),
    );
    expect(viaLink.findings.map((f) => [f.path, f.fingerprint])).toEqual(
      config.map((f) => [f.path, f.fingerprint]),
    );
  });

  it('applies excludes to a single file, and uses the base asked for outside git', async () => {
    const workspace = tmpDir();
    writeTree(workspace, plantedTree());
    const file = path.join(workspace, 'scripts/release.sh');
    const skipped = await scanTree({
      root: file,
      exclude: ['scripts/**'],
      baseOutsideGit: workspace,
      reporter: recordingReporter(),
    });
    expect(skipped.findings).toEqual([]);
    expect(skipped.stats.skippedExcluded).toBe(1);
    const sub = await scanTree({
      root: path.join(workspace, 'config'),
      baseOutsideGit: workspace,
      reporter: recordingReporter(),
    });
    expect(sub.findings.map((f) => f.path)).toEqual(['config/app.env', 'config/app.env', 'config/app.env']);
  });

  it('says which exclude globs matched nothing', async () => {
    const root = tmpDir();
    writeTree(root, plantedTree());
    const reporter = recordingReporter();
    await scanTree({ root, reporter, exclude: ['config/**', 'confg/**'] });
    expect(reporter.lines).toContain('warning: The exclude glob "confg/**" matched nothing under ".".');
  });

  it('isBinary looks for a NUL byte in the first 8000 bytes, as git does', () => {
    expect(isBinary(Buffer.from('plain text\n'))).toBe(false);
    expect(isBinary(Buffer.from([0x41, 0x00, 0x42]))).toBe(true);
    expect(isBinary(Buffer.concat([Buffer.alloc(8001, 0x41), Buffer.from([0])]))).toBe(false);
  });
});
