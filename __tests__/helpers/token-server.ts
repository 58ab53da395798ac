/**
 * A token service for distribution's `auth: token` mode, as Docker Hub and GHCR run one: it
 * checks Basic credentials and signs a JWT (RS256, the certificate in `x5c`) granting the scopes
 * asked for. The registry trusts the certificate through its `rootcertbundle`.
 */
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as net from 'node:net';
import * as path from 'node:path';
import { selfSignedCertificate } from './registry.js';

export interface TokenServer {
  realm: string;
  /** YAML for the registry config's `auth:` section. */
  authYaml: string;
  /** The scopes of every token request, one list per request. */
  scopes: string[][];
  /** How many token requests were refused for bad credentials. */
  refused: number;
  close(): Promise<void>;
}

const b64url = (data: Buffer | string) => Buffer.from(data).toString('base64url');

export async function startTokenServer(
  dir: string,
  credentials: { username: string; password: string },
): Promise<TokenServer> {
  const signer = path.join(dir, 'signer');
  fs.mkdirSync(signer, { recursive: true });
  const { cert, key } = selfSignedCertificate(signer);
  const certDer = new crypto.X509Certificate(fs.readFileSync(cert)).raw;
  const keyPem = fs.readFileSync(key, 'utf8');
  const state: TokenServer = {
    realm: '',
    authYaml: '',
    scopes: [],
    refused: 0,
    close: () =>
      new Promise((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const expected = `Basic ${Buffer.from(`${credentials.username}:${credentials.password}`).toString('base64')}`;
    if (req.headers.authorization !== expected) {
      state.refused++;
      res.writeHead(401, { 'content-type': 'application/json' });
      res.end('{"details":"incorrect username or password"}');
      return;
    }
    const scopes = url.searchParams.getAll('scope');
    state.scopes.push(scopes);
    const now = Math.floor(Date.now() / 1000);
    const header = { typ: 'JWT', alg: 'RS256', x5c: [certDer.toString('base64')] };
    const claims = {
      iss: 'imagepipe-test-issuer',
      sub: credentials.username,
      aud: url.searchParams.get('service'),
      exp: now + 300,
      nbf: now - 10,
      iat: now,
      jti: crypto.randomUUID(),
      access: scopes.map((s) => {
        const [type, name, actions] = s.split(':');
        return { type, name, actions: (actions ?? '').split(',') };
      }),
    };
    const input = `${b64url(JSON.stringify(header))}.${b64url(JSON.stringify(claims))}`;
    const signature = crypto.sign('RSA-SHA256', Buffer.from(input), keyPem);
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ token: `${input}.${b64url(signature)}`, expires_in: 300 }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const { port } = server.address() as net.AddressInfo;
  state.realm = `http://127.0.0.1:${port}/token`;
  state.authYaml = [
    '  token:',
    `    realm: ${state.realm}`,
    '    service: imagepipe-test-registry',
    '    issuer: imagepipe-test-issuer',
    `    rootcertbundle: ${JSON.stringify(cert)}`,
  ].join('\n');
  return state;
}
