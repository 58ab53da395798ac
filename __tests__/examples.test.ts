/**
 * The README's main command, as a user runs it: the CLI bundle over the example image repository
 * finds every planted mistake, at its line, and nothing else.
 */
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { describe, expect, it } from '@jest/globals';

const ROOT = path.resolve(import.meta.dirname, '..');
const CLI = path.join(ROOT, 'dist', 'cli', 'index.js');

function run(...args: string[]) {
  const r = spawnSync(process.execPath, [CLI, ...args, '--format', 'json'], {
    cwd: ROOT,
    encoding: 'utf8',
  });
  const report = JSON.parse(r.stdout) as { findings: Array<{ rule: string; path: string; line: number }> };
  return {
    status: r.status,
    found: report.findings.map((f) => `${f.path.replace('examples/golden-image/', '')}:${f.line} ${f.rule}`),
  };
}

describe('the example image repository', () => {
  it('policy-as-code finds each planted misconfiguration and fails the gate', () => {
    const { status, found } = run('policy-as-code', 'examples/');
    expect(found.sort()).toEqual(
      [
        '.github/workflows/bake.yml:23 workflow-script-injection',
        '.github/workflows/bake.yml:40 workflow-action-not-pinned',
        'cloudformation/test-instance.yaml:90 sg-ssh-open',
        'docker/Dockerfile:3 dockerfile-base-image-latest',
        'packer/golden.pkr.hcl:15 packer-temporary-sg-open',
        'terraform/ecr.tf:9 ecr-tags-mutable',
      ].sort(),
    );
    expect(status).toBe(1);
  });

  it('secrets-scan finds each planted secret and fails', () => {
    const { status, found } = run('secrets-scan', 'examples/');
    expect(found.sort()).toEqual(
      [
        'config/app.env:4 aws-access-key-id',
        'config/app.env:5 aws-secret-access-key',
        'config/app.env:6 url-password',
        'keys/deploy_key:1 openssh-private-key',
        'scripts/publish-release.sh:4 github-pat',
      ].sort(),
    );
    expect(status).toBe(1);
  });
});
