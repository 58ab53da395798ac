/**
 * dist/publish-image/index.js run as the GitHub runner runs it, pushing a umoci-built image to
 * real registries: plain HTTP, and TLS with htpasswd credentials from the inputs.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { umociImage } from '../helpers/oci.js';
import { startRegistry, type TestRegistry } from '../helpers/registry.js';
import { runBundle } from '../helpers/runner.js';

const BUNDLE = path.resolve('dist/publish-image/index.js');
const user = { username: 'ci-pusher', password: 'bundle-test-password' };

let plain: TestRegistry;
let secure: TestRegistry;

beforeAll(async () => {
  [plain, secure] = await Promise.all([startRegistry(), startRegistry({ tls: true, auth: user })]);
});
afterAll(async () => {
  await Promise.all([plain.stop(), secure.stop()]);
});

function withImage(workspace: string): void {
  umociImage(path.join(workspace, 'build', 'image'), '1.2.0', [{ 'etc/motd': 'golden 1.2.0\n' }]);
  fs.copyFileSync(secure.caFile as string, path.join(workspace, 'registry-ca.pem'));
}

const digestOf = (workspace: string) =>
  (
    JSON.parse(fs.readFileSync(path.join(workspace, 'build/image/index.json'), 'utf8')) as {
      manifests: Array<{ digest: string }>;
    }
  ).manifests[0]?.digest;

describe('the publish-image bundle', () => {
  it('pushes to every destination, sets the outputs, masks the password and writes the summary', () => {
    const inputs = {
      source: 'oci:build/image:1.2.0',
      destinations: `${secure.host}/golden/base:1.2.0\n${secure.host}/golden/base:latest\n${secure.host}/golden/mirror:1.2.0`,
      'ca-file': 'registry-ca.pem',
      'registry-username': user.username,
      'registry-password': user.password,
    };
    const run = runBundle(BUNDLE, {}, inputs, withImage);
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    const digest = digestOf(run.workspace) as string;
    expect(run.outputs.digest).toBe(digest);
    expect(JSON.parse(run.outputs.images as string)).toEqual([
      { reference: `${secure.host}/golden/base:1.2.0@${digest}`, digest, status: 'pushed' },
      { reference: `${secure.host}/golden/base:latest@${digest}`, digest, status: 'pushed' },
      { reference: `${secure.host}/golden/mirror:1.2.0@${digest}`, digest, status: 'pushed' },
    ]);
    expect(JSON.parse(run.outputs.amis as string)).toEqual({});
    expect(run.stdout).toContain(`::add-mask::${user.password}`);
    expect(run.stdout.split(`::add-mask::${user.password}`).join('')).not.toContain(user.password);
    expect(run.summary).toContain('<h2>Publish image: passed</h2>');
    expect(run.summary).toContain(`<code>${secure.host}/golden/mirror:1.2.0</code>`);
    // The second repository got the blobs by mount, not by a second upload.
    expect(run.summary).toMatch(/0 uploaded \(0 B\), 2 mounted, 0 already there/);
    expect(run.stdout).toContain('publish-image passed: published to 3 destinations.');
    const pulled = execFileSync(
      'skopeo',
      [
        'inspect',
        '--cert-dir',
        secure.certDir as string,
        '--creds',
        `${user.username}:${user.password}`,
        '--format',
        '{{.Digest}}',
        `docker://${secure.host}/golden/base:1.2.0`,
      ],
      { encoding: 'utf8' },
    ).trim();
    expect(pulled).toBe(digest);

    // The same inputs again: nothing is uploaded, every destination already holds the image.
    const before = secure.requests().length;
    const again = runBundle(BUNDLE, {}, inputs, (workspace) => {
      fs.cpSync(path.join(run.workspace, 'build'), path.join(workspace, 'build'), { recursive: true });
      fs.copyFileSync(secure.caFile as string, path.join(workspace, 'registry-ca.pem'));
    });
    expect(again.status).toBe(0);
    expect(JSON.parse(again.outputs.images as string).map((i: { status: string }) => i.status)).toEqual([
      'unchanged',
      'unchanged',
      'unchanged',
    ]);
    expect(
      plain
        .requests()
        .slice(before)
        .filter((r) => /^(POST|PUT|PATCH)/.test(r)),
    ).toEqual([]);
  });

  it('fails the step when a destination fails, after pushing the others and saying which and why', () => {
    const run = runBundle(
      BUNDLE,
      {},
      {
        source: 'oci:build/image:1.2.0',
        destinations: `${secure.host}/no-credentials/app:1\n${plain.host}/fine/app:1`,
        'insecure-registries': plain.host,
        'ca-file': 'registry-ca.pem',
      },
      withImage,
    );
    expect(run.status).toBe(1);
    expect(run.stdout).toMatch(
      /::error::publish-image failed: 1 of 2 destinations failed\. .*no-credentials\/app:1: .*requires credentials; give registry-username and registry-password/,
    );
    expect(JSON.parse(run.outputs.images as string)).toEqual([
      expect.objectContaining({
        reference: expect.stringContaining(`${plain.host}/fine/app:1@sha256:`),
        status: 'pushed',
      }),
    ]);
    expect(run.summary).toContain('<h2>Publish image: failed</h2>');
    expect(run.summary).toContain('FAILED');
  });

  it.each([
    [
      { source: 'oci:build/missing', destinations: 'x.io/a:1' },
      /Source 'oci:build\/missing': the folder .* does not exist/,
    ],
    [{ source: 'oci:build/image:9.9', destinations: 'x.io/a:1' }, /9\.9/],
    [
      { source: 'oci:build/image:1.2.0', destinations: 'Bad/Name:1' },
      /Invalid value "Bad\/Name:1" for input 'destinations'/,
    ],
    [
      { source: 'oci:build/image:1.2.0', destinations: 'x.io/a:1', 'registry-username': 'me' },
      /registry-password/,
    ],
    [{}, /Nothing to publish/],
  ])('reports bad input %j as one clear error, with no stack trace', (inputs, message) => {
    const run = runBundle(BUNDLE, {}, inputs as Record<string, string>, withImage);
    expect(run.status).toBe(1);
    expect(run.stdout).toMatch(new RegExp(`::error::.*${message.source}`));
    expect(run.stdout).not.toMatch(/Unexpected error|\n\s+at /);
    expect(run.stderr).toBe('');
  });
});
