import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { main } from '../../src/cli/main.js';
import type { CliIo } from '../../src/cli/io.js';
import { VERSION } from '../../src/core/version.js';
import { sarifSchemaErrors } from '../helpers/sarif-schema.js';
import { cleanTree, PLANTED, plantedTree } from '../helpers/planted.js';
import { tmpDir, writeTree } from '../helpers/tmp.js';

async function cli(args: string[], cwd: string) {
  let stdout = '';
  let stderr = '';
  const io: CliIo = { stdout: (t) => void (stdout += t), stderr: (t) => void (stderr += t), cwd, env: {} };
  const code = await main(args, io);
  return { code, stdout, stderr };
}

describe('imagepipe CLI', () => {
  const planted = tmpDir('cli-planted-');
  writeTree(planted, plantedTree());
  const clean = tmpDir('cli-clean-');
  writeTree(clean, cleanTree());

  it('--version prints the version and exits 0', async () => {
    const r = await cli(['--version'], clean);
    expect(r).toMatchObject({ code: 0, stdout: `${VERSION}\n` });
    expect(VERSION).toBe(JSON.parse(fs.readFileSync('package.json', 'utf8')).version);
  });

  it('--help lists the subcommands and exits 0', async () => {
    const r = await cli(['--help'], clean);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('secrets-scan');
    const sub = await cli(['secrets-scan', '--help'], clean);
    expect(sub.code).toBe(0);
    expect(sub.stdout).toContain('--format <format>');
    expect(sub.stdout).toContain(
      'Exit codes: 0 no secrets, 1 secrets found, 2 usage, input or internal error.',
    );
  });

  it('names the flag, the bad value and what is allowed, and points at --help', async () => {
    const r = await cli(['secrets-scan', '--max-file-size-mb', '0'], clean);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(
      "error: option '--max-file-size-mb <n>' argument '0' is invalid. expected a whole number of MiB from 1 to 1024.\n(run with --help for usage)\n",
    );
  });

  it.each([
    [['no-such-command']],
    [['secrets-scan', '--format', 'xml']],
    [['secrets-scan', '--max-file-size-mb', 'big']],
    [['secrets-scan', '--bogus']],
    [['secrets-scan', 'does/not/exist']],
  ])('%j is a usage error: exit 2 with a message', async (args) => {
    const r = await cli(args, clean);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/error/);
    expect(r.stderr).not.toMatch(/^\s+at /m);
  });

  it('secrets-scan exits 1 and prints each finding as path:line:column, redacted', async () => {
    const r = await cli(['secrets-scan', '.'], planted);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^scripts\/release\.sh:2:\d+: github-pat: .+: ghp_…\(40 chars\)$/m);
    expect(r.stdout).toContain('5 secrets found.');
    for (const secret of [PLANTED.awsSecret, PLANTED.githubPat, PLANTED.dbPassword]) {
      expect(r.stdout + r.stderr).not.toContain(secret);
    }
  });

  it('secrets-scan exits 0 on a clean tree, and with --no-fail', async () => {
    expect((await cli(['secrets-scan'], clean)).code).toBe(0);
    expect((await cli(['secrets-scan', '--no-fail'], planted)).code).toBe(0);
  });

  it('--format json and --format sarif --output FILE', async () => {
    const json = await cli(['secrets-scan', '--format', 'json', '--exclude', 'config/**,*.py'], planted);
    expect(JSON.parse(json.stdout).findings).toEqual([
      expect.objectContaining({
        rule: 'github-pat',
        path: 'scripts/release.sh',
        line: 2,
        redacted: 'ghp_…(40 chars)',
      }),
    ]);
    const sarif = await cli(['secrets-scan', '-f', 'sarif', '-o', 'reports/out.sarif'], planted);
    expect(sarif.code).toBe(1);
    expect(sarif.stdout).toBe('');
    expect(sarif.stderr).toContain('Report written to reports/out.sarif.');
    const log = JSON.parse(fs.readFileSync(path.join(planted, 'reports/out.sarif'), 'utf8'));
    expect(sarifSchemaErrors(log)).toEqual([]);
    expect(log.runs[0].results).toHaveLength(5);
  });

  it('dist/cli/index.js runs as a program with the same exit codes', () => {
    const bin = path.resolve('dist/cli/index.js');
    const found = spawnSync(process.execPath, [bin, 'secrets-scan', planted], { encoding: 'utf8' });
    expect(found.status).toBe(1);
    expect(found.stdout).toContain('5 secrets found.');
    const none = spawnSync(process.execPath, [bin, 'secrets-scan', clean], { encoding: 'utf8' });
    expect(none.status).toBe(0);
    const bad = spawnSync(process.execPath, [bin, 'secrets-scan', '--format', 'xml'], { encoding: 'utf8' });
    expect(bad.status).toBe(2);
  });
});
