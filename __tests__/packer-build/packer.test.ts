/**
 * Finding and installing packer. The installer runs end to end against a release site served from
 * 127.0.0.1 with HashiCorp's layout (index.json, <version>/packer_<version>_SHA256SUMS and the
 * zip), holding the real packer 1.6.6 binary from PATH.
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as path from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { UserError } from '../../src/core/errors.js';
import { recordingReporter } from '../../src/core/reporter.js';
import { cachedTool, fetchText, installTool } from '../../src/core/tool-install.js';
import { findOnPath } from '../../src/core/tools.js';
import {
  parseShasums,
  parseVersionRequest,
  pickVersion,
  releasePlatform,
  satisfies,
  setupPacker,
  type VersionRequest,
} from '../../src/packer-build/packer.js';
import { useRunnerFolders, type RunnerFolders } from '../helpers/runner-folders.js';
import { tmpDir } from '../helpers/tmp.js';

const PACKER = findOnPath('packer');
const platform = releasePlatform();

describe('packer-version', () => {
  it('reads an exact version, a range, latest or nothing', () => {
    expect(parseVersionRequest('packer-version', '')).toEqual({ kind: 'any' });
    expect(parseVersionRequest('packer-version', 'latest')).toEqual({ kind: 'latest' });
    expect(parseVersionRequest('packer-version', 'v1.11.2')).toEqual({ kind: 'exact', version: '1.11.2' });
    expect(parseVersionRequest('packer-version', '~1.10')).toEqual({ kind: 'range', range: '~1.10' });
    expect(parseVersionRequest('packer-version', '>=1.9 <2')).toEqual({ kind: 'range', range: '>=1.9 <2' });
  });

  it('rejects anything else, naming the input and what is allowed', () => {
    expect(() => parseVersionRequest('packer-version', '1.x.banana')).toThrow(
      `Invalid value "1.x.banana" for input 'packer-version': give an exact version such as 1.11.2, a semver range such as ~1.10 or >=1.9 <2, or latest.`,
    );
  });

  it('matches versions against requests, and picks the newest stable release', () => {
    const range: VersionRequest = { kind: 'range', range: '~1.6' };
    expect(satisfies('1.6.6', range)).toBe(true);
    expect(satisfies('1.7.0', range)).toBe(false);
    expect(satisfies('1.6.6', { kind: 'latest' }, '1.11.2')).toBe(false);
    expect(satisfies('1.11.2', { kind: 'latest' }, '1.11.2')).toBe(true);
    expect(satisfies('1.11.2', { kind: 'latest' })).toBe(false);
    const versions = ['1.5.0', '1.10.0', '1.6.6', '1.11.0-beta1', '1.9.4'];
    expect(pickVersion(versions, { kind: 'latest' })).toBe('1.10.0');
    expect(pickVersion(versions, range)).toBe('1.6.6');
    expect(pickVersion(versions, { kind: 'range', range: '>=2' })).toBeUndefined();
  });

  it('reads SHA256SUMS and names the platform as HashiCorp does', () => {
    const sums = parseShasums(
      `${'a'.repeat(64)}  packer_1.6.6_linux_amd64.zip\n${'B'.repeat(64)}  packer_1.6.6_darwin_arm64.zip\n`,
    );
    expect(sums.get('packer_1.6.6_linux_amd64.zip')).toBe('a'.repeat(64));
    expect(sums.get('packer_1.6.6_darwin_arm64.zip')).toBe('b'.repeat(64));
    expect(releasePlatform('linux', 'x64')).toBe('linux_amd64');
    expect(releasePlatform('darwin', 'arm64')).toBe('darwin_arm64');
    expect(releasePlatform('win32', 'x64')).toBe('windows_amd64');
    expect(() => releasePlatform('aix', 'x64')).toThrow(
      new UserError(
        'HashiCorp publishes no packer for aix/x64, so none can be installed. Put packer on PATH before this step.',
      ),
    );
    expect(() => releasePlatform('linux', 's390x')).toThrow(/no packer for linux\/s390x/);
  });
});

describe('packer from PATH', () => {
  it('is the real packer 1.6.6 here (installed by .ci/run)', () => {
    expect(PACKER).toBeDefined();
  });

  it('uses the packer on PATH when its version fits', async () => {
    const reporter = recordingReporter();
    const found = await setupPacker({ request: { kind: 'range', range: '^1.6' }, reporter });
    expect(found).toEqual({ binary: PACKER, version: '1.6.6', source: 'path' });
    expect(reporter.lines).toContain(`Using packer 1.6.6 from PATH (${PACKER})`);
  });

  it('without a downloader (the CLI), says what is on PATH and how to fix it', async () => {
    const reporter = recordingReporter();
    await expect(setupPacker({ request: { kind: 'exact', version: '1.11.2' }, reporter })).rejects.toThrow(
      new UserError(
        `packer on PATH (${PACKER}) is version 1.6.6, and 1.11.2 is asked for. Install packer 1.11.2 (https://developer.hashicorp.com/packer/install) and put it on PATH, or change packer-version.`,
      ),
    );
    await expect(setupPacker({ request: { kind: 'any' }, reporter, env: { PATH: '' } })).rejects.toThrow(
      /^packer is not on PATH\. Install packer \(https:/,
    );
  });
});

describe('installing packer from a release site', () => {
  let server: http.Server;
  let baseUrl: string;
  const hits: string[] = [];
  const files = new Map<string, Buffer | string>();
  let zipSha = '';

  beforeAll(async () => {
    const dir = tmpDir('packer-release-');
    fs.copyFileSync(PACKER!, path.join(dir, 'packer'));
    const zip = path.join(dir, 'packer.zip');
    execFileSync('zip', ['-q', '-0', '-j', zip, path.join(dir, 'packer')]);
    const bytes = fs.readFileSync(zip);
    zipSha = createHash('sha256').update(bytes).digest('hex');
    files.set(`/packer/1.6.6/packer_1.6.6_${platform}.zip`, bytes);
    files.set(
      '/packer/1.6.6/packer_1.6.6_SHA256SUMS',
      `${'0'.repeat(64)}  packer_1.6.6_plan9_amd64.zip\n${zipSha}  packer_1.6.6_${platform}.zip\n`,
    );
    // 1.6.5's sums name a different archive than the one served: it must be refused.
    files.set(`/packer/1.6.5/packer_1.6.5_${platform}.zip`, bytes);
    files.set('/packer/1.6.5/packer_1.6.5_SHA256SUMS', `${'1'.repeat(64)}  packer_1.6.5_${platform}.zip\n`);
    files.set('/packer/1.6.4/packer_1.6.4_SHA256SUMS', `${'2'.repeat(64)}  packer_1.6.4_darwin_amd64.zip\n`);
    files.set(
      '/packer/index.json',
      JSON.stringify({
        name: 'packer',
        versions: Object.fromEntries(
          ['1.5.6', '1.6.4', '1.6.6', '1.7.0-rc1'].map((v) => [v, { name: 'packer', version: v }]),
        ),
      }),
    );
    server = http.createServer((req, res) => {
      hits.push(req.url ?? '');
      const body = files.get(req.url ?? '');
      if (body === undefined) res.writeHead(404).end('not found');
      else res.writeHead(200).end(body);
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

  const setup = (request: VersionRequest, url = baseUrl) => {
    const reporter = recordingReporter();
    const promise = setupPacker({
      request,
      reporter,
      env: { PATH: '' },
      downloader: { fetchText, install: installTool, cached: cachedTool },
      releasesUrl: url,
    });
    return { reporter, promise };
  };

  it('installs an exact version verified against SHA256SUMS, caches it, then reuses the cache', async () => {
    const first = setup({ kind: 'exact', version: '1.6.6' });
    const found = await first.promise;
    const home = path.join(runner.toolCache, 'packer', '1.6.6', process.arch);
    expect(found).toEqual({ binary: path.join(home, 'packer'), version: '1.6.6', source: 'installed' });
    expect(hits).toEqual([
      '/packer/1.6.6/packer_1.6.6_SHA256SUMS',
      `/packer/1.6.6/packer_1.6.6_${platform}.zip`,
    ]);
    expect(fs.readFileSync(runner.githubPath, 'utf8')).toContain(home);
    expect(first.reporter.lines).toEqual(expect.arrayContaining(['packer is not on PATH: installing it.']));

    hits.length = 0;
    const again = setup({ kind: 'exact', version: '1.6.6' });
    expect((await again.promise).binary).toBe(found.binary);
    // An exact version in the cache is used without asking the network.
    expect(hits).toEqual([]);
    expect(again.reporter.lines).toContain('Using packer 1.6.6 from the tool cache');
  });

  it('resolves latest and ranges from index.json, skipping pre-releases', async () => {
    expect((await setup({ kind: 'latest' }).promise).version).toBe('1.6.6');
    expect(hits[0]).toBe('/packer/index.json');
    expect((await setup({ kind: 'range', range: '~1.6.0' }).promise).version).toBe('1.6.6');
    await expect(setup({ kind: 'range', range: '>=1.8' }).promise).rejects.toThrow(
      `No packer release satisfies packer-version >=1.8 (from ${baseUrl}/packer/index.json). Choose another version.`,
    );
  });

  it('refuses an archive whose SHA-256 is not the one in SHA256SUMS, and installs nothing', async () => {
    await expect(setup({ kind: 'exact', version: '1.6.5' }).promise).rejects.toThrow(
      `Refusing packer 1.6.5: the archive from ${baseUrl}/packer/1.6.5/packer_1.6.5_${platform}.zip has SHA-256 ${zipSha}, but ${baseUrl}/packer/1.6.5/packer_1.6.5_SHA256SUMS gives ${'1'.repeat(64)}. Nothing was installed.`,
    );
    expect(fs.existsSync(path.join(runner.toolCache, 'packer'))).toBe(false);
  });

  it('refuses a version whose SHA256SUMS does not list this platform', async () => {
    await expect(setup({ kind: 'exact', version: '1.6.4' }).promise).rejects.toThrow(
      `packer 1.6.4 has no packer_1.6.4_${platform}.zip in ${baseUrl}/packer/1.6.4/packer_1.6.4_SHA256SUMS, so it cannot be verified and will not be installed.`,
    );
  });

  it('reports a release the site does not have as a user error naming the URL and the fix', async () => {
    await expect(setup({ kind: 'exact', version: '1.6.3' }).promise).rejects.toThrow(
      new UserError(
        `packer 1.6.3 is not published at ${baseUrl}: ${baseUrl}/packer/1.6.3/packer_1.6.3_SHA256SUMS does not exist (HTTP 404). Check packer-version against ${baseUrl}/packer/, or releases-url.`,
      ),
    );
  });
});
