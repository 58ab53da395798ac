/** `imagepipe packer-build`, run from the CLI bundle as a person runs it, with the real packer 1.6.6. */
import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { nullBuild, slowScript, waitForText } from '../helpers/packer.js';
import { tmpDir, writeTree } from '../helpers/tmp.js';

const CLI = path.resolve('dist/cli/index.js');

const TEMPLATE = `variable "greeting" {
  type    = string
  default = "hello"
}

source "file" "motd" {
  content = var.greeting
  target  = "motd.txt"
}

source "null" "check" {
  communicator = "none"
}

build {
  sources = ["source.file.motd", "source.null.check"]
}
`;

function cli(args: string[], files: Record<string, string>) {
  const dir = tmpDir('pkr-cli-');
  writeTree(dir, files);
  const r = spawnSync(process.execPath, [CLI, 'packer-build', ...args], { cwd: dir, encoding: 'utf8' });
  return { dir, code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('imagepipe packer-build', () => {
  it('builds, prints the artifacts and a status line, and exits 0', () => {
    const r = cli(['packer', '--var', 'greeting=bonjour'], { 'packer/golden.pkr.hcl': TEMPLATE });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(
      /^file\.motd {2}packer\.file {2}File {2}files: motd\.txt\nnull\.check {2}fnoeding\.null {2}Null\npacker-build passed: 2 artifacts in [\d.]+ (ms|s) with packer 1\.6\.6\.\n$/,
    );
    expect(fs.readFileSync(path.join(r.dir, 'motd.txt'), 'utf8')).toBe('bonjour');
    expect(r.stderr).toContain('== packer validate packer');
  });

  it('writes a JSON report', () => {
    const r = cli(['.', '--format', 'json', '--manifest-file', 'out/m.json'], { 'golden.pkr.hcl': TEMPLATE });
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout);
    expect(report).toMatchObject({
      passed: true,
      'packer-version': '1.6.6',
      manifest: 'out/m.json',
      amis: {},
      'ami-id': null,
    });
    expect(report.artifacts.map((a: any) => a.build)).toEqual(['file.motd', 'null.check']);
    expect(JSON.parse(fs.readFileSync(path.join(r.dir, 'out/m.json'), 'utf8')).builds).toHaveLength(2);
  });

  it('exits 1 when the build fails', () => {
    const failing = TEMPLATE.replace(
      'sources = ["source.file.motd", "source.null.check"]',
      'sources = ["source.null.check"]\n\n  provisioner "shell-local" {\n    inline = ["exit 3"]\n  }',
    );
    const r = cli(['.', '--no-fmt-check'], { 'golden.pkr.hcl': failing });
    expect(r.code).toBe(1);
    expect(r.stdout).toContain(
      'packer-build failed: packer build failed (exit 1): null.check: Script exited',
    );
  });

  it.each([
    [['missing'], /^error: The template missing does not exist/m],
    [['.', '--packer-version', 'latest'], /--packer-version latest needs HashiCorp's releases index/],
    [
      ['.', '--packer-version', '>=9'],
      /packer on PATH \(.*\) is version 1\.6\.6, and a version in >=9 is asked for/,
    ],
    [['.', '--var', 'no-equals-sign'], /Invalid line 1 of input '--var': it has no "="/],
    [
      ['.', '--only', 'nope.x'],
      /only names no build of \.: nope\.x\. Its builds are file\.motd, null\.check/,
    ],
  ])('exits 2 on bad input: %j', (args, message) => {
    const r = cli(args, { 'golden.pkr.hcl': TEMPLATE });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(r.stderr).not.toContain('== packer build');
  });

  it('a first Ctrl-C lets packer clean up; a second kills it at once', async () => {
    const dir = tmpDir('pkr-cli-');
    writeTree(dir, {
      'slow.sh': slowScript(20),
      'slow.pkr.hcl': nullBuild('slow', { script: 'slow.sh' }),
    });
    fs.chmodSync(path.join(dir, 'slow.sh'), 0o755);
    const child = spawn(process.execPath, [CLI, 'packer-build', '.'], {
      cwd: dir,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    const marks = path.join(dir, 'marks');
    await waitForText(marks, 'started');
    child.kill('SIGINT');
    await waitForText(marks, 'interrupted');
    const started = Date.now();
    child.kill('SIGINT');
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    // Killed long before the script's 20 s cleanup would have ended.
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(code).toBe(1);
    expect(fs.readFileSync(marks, 'utf8')).toBe('started\ninterrupted\n');
    expect(stderr).toContain('warning: Received SIGINT: interrupting packer and waiting for it to clean up.');
    expect(stderr).toContain(
      'warning: Received SIGINT again: killing packer. What its builds created may be left behind: check for instances, key pairs and security groups.',
    );
  }, 60_000);
});
