import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { execFile, execFileSync } from 'node:child_process';
import { promisify } from 'node:util';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Credentials } from '../../src/publish-image/auth.js';
import { createTransport } from '../../src/publish-image/http.js';
import { pushImage } from '../../src/publish-image/push.js';
import { parseReference } from '../../src/publish-image/reference.js';
import { RegistryClient } from '../../src/publish-image/registry.js';
import { writeLayout } from '../helpers/oci.js';
import { startRegistry, type TestRegistry } from '../helpers/registry.js';
import { startTokenServer, type TokenServer } from '../helpers/token-server.js';
import { imageOf } from '../helpers/local-image.js';

const user = { username: 'pusher', password: 'password-for-tests' };
const cred = (password = user.password): Credentials => ({
  username: user.username,
  password,
  from: 'registry-username',
});

let work: string;
beforeAll(() => {
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'imagepipe-auth-'));
});
afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

async function push(
  registry: TestRegistry,
  repo: string,
  options: { ca?: string; credentials?: Credentials; secrets?: string[] },
) {
  const dir = path.join(work, repo.replace(/\W/g, '-'));
  const layout = writeLayout(dir, 'v1', [{ layerSizes: [4000, 9000] }]);
  const transport = createTransport({ ca: options.ca });
  const client = new RegistryClient({
    registry: registry.host,
    baseUrl: registry.baseUrl,
    transport,
    credentials: options.credentials,
    secret: (s) => options.secrets?.push(s),
    retry: { sleep: async () => {} },
  });
  const raw = `${registry.host}/${repo}:v1`;
  const results = await pushImage(
    imageOf(dir, layout.digest),
    [{ raw, ref: parseReference('destinations', raw) }],
    {
      client: async () => client,
      log: () => {},
    },
  );
  transport.close();
  return { result: results[0], layout };
}

describe('htpasswd Basic auth over TLS with a self-signed certificate (the ECR stand-in)', () => {
  let registry: TestRegistry;
  beforeAll(async () => {
    registry = await startRegistry({ tls: true, auth: user });
  });
  afterAll(() => registry.stop());

  it('refuses an unknown CA and says to give ca-file', async () => {
    const { result } = await push(registry, 'tls/no-ca', { credentials: cred() });
    expect(result?.status).toBe('failed');
    expect(result?.error).toMatch(
      /cannot reach the registry at https:\/\/127\.0\.0\.1:\d+: .*certificate.*give that CA in ca-file/,
    );
  });

  it('says a registry listed as insecure answers in TLS', async () => {
    const transport = createTransport();
    const client = new RegistryClient({
      registry: registry.host,
      baseUrl: `http://${registry.host}`,
      transport,
    });
    await expect(client.hasBlob('tls/x', 'sha256:' + '1'.repeat(64))).rejects.toThrow(
      /the answer is not plain HTTP \(.*\); the registry probably speaks TLS, so leave 127\.0\.0\.1:\d+ out of insecure-registries/,
    );
    transport.close();
  });

  it('asks for credentials when none are given', async () => {
    const { result } = await push(registry, 'tls/anon', { ca: registry.ca });
    expect(result?.error).toMatch(/requires credentials; give registry-username and registry-password/);
  });

  it('says the credentials were refused, naming where they came from', async () => {
    const { result } = await push(registry, 'tls/wrong', {
      ca: registry.ca,
      credentials: cred('bad-secret-42'),
    });
    expect(result?.error).toMatch(/refused the credentials from registry-username \(401/);
    expect(result?.error).not.toContain('bad-secret-42');
  });

  it('pushes with the CA and the credentials, and skopeo reads the image back', async () => {
    const { result, layout } = await push(registry, 'tls/app', { ca: registry.ca, credentials: cred() });
    expect(result?.status).toBe('pushed');
    const digest = execFileSync(
      'skopeo',
      [
        'inspect',
        '--cert-dir',
        registry.certDir as string,
        '--creds',
        `${user.username}:${user.password}`,
        '--format',
        '{{.Digest}}',
        `docker://${registry.host}/tls/app:v1`,
      ],
      { encoding: 'utf8' },
    ).trim();
    expect(digest).toBe(layout.digest);
  });
});

describe('Bearer token auth, as Docker Hub and GHCR do it', () => {
  let registry: TestRegistry;
  let tokens: TokenServer;
  beforeAll(async () => {
    tokens = await startTokenServer(work, user);
    registry = await startRegistry({ authYaml: tokens.authYaml });
  });
  afterAll(async () => {
    await registry.stop();
    await tokens.close();
  });

  it('gets a token for push and pull on the repository, masks it, and pushes', async () => {
    const secrets: string[] = [];
    const { result, layout } = await push(registry, 'bearer/app', { credentials: cred(), secrets });
    expect(result?.status).toBe('pushed');
    expect(tokens.scopes).toContainEqual(['repository:bearer/app:pull,push']);
    expect(secrets.length).toBeGreaterThan(0);
    expect(secrets[0]).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+$/);
    // Asynchronously: the token service answering skopeo runs in this process.
    const { stdout } = await promisify(execFile)('skopeo', [
      'inspect',
      '--tls-verify=false',
      '--creds',
      `${user.username}:${user.password}`,
      '--format',
      '{{.Digest}}',
      `docker://${registry.host}/bearer/app:v1`,
    ]);
    const digest = stdout.trim();
    expect(digest).toBe(layout.digest);
  });

  it('says the token service refused the credentials', async () => {
    const before = tokens.refused;
    const { result } = await push(registry, 'bearer/wrong', { credentials: cred('nope') });
    expect(result?.error).toMatch(/127\.0\.0\.1:\d+ refused the credentials from registry-username \(401/);
    expect(tokens.refused).toBeGreaterThan(before);
  });
});
