/**
 * The cfn-guard installer end to end, against a release archive served from 127.0.0.1 (GitHub is
 * not reachable from CI): built from the real cfn-guard binary, laid out as the release archives
 * are (`cfn-guard-v3-<arch>-<os>-latest/cfn-guard`), and trusted only through the checksum table.
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as path from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { cfnGuardPlatform, setupCfnGuard, type ChecksumTable } from '../../src/core/cfn-guard.js';
import { UserError } from '../../src/core/errors.js';
import { recordingReporter } from '../../src/core/reporter.js';
import { installTool } from '../../src/core/tool-install.js';
import { sha256File } from '../../src/core/tools.js';
import { cfnGuard } from '../helpers/cfn-guard.js';
import { useRunnerFolders, type RunnerFolders } from '../helpers/runner-folders.js';
import { tmpDir } from '../helpers/tmp.js';

const VERSION = '3.1.1';
const platform = cfnGuardPlatform()!;
const asset = `/download/${VERSION}/cfn-guard-v3-${platform}-latest.tar.gz`;

let server: http.Server;
let baseUrl: string;
let sha256: string;
const hits: string[] = [];

beforeAll(async () => {
  const { binary } = cfnGuard();
  const dir = tmpDir('cfn-guard-release-');
  const folder = `cfn-guard-v3-${platform}-latest`;
  fs.mkdirSync(path.join(dir, folder));
  fs.copyFileSync(binary, path.join(dir, folder, 'cfn-guard'));
  const archive = path.join(dir, 'release.tar.gz');
  execFileSync('tar', ['-czf', archive, '-C', dir, folder]);
  sha256 = await sha256File(archive);
  server = http.createServer((req, res) => {
    hits.push(req.url ?? '');
    if (req.url === asset) {
      res.writeHead(200, { 'content-type': 'application/gzip' });
      fs.createReadStream(archive).pipe(res);
    } else {
      res.writeHead(404).end('not found');
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

const folders = useRunnerFolders();
let runner: RunnerFolders;
beforeEach(() => {
  runner = folders();
  hits.length = 0;
});

function setup(checksums: ChecksumTable, version = VERSION) {
  const reporter = recordingReporter();
  const promise = setupCfnGuard({
    version,
    reporter,
    env: { PATH: '' },
    install: installTool,
    checksums,
    baseUrl,
  });
  return { reporter, promise };
}

describe('installing cfn-guard from its release archive', () => {
  it('downloads, verifies, extracts, caches, adds to PATH and runs --version; then reuses the cache', async () => {
    const first = setup({ [VERSION]: { [platform]: sha256 } });
    const binary = await first.promise;
    const home = path.join(runner.toolCache, 'cfn-guard', VERSION, process.arch);
    expect(binary).toBe(path.join(home, 'cfn-guard'));
    expect(hits).toEqual([asset]);
    expect(fs.readFileSync(runner.githubPath, 'utf8')).toContain(home);
    expect(process.env.PATH?.split(path.delimiter)[0]).toBe(home);
    expect(execFileSync(binary, ['--version'], { encoding: 'utf8' })).toContain(`cfn-guard ${VERSION}`);
    expect(first.reporter.lines).toEqual(
      expect.arrayContaining([
        `Downloading cfn-guard ${VERSION} from ${baseUrl}${asset}`,
        `cfn-guard ${VERSION} is ready (${binary})`,
      ]),
    );

    const again = setup({ [VERSION]: { [platform]: sha256 } });
    expect(await again.promise).toBe(binary);
    expect(hits).toEqual([asset]);
    expect(again.reporter.lines).toContain(`Using cfn-guard ${VERSION} from the tool cache`);
  });

  it('refuses an archive whose SHA-256 is not the pinned one, and installs nothing', async () => {
    const wrong = '0'.repeat(64);
    const { promise } = setup({ [VERSION]: { [platform]: wrong } });
    await expect(promise).rejects.toBeInstanceOf(UserError);
    await expect(setup({ [VERSION]: { [platform]: wrong } }).promise).rejects.toThrow(
      `Refusing cfn-guard ${VERSION}: the archive from ${baseUrl}${asset} has SHA-256 ${sha256}, but ${wrong} is pinned for it. Nothing was installed.`,
    );
    expect(fs.existsSync(path.join(runner.toolCache, 'cfn-guard'))).toBe(false);
    expect(fs.readFileSync(runner.githubPath, 'utf8')).toBe('');
    expect(fs.readdirSync(process.env.RUNNER_TEMP!)).toEqual([]);
  });

  it('does not download a version it has no checksum for, and says to put cfn-guard on PATH', async () => {
    const { promise } = setup({ [VERSION]: { [platform]: sha256 } }, '3.0.9');
    await expect(promise).rejects.toThrow(
      new RegExp(
        `^cfn-guard 3\\.0\\.9 for ${platform} has no pinned SHA-256, so it will not be downloaded\\. Put cfn-guard 3\\.0\\.9 on PATH before this step`,
      ),
    );
    expect(hits).toEqual([]);
  });

  it('reports a download that fails as a user error naming the URL', async () => {
    const { promise } = setup({ '3.0.9': { [platform]: sha256 } }, '3.0.9');
    await expect(promise).rejects.toThrow(
      new RegExp(
        `^Could not download cfn-guard 3\\.0\\.9 from ${baseUrl}/download/3\\.0\\.9/.*Put cfn-guard on PATH before this step`,
      ),
    );
  });
});

describe('cfn-guard from PATH', () => {
  const env = () => ({ PATH: path.dirname(cfnGuard().binary) });

  it('uses a cfn-guard 3.x from PATH without downloading anything', async () => {
    const reporter = recordingReporter();
    const binary = await setupCfnGuard({
      reporter,
      env: env(),
      install: installTool,
      checksums: {},
      baseUrl,
    });
    expect(binary).toBe(cfnGuard().binary);
    expect(reporter.lines).toContain(`Using cfn-guard ${VERSION} from PATH (${binary})`);
    expect(hits).toEqual([]);
  });

  it('installs the version asked for when PATH has another one', async () => {
    const reporter = recordingReporter();
    await expect(
      setupCfnGuard({ version: '3.2.0', reporter, env: env(), install: installTool, checksums: {}, baseUrl }),
    ).rejects.toThrow(/^cfn-guard 3\.2\.0 for .* has no pinned SHA-256/);
    expect(reporter.lines).toContain(
      `cfn-guard on PATH (${cfnGuard().binary}) is version ${VERSION}; 3.2.0 is asked for.`,
    );
  });

  it('without an installer (the CLI), a missing cfn-guard is a user error with the fix', async () => {
    const reporter = recordingReporter();
    await expect(setupCfnGuard({ reporter, env: { PATH: '' } })).rejects.toThrow(
      /^cfn-guard 3\.x is needed for the Guard rules, but it is not on PATH\. Install it \(see https:\/\/github\.com\/aws-cloudformation\/cloudformation-guard\/releases\) and put it on PATH/,
    );
  });
});
