/** `imagepipe publish-image`, run from the CLI bundle as a person runs it, against real registries. */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { umociImage, writeLayout } from '../helpers/oci.js';
import { startRegistry, type TestRegistry } from '../helpers/registry.js';
import { tmpDir } from '../helpers/tmp.js';

const CLI = path.resolve('dist/cli/index.js');
const user = { username: 'laptop', password: 'cli-test-password' };

let plain: TestRegistry;
let secure: TestRegistry;
let dir: string;
let digest: string;

beforeAll(async () => {
  [plain, secure] = await Promise.all([startRegistry(), startRegistry({ tls: true, auth: user })]);
  dir = tmpDir('publish-cli-');
  digest = umociImage(path.join(dir, 'image'), 'v1', [{ 'etc/motd': 'from the cli\n' }]).digest;
});
afterAll(async () => {
  await Promise.all([plain.stop(), secure.stop()]);
});

function cli(args: string[], input?: string) {
  const r = spawnSync(process.execPath, [CLI, 'publish-image', ...args], {
    cwd: dir,
    encoding: 'utf8',
    input,
    env: { ...process.env, DOCKER_CONFIG: path.join(dir, 'no-docker-config') },
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('imagepipe publish-image', () => {
  it('pushes an OCI layout, prints what each destination holds, and exits 0', () => {
    const r = cli(['oci:image:v1', '-d', `${plain.host}/cli/app:v1`, '--insecure-registry', plain.host]);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(
      `pushed  ${plain.host}/cli/app:v1@${digest}\npublish-image passed: published to 1 destination.\n`,
    );
    expect(r.stderr).toContain(`${plain.host}/cli/app:v1: pushed ${digest}`);
  });

  it('reads the password from standard input, never from the command line, and writes JSON', () => {
    const r = cli(
      [
        'oci:image:v1',
        '-d',
        `${secure.host}/cli/app:v1`,
        '--ca-file',
        secure.caFile as string,
        '--registry-username',
        user.username,
        '--registry-password-stdin',
        '--format',
        'json',
      ],
      `${user.password}\n`,
    );
    expect(r.stderr).not.toContain(user.password);
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout) as { passed: boolean; digest: string; images: unknown[] };
    expect(report).toMatchObject({ passed: true, digest });
    expect(report.images).toEqual([
      { reference: `${secure.host}/cli/app:v1@${digest}`, digest, status: 'pushed' },
    ]);
  });

  it('converts a docker save archive and pushes it; skopeo pulls the same image back', () => {
    execFileSync('skopeo', ['copy', 'oci:image:v1', 'docker-archive:saved.tar:team/app:v1'], {
      cwd: dir,
      stdio: 'ignore',
    });
    const r = cli([
      'docker-archive:saved.tar',
      '-d',
      `${plain.host}/cli/saved:v1`,
      '--insecure-registry',
      plain.host,
      '-f',
      'json',
    ]);
    expect(r.code).toBe(0);
    const pushed = (JSON.parse(r.stdout) as { digest: string }).digest;
    const remote = JSON.parse(
      execFileSync('skopeo', ['inspect', '--tls-verify=false', `docker://${plain.host}/cli/saved:v1`], {
        encoding: 'utf8',
      }),
    ) as { Digest: string; Layers: string[] };
    expect(remote.Digest).toBe(pushed);
    expect(remote.Layers).toHaveLength(1);
    execFileSync(
      'skopeo',
      ['copy', '--src-tls-verify=false', `docker://${plain.host}/cli/saved:v1`, 'oci:pulled:v1'],
      {
        cwd: dir,
        stdio: 'ignore',
      },
    );
    expect(fs.existsSync(path.join(dir, 'pulled', 'index.json'))).toBe(true);
  });

  it('exits 1 naming the destination that failed, and 2 on bad input', () => {
    const failed = cli([
      'oci:image:v1',
      '-d',
      `${secure.host}/cli/anon:v1`,
      '--ca-file',
      secure.caFile as string,
    ]);
    expect(failed.code).toBe(1);
    expect(failed.stdout).toMatch(/^FAILED {2}127\.0\.0\.1:\d+\/cli\/anon:v1 {2}.*requires credentials/m);
    const bad = cli(['oci:image:v2', '-d', `${plain.host}/cli/app:v2`]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/^error: .*v2/m);
    expect(bad.stderr).not.toMatch(/\n\s+at /);
  });
});

describe('the CLI in its own words', () => {
  it('names its flags, not the action inputs, in input errors', () => {
    const r = cli(['oci:image:v1', '-d', `${plain.host}/cli/app:v1`, '--registry-username', 'alice']);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(
      'error: Invalid value "" for --registry-password-stdin: --registry-username and --registry-password-stdin go together: give both or neither.\n',
    );
  });

  it('removes what it unpacked when interrupted', async () => {
    const work = tmpDir('publish-cancel-');
    const layout = writeLayout(path.join(work, 'image'), 'big', [{ layerSizes: [200 * 1024 * 1024] }]);
    execFileSync('skopeo', ['copy', 'oci:image:big', 'docker-archive:big.tar:team/big:1'], {
      cwd: work,
      stdio: 'ignore',
    });
    const temp = path.join(work, 'tmp');
    fs.mkdirSync(temp);
    const child = spawn(
      process.execPath,
      [
        CLI,
        'publish-image',
        'docker-archive:big.tar',
        '-d',
        `${plain.host}/cli/cancel:1`,
        '--insecure-registry',
        plain.host,
      ],
      {
        cwd: work,
        env: { ...process.env, TMPDIR: temp },
        stdio: 'ignore',
      },
    );
    // Wait until the conversion has written into its folder, then interrupt.
    for (let i = 0; i < 400; i++) {
      const dirs = fs.readdirSync(temp);
      if (dirs.length && fs.readdirSync(path.join(temp, dirs[0] as string), { recursive: true }).length > 2)
        break;
      await new Promise((r) => setTimeout(r, 25));
    }
    child.kill('SIGINT');
    const [code, signal] = await new Promise<[number | null, string | null]>((resolve) =>
      child.on('exit', (c, s) => resolve([c, s])),
    );
    expect(signal ?? code).toBe('SIGINT');
    expect(fs.readdirSync(temp)).toEqual([]);
    expect(layout.digest).toMatch(/^sha256:/);
    fs.rmSync(work, { recursive: true, force: true });
  });
});

describe('memory', () => {
  it('pushes a 1 GiB layer, streamed from disk, with well under 200 MB resident', () => {
    const big = tmpDir('publish-big-');
    const layout = writeLayout(path.join(big, 'image'), 'big', [{ layerSizes: [1024 * 1024 * 1024] }]);
    const rssFile = path.join(big, 'rss');
    const r = spawnSync(
      process.execPath,
      [
        '--import',
        path.resolve('scripts/bench/maxrss.mjs'),
        CLI,
        'publish-image',
        'oci:image:big',
        '-d',
        `${plain.host}/memory/big:1`,
        '--insecure-registry',
        plain.host,
      ],
      { cwd: big, encoding: 'utf8', env: { ...process.env, IMAGEPIPE_BENCH_RSS_FILE: rssFile } },
    );
    expect(r.stderr).toContain(`pushed ${layout.digest}`);
    expect(r.status).toBe(0);
    const peakMiB = Number(fs.readFileSync(rssFile, 'utf8')) / 1024;
    expect(peakMiB).toBeGreaterThan(10);
    expect(peakMiB).toBeLessThan(200);
    fs.rmSync(big, { recursive: true, force: true });
  });
});
