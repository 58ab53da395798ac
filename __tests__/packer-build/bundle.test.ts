/** dist/packer-build/index.js run as the GitHub runner runs it, with the real packer 1.6.6. */
import * as fs from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { runBundle, startBundle } from '../helpers/runner.js';
import { nullBuild, slowScript, waitForText } from '../helpers/packer.js';
import { tmpDir } from '../helpers/tmp.js';

const BUNDLE = path.resolve('dist/packer-build/index.js');

const TEMPLATE = `variable "greeting" {
  type    = string
  default = "hello"
}

variable "admin_password" {
  type    = string
  default = ""
}

source "null" "check" {
  communicator = "none"
}

source "file" "motd" {
  content = var.greeting
  target  = "out/motd.txt"
}

build {
  sources = ["source.null.check", "source.file.motd"]

  provisioner "shell-local" {
    inline = ["echo \${var.greeting} and \${var.admin_password}"]
  }

  post-processor "manifest" {
    output = "packer-manifest.json"
  }
}
`;

const SLOW = {
  'packer/slow.sh': slowScript(2),
  'packer/slow.pkr.hcl': nullBuild('slow', { script: 'slow.sh' }),
};

describe('the packer-build bundle', () => {
  it('builds, sets every output, masks secrets and writes the summary', () => {
    const run = runBundle(
      BUNDLE,
      { 'packer/golden.pkr.hcl': TEMPLATE },
      {
        'working-directory': 'packer',
        variables: 'greeting=bonjour\nadmin_password=swordfish-42',
        'manifest-file': 'build/manifest.json',
        'github-token': '',
      },
    );
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(run.outputs['packer-version']).toBe('1.6.6');
    expect(
      JSON.parse(run.outputs.artifacts!).sort((a: any, b: any) => a.build.localeCompare(b.build)),
    ).toEqual([
      { build: 'file.motd', 'builder-id': 'packer.file', id: 'File', files: ['out/motd.txt'] },
      { build: 'null.check', 'builder-id': 'fnoeding.null', id: 'Null', files: [] },
    ]);
    expect(JSON.parse(run.outputs.amis!)).toEqual({});
    expect(run.outputs['ami-id']).toBe('');
    expect(JSON.parse(run.outputs.images!)).toEqual([]);
    expect(run.outputs.manifest).toBe('packer/build/manifest.json');
    const manifest = JSON.parse(
      fs.readFileSync(path.join(run.workspace, 'packer/build/manifest.json'), 'utf8'),
    );
    expect(manifest.builds.map((b: any) => b.name).sort()).toEqual(['check', 'motd']);
    expect(fs.readFileSync(path.join(run.workspace, 'packer/out/motd.txt'), 'utf8')).toBe('bonjour');

    // The secret is masked for the runner and never printed; each step has its own log group.
    expect(run.stdout).toContain('::add-mask::swordfish-42');
    expect(run.stdout.replace('::add-mask::swordfish-42', '')).not.toContain('swordfish-42');
    expect(run.stdout).toContain('null.check: bonjour and ***');
    for (const group of [
      'Set up packer',
      'packer fmt -check packer',
      'packer validate packer',
      'packer build packer',
    ]) {
      expect(run.stdout).toContain(`::group::${group}`);
    }
    expect(run.summary).toContain('<h2>Packer build: passed</h2>');
    expect(run.summary).toMatch(/Template packer \(HCL2\), packer 1\.6\.6, build time [\d.]+ (ms|s)\./);
    expect(run.summary).toContain(
      '<td>file.motd</td><td><code>packer.file</code></td><td><code>File</code></td><td>out/motd.txt</td>',
    );
    expect(run.summary).toContain(
      'from the template&#39;s manifest post-processor, this run&#39;s builds only',
    );
  }, 60_000);

  it('fails the step on a failing provisioner, after setting the outputs and the summary', () => {
    const run = runBundle(
      BUNDLE,
      {
        'fail.pkr.hcl': nullBuild('f', { inline: ['exit 7'] }),
      },
      { template: 'fail.pkr.hcl', 'manifest-file': '' },
    );
    expect(run.status).toBe(1);
    expect(run.stdout).toContain(
      '::error title=packer build%3A null.f,file=fail.pkr.hcl::Script exited with non-zero exit status: 7.Allowed exit codes are: [0]',
    );
    expect(run.stdout).toContain(
      '::error::packer build failed (exit 1): null.f: Script exited with non-zero exit status: 7.Allowed exit codes are: [0].',
    );
    expect(run.outputs['packer-version']).toBe('1.6.6');
    expect(run.outputs.artifacts).toBe('[]');
    expect(run.outputs.manifest).toBe('');
    expect(run.summary).toContain('<h2>Packer build: failed</h2>');
    expect(run.summary).toContain('<td>build</td><td>FAILED</td>');
  }, 60_000);
});

describe('bad input is reported before packer runs', () => {
  let server: http.Server;
  let mirror: string;
  beforeAll(async () => {
    server = http.createServer((_req, res) => res.writeHead(404).end('not found'));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    mirror = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  const files = { 'golden.pkr.hcl': TEMPLATE };
  const cases: Array<[string, Record<string, string>, RegExp]> = [
    [
      'a missing template',
      { template: 'packer/nope.pkr.hcl' },
      /^::error::The template packer\/nope\.pkr\.hcl does not exist \(input 'template'\)\. Give a \.pkr\.hcl file/m,
    ],
    [
      'an invalid packer-version',
      { 'packer-version': 'one point six' },
      /^::error::Invalid value "one point six" for input 'packer-version': give an exact version such as 1\.11\.2, a semver range/m,
    ],
    [
      'a malformed variables line',
      { variables: 'region=eu-west-1\nhunter2' },
      /^::error::Invalid line 2 of input 'variables': it has no "=" \(the line is not shown, in case it is part of a secret\)\. Write one name=value per line/m,
    ],
    [
      'a releases-url over plain http to another host',
      { 'releases-url': 'http://mirror.example.com' },
      /^::error::Invalid value "http:\/\/mirror\.example\.com" for input 'releases-url': give an https URL/m,
    ],
    [
      'a bad on-error',
      { 'on-error': 'ask' },
      /^::error::Invalid value "ask" for input 'on-error': allowed values are cleanup, abort, run-cleanup-provisioner\./m,
    ],
  ];
  it.each(cases)('%s', (_name, inputs, message) => {
    const run = runBundle(BUNDLE, files, inputs);
    expect(run.status).toBe(1);
    expect(run.stdout).toMatch(message);
    expect(run.stdout).not.toContain('hunter2');
    expect(run.stdout).not.toContain('::group::');
    expect(run.outputs).toEqual({});
  });

  it('no packer on PATH and no release to download', async () => {
    const run = await startBundle(
      BUNDLE,
      files,
      { 'packer-version': '1.6.6', 'releases-url': mirror },
      () => {},
      () => ({ PATH: tmpDir('empty-path-') }),
    ).done(() => undefined);
    expect(run.status).toBe(1);
    expect(run.stdout).toContain('packer is not on PATH: installing it.');
    expect(run.stdout).toContain(
      `::error::packer 1.6.6 is not published at ${mirror}: ${mirror}/packer/1.6.6/packer_1.6.6_SHA256SUMS does not exist (HTTP 404). Check packer-version against ${mirror}/packer/, or releases-url.`,
    );
    expect(run.stdout).not.toContain('::group::packer ');
  });

  it('no packer on PATH, outside a GitHub runner (no tool cache)', () => {
    const run = runBundle(
      BUNDLE,
      files,
      { 'packer-version': '1.6.6' },
      () => {},
      () => ({ PATH: tmpDir('empty-path-'), RUNNER_TOOL_CACHE: '' }),
    );
    expect(run.status).toBe(1);
    expect(run.stdout).toContain(
      '::error::Cannot install packer: RUNNER_TOOL_CACHE is not set, so this is not a GitHub runner with a tool cache. Put packer on PATH before this step.',
    );
  });
});

describe('a cancelled job', () => {
  // The runner sends SIGINT when a job is cancelled, then SIGTERM 7.5 s later if the step still runs.
  const cases: Array<[string, NodeJS.Signals[]]> = [
    ['SIGINT', ['SIGINT']],
    ['SIGTERM', ['SIGTERM']],
    ["the runner's SIGINT then SIGTERM during the cleanup", ['SIGINT', 'SIGTERM']],
  ];
  it.each(cases)(
    '%s: packer is interrupted once, the action waits for its cleanup, then fails the step',
    async (_name, signals) => {
      const started = startBundle(BUNDLE, SLOW, { 'working-directory': 'packer' }, (ws) =>
        fs.chmodSync(path.join(ws, 'packer/slow.sh'), 0o755),
      );
      const marks = path.join(started.workspace, 'packer/marks');
      await waitForText(marks, 'started');
      started.child.kill(signals[0]);
      if (signals[1]) {
        await waitForText(marks, 'interrupted');
        started.child.kill(signals[1]);
      }
      const run = await started.done(() => fs.readFileSync(marks, 'utf8'));
      // When the action exits, packer has been interrupted once, and packer and all it started (here the
      // provisioner's script, finishing its own cleanup) have ended.
      expect(run.atExit).toBe('started\ninterrupted\ncleaned\n');
      expect(run.status).toBe(1);
      expect(run.stdout).toContain(
        `::warning::Received ${signals[0]}: interrupting packer and waiting for it to clean up.`,
      );
      if (signals[1]) {
        expect(run.stdout).toContain(
          `::warning::Received ${signals[1]}: packer is still cleaning up after the interrupt; waiting for it.`,
        );
      }
      // Packer's own words: it heard an interrupt (SIGTERM too reaches it as SIGINT) and cleaned up.
      expect(run.stdout).toContain('Cancelling build after receiving interrupt');
      expect(run.stdout).toContain('Cleanly cancelled builds after being interrupted.');
      expect(run.stdout).toContain(
        `::error::Cancelled: ${signals[0]} reached the build; it was passed to packer, which stopped its builds and cleaned up.`,
      );
      expect(run.summary).toContain('<td>build</td><td>cancelled</td>');
    },
    60_000,
  );
});
