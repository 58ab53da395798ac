/**
 * A real registry for the tests: Debian's docker-registry (distribution 2.8) on 127.0.0.1, on a
 * free port, storing into a temporary folder. Plain HTTP, or TLS with a self-signed certificate
 * made by openssl and htpasswd Basic auth: the stand-in for ECR.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as https from 'node:https';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';

export interface TestRegistry {
  /** `127.0.0.1:PORT`, as it appears in image references. */
  host: string;
  baseUrl: string;
  dir: string;
  /** PEM of the self-signed certificate, when TLS is on. */
  ca?: string;
  caFile?: string;
  /** A folder holding the certificate as `ca.crt`, for `skopeo --cert-dir`. */
  certDir?: string;
  username?: string;
  password?: string;
  /** Every request the registry logged, as "METHOD path", oldest first. */
  requests(): string[];
  stop(): Promise<void>;
}

export interface RegistryOptions {
  tls?: boolean;
  /** Basic auth with these credentials (htpasswd, bcrypt). */
  auth?: { username: string; password: string };
  /** Extra YAML under `auth:` (for token auth), instead of htpasswd. */
  authYaml?: string;
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

export function selfSignedCertificate(dir: string): { cert: string; key: string } {
  const cert = path.join(dir, 'cert.pem');
  const key = path.join(dir, 'key.pem');
  execFileSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-keyout',
      key,
      '-out',
      cert,
      '-days',
      '2',
      '-subj',
      '/CN=127.0.0.1',
      '-addext',
      'subjectAltName=IP:127.0.0.1,DNS:localhost',
    ],
    { stdio: 'ignore' },
  );
  return { cert, key };
}

function ping(url: string, ca?: string): Promise<boolean> {
  return new Promise((resolve) => {
    const lib = url.startsWith('https:') ? https : http;
    const req = lib.get(`${url}/v2/`, { ca, timeout: 1000 }, (res) => {
      res.resume();
      resolve(true);
    });
    req.on('error', () => resolve(false));
    req.on('timeout', () => req.destroy());
  });
}

export async function startRegistry(options: RegistryOptions = {}): Promise<TestRegistry> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'imagepipe-registry-'));
  const port = await freePort();
  const host = `127.0.0.1:${port}`;
  const lines = [
    'version: 0.1',
    'log:',
    '  level: info',
    '  formatter: json',
    '  accesslog:',
    '    disabled: false',
    'storage:',
    `  filesystem: { rootdirectory: ${JSON.stringify(path.join(dir, 'data'))} }`,
    '  delete: { enabled: true }',
    'http:',
    `  addr: ${host}`,
  ];
  let ca: string | undefined;
  let caFile: string | undefined;
  let certDir: string | undefined;
  if (options.tls) {
    const { cert, key } = selfSignedCertificate(dir);
    lines.push('  tls:', `    certificate: ${JSON.stringify(cert)}`, `    key: ${JSON.stringify(key)}`);
    ca = fs.readFileSync(cert, 'utf8');
    caFile = cert;
    certDir = path.join(dir, 'certs.d');
    fs.mkdirSync(certDir);
    fs.copyFileSync(cert, path.join(certDir, 'ca.crt'));
  }
  if (options.auth) {
    const htpasswd = path.join(dir, 'htpasswd');
    fs.writeFileSync(
      htpasswd,
      execFileSync('htpasswd', ['-Bbn', options.auth.username, options.auth.password], { encoding: 'utf8' }),
    );
    lines.push('auth:', '  htpasswd:', '    realm: imagepipe-test', `    path: ${JSON.stringify(htpasswd)}`);
  } else if (options.authYaml) {
    lines.push('auth:', options.authYaml);
  }
  const config = path.join(dir, 'config.yml');
  fs.writeFileSync(config, `${lines.join('\n')}\n`);
  const log = fs.openSync(path.join(dir, 'registry.log'), 'a');
  const child: ChildProcess = spawn('docker-registry', ['serve', config], { stdio: ['ignore', log, log] });
  fs.closeSync(log);
  const baseUrl = `${options.tls ? 'https' : 'http'}://${host}`;
  for (let i = 0; ; i++) {
    if (await ping(baseUrl, ca)) break;
    if (i > 100 || child.exitCode !== null) {
      child.kill();
      throw new Error(
        `docker-registry did not start:\n${fs.readFileSync(path.join(dir, 'registry.log'), 'utf8')}`,
      );
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    host,
    baseUrl,
    dir,
    ca,
    caFile,
    certDir,
    username: options.auth?.username,
    password: options.auth?.password,
    requests() {
      const text = fs.readFileSync(path.join(dir, 'registry.log'), 'utf8');
      const out: string[] = [];
      for (const line of text.split('\n')) {
        // access log lines: 127.0.0.1 - - [date] "METHOD /path HTTP/1.1" status size ...
        const m = /"(GET|HEAD|POST|PUT|PATCH|DELETE) (\S+) HTTP\/[\d.]+" (\d{3})/.exec(line);
        if (m) out.push(`${m[1]} ${m[2]} ${m[3]}`);
      }
      return out;
    },
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) {
          fs.rmSync(dir, { recursive: true, force: true });
          resolve();
          return;
        }
        child.once('exit', () => {
          fs.rmSync(dir, { recursive: true, force: true });
          resolve();
        });
        child.kill('SIGTERM');
      }),
  };
}
