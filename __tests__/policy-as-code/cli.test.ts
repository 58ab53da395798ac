import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { main } from '../../src/cli/main.js';
import type { CliIo } from '../../src/cli/io.js';
import { cfnGuard } from '../helpers/cfn-guard.js';
import { sarifSchemaErrors } from '../helpers/sarif-schema.js';
import { tmpDir, writeTree } from '../helpers/tmp.js';

async function cli(args: string[], cwd: string, env: NodeJS.ProcessEnv = {}) {
  let stdout = '';
  let stderr = '';
  const io: CliIo = { stdout: (t) => void (stdout += t), stderr: (t) => void (stderr += t), cwd, env };
  const code = await main(args, io);
  return { code, stdout, stderr };
}

const OPEN =
  'AWSTemplateFormatVersion: "2010-09-09"\nResources:\n  V:\n    Type: AWS::EC2::Volume\n    Properties:\n      Size: 10\n';
const SAFE = OPEN.replace('Size: 10', 'Size: 10\n      Encrypted: true');

describe('imagepipe policy-as-code', () => {
  const dirty = tmpDir('pac-cli-');
  writeTree(dirty, { 'infra/stack.yaml': OPEN });
  const clean = tmpDir('pac-cli-clean-');
  writeTree(clean, { 'infra/stack.yaml': SAFE });

  it('exits 1 on a finding at or above the threshold and prints file:line:column', async () => {
    const r = await cli(['policy-as-code'], dirty);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(
      /^infra\/stack.yaml:3:3: high: ebs-volume-unencrypted: Volume V is not encrypted/m,
    );
  });

  it('exits 0 below the threshold, on a clean tree and with --no-fail', async () => {
    expect((await cli(['policy-as-code', '-s', 'critical'], dirty)).code).toBe(0);
    expect((await cli(['policy-as-code'], clean)).code).toBe(0);
    expect((await cli(['policy-as-code', '--no-fail'], dirty)).code).toBe(0);
  });

  it('writes SARIF and JUnit', async () => {
    const sarif = await cli(['policy-as-code', '-f', 'sarif'], dirty);
    expect(sarifSchemaErrors(JSON.parse(sarif.stdout))).toEqual([]);
    const junit = await cli(['policy-as-code', '-f', 'junit'], dirty);
    expect(junit.stdout).toMatch(/<testcase name="ebs-volume-unencrypted infra\/stack.yaml"/);
  });

  it('ignores inline suppressions with --no-inline-suppressions', async () => {
    const dir = tmpDir('pac-cli-skip-');
    writeTree(dir, {
      's.yaml': OPEN.replace('  V:\n', '  V:\n    # imagepipe:skip=ebs-volume-unencrypted scratch\n'),
    });
    expect((await cli(['policy-as-code'], dir)).code).toBe(0);
    expect((await cli(['policy-as-code', '--no-inline-suppressions'], dir)).code).toBe(1);
  });

  it('lists the rules', async () => {
    const r = await cli(['policy-as-code', '--list-rules', '-f', 'json'], clean);
    expect(r.code).toBe(0);
    const rules = JSON.parse(r.stdout) as Array<{ id: string; refs: object }>;
    expect(rules.map((x) => x.id)).toContain('ebs-volume-unencrypted');
  });

  it.each([
    [['policy-as-code', 'nowhere'], /No such file or folder: nowhere/],
    [['policy-as-code', '-s', 'urgent'], /Allowed choices are critical, high, medium, low/],
    [['policy-as-code', '-c', 'missing.yaml'], /--config: no such file: missing.yaml/],
  ])('exits 2 with a clear message for %j', async (args, message) => {
    const r = await cli(args, clean);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
  });

  it('runs Guard rules with the cfn-guard on PATH, and says how to get one when there is none', async () => {
    const { binary, controlTowerRules } = cfnGuard();
    const dir = tmpDir('pac-cli-guard-');
    writeTree(dir, {
      'infra/stack.yaml': OPEN,
      'guard/ebs.guard': fs.readFileSync(path.join(controlTowerRules, 'ec2/ct-ec2-pr-7.guard'), 'utf8'),
    });
    const r = await cli(['policy-as-code', '--guard-rules', 'guard/ebs.guard'], dir, {
      PATH: path.dirname(binary),
    });
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(
      /^infra\/stack.yaml:3:3: high: guard:ec2_encrypted_volumes_check: V: Encrypted is missing\. \[CT\.EC2\.PR\.7\]/m,
    );
    expect(r.stderr).toMatch(/^Using cfn-guard 3\.1\.1 from PATH/m);
    const none = await cli(['policy-as-code', '--guard-rules', 'guard/ebs.guard'], dir, { PATH: '' });
    expect(none.code).toBe(2);
    expect(none.stderr).toMatch(
      /^error: cfn-guard 3\.x is needed for the Guard rules, but it is not on PATH\./m,
    );
    const missing = await cli(['policy-as-code', '--guard-rules', 'nope.guard'], dir);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/--guard-rules: no such file: nope\.guard\./);
  });

  it('runs from the bundle', () => {
    const bin = path.resolve('dist/cli/index.js');
    const r = spawnSync(process.execPath, [bin, 'policy-as-code', dirty], { encoding: 'utf8' });
    expect(r.status).toBe(1);
    expect(r.stdout).toContain('ebs-volume-unencrypted');
  });
});
