/**
 * Pushing through the proxy the environment names (HTTP_PROXY, HTTPS_PROXY, NO_PROXY), as
 * self-hosted runners behind a company proxy need: a CONNECT proxy in this process,
 * real registries behind it.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { DescribeRegionsCommand } from '@aws-sdk/client-ec2';
import { lazyAwsClients } from '../../src/publish-image/clients.js';
import { createTransport } from '../../src/publish-image/http.js';
import { pushImage } from '../../src/publish-image/push.js';
import { parseReference } from '../../src/publish-image/reference.js';
import { RegistryClient } from '../../src/publish-image/registry.js';
import { imageOf } from '../helpers/local-image.js';
import { writeLayout } from '../helpers/oci.js';
import { startRegistry, type TestRegistry } from '../helpers/registry.js';

const user = { username: 'proxied', password: 'proxied-password' };
let plain: TestRegistry;
let secure: TestRegistry;
let proxy: http.Server;
let proxyUrl: string;
let work: string;
const seen: string[] = [];

function startProxy(): Promise<http.Server> {
  // A CONNECT proxy: hpagent tunnels both HTTP and HTTPS requests; anything else is refused.
  const server = http.createServer((req, res) => {
    seen.push(`${req.method} ${req.url}`);
    res.writeHead(405).end();
  });
  server.on('connect', (req: http.IncomingMessage, socket: net.Socket, head: Buffer) => {
    seen.push(`CONNECT ${req.url}`);
    const [host, port] = (req.url ?? '').split(':');
    const upstream = net.connect(Number(port), host, () => {
      socket.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      upstream.write(head);
      upstream.pipe(socket);
      socket.pipe(upstream);
    });
    upstream.on('error', () => socket.destroy());
    socket.on('error', () => upstream.destroy());
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

const saved = { ...process.env };
beforeAll(async () => {
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'imagepipe-proxy-'));
  [plain, secure, proxy] = await Promise.all([
    startRegistry(),
    startRegistry({ tls: true, auth: user }),
    startProxy(),
  ]);
  proxyUrl = `http://127.0.0.1:${(proxy.address() as net.AddressInfo).port}`;
});
afterAll(async () => {
  proxy.closeAllConnections();
  await Promise.all([plain.stop(), secure.stop(), new Promise((r) => proxy.close(r))]);
  fs.rmSync(work, { recursive: true, force: true });
});
afterEach(() => {
  for (const key of ['HTTP_PROXY', 'HTTPS_PROXY', 'NO_PROXY', 'http_proxy', 'https_proxy', 'no_proxy'])
    delete process.env[key];
  Object.assign(process.env, saved);
  seen.length = 0;
});

async function push(registry: TestRegistry, repo: string, options: { ca?: string; tls?: boolean } = {}) {
  const dir = path.join(work, repo.replace(/\W/g, '-'));
  const layout = writeLayout(dir, 'v1', [{ layerSizes: [3000] }]);
  const transport = createTransport(options.ca ? { ca: options.ca } : {});
  const client = new RegistryClient({
    registry: registry.host,
    baseUrl: registry.baseUrl,
    transport,
    ...(options.tls ? { credentials: { ...user, from: 'registry-username' } } : {}),
    retry: { sleep: async () => {} },
  });
  const raw = `${registry.host}/${repo}:v1`;
  const [result] = await pushImage(
    imageOf(dir, layout.digest),
    [{ raw, ref: parseReference('destinations', raw) }],
    {
      client: async () => client,
      log: () => {},
    },
  );
  transport.close();
  return result;
}

describe('the environment proxy', () => {
  it('sends plain HTTP requests through HTTP_PROXY', async () => {
    process.env.HTTP_PROXY = proxyUrl;
    const result = await push(plain, 'proxied/plain');
    expect(result?.status).toBe('pushed');
    // hpagent tunnels plain HTTP with CONNECT too.
    expect(seen).toContain(`CONNECT ${plain.host}`);
  });

  it('tunnels HTTPS through HTTPS_PROXY with CONNECT, still checking the registry certificate against ca-file', async () => {
    process.env.HTTPS_PROXY = proxyUrl;
    const result = await push(secure, 'proxied/tls', { ca: secure.ca as string, tls: true });
    expect(result?.status).toBe('pushed');
    expect(seen).toContain(`CONNECT ${secure.host}`);
    const noCa = await push(secure, 'proxied/no-ca', { tls: true });
    expect(noCa?.error).toMatch(/through the proxy http:\/\/127\.0\.0\.1:\d+: .*certificate/);
  });

  it('leaves the hosts NO_PROXY names alone', async () => {
    process.env.HTTP_PROXY = proxyUrl;
    process.env.NO_PROXY = '127.0.0.1';
    const result = await push(plain, 'proxied/exempt');
    expect(result?.status).toBe('pushed');
    expect(seen).toEqual([]);
  });

  it('names an unreachable proxy without its password', async () => {
    const withPassword = new URL('http://127.0.0.1:9');
    withPassword.username = 'someone';
    withPassword.password = 'proxy-secret';
    process.env.HTTP_PROXY = withPassword.href;
    const result = await push(plain, 'proxied/down');
    expect(result?.error).toMatch(
      /cannot reach the registry at http:\/\/127\.0\.0\.1:\d+ through the proxy http:\/\/127\.0\.0\.1:9: /,
    );
    expect(result?.error).not.toContain('proxy-secret');
  });

  it('sends AWS API requests through HTTPS_PROXY too, unless NO_PROXY names the endpoint', async () => {
    process.env.HTTPS_PROXY = proxyUrl;
    process.env.AWS_ACCESS_KEY_ID = 'AKIDEXAMPLE';
    process.env.AWS_SECRET_ACCESS_KEY = 'example-secret-key-for-signing';
    const clients = await lazyAwsClients()();
    const abort = new AbortController();
    const call = clients.ec2('eu-west-1').send(new DescribeRegionsCommand({}), { abortSignal: abort.signal });
    for (let i = 0; i < 100 && !seen.includes('CONNECT ec2.eu-west-1.amazonaws.com:443'); i++) {
      await new Promise((r) => setTimeout(r, 50));
    }
    abort.abort();
    await call.catch(() => undefined);
    expect(seen).toContain('CONNECT ec2.eu-west-1.amazonaws.com:443');

    seen.length = 0;
    process.env.NO_PROXY = '.amazonaws.com';
    const direct = (await lazyAwsClients()()).ec2('eu-west-1');
    await direct
      .send(new DescribeRegionsCommand({}), { abortSignal: AbortSignal.timeout(300) })
      .catch(() => undefined);
    expect(seen).toEqual([]);
  });
});
