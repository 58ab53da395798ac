/**
 * The registry client's edges that a healthy local registry never shows, against a strict fake
 * transport that answers a script of exchanges and fails on anything else: a dropped upload, a
 * Location on another host, a token without push rights, a digest the registry got wrong.
 */
import { describe, expect, it } from '@jest/globals';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Readable } from 'node:stream';
import {
  NetworkError,
  type HttpRequest,
  type HttpResponse,
  type Transport,
} from '../../src/publish-image/http.js';
import type { BlobFile } from '../../src/publish-image/image.js';
import { RegistryClient } from '../../src/publish-image/registry.js';

interface Seen {
  method: string;
  url: string;
  authorization?: string;
  body?: string;
}

type Answer = Partial<HttpResponse> | Error;

/** Answers each request with the next scripted answer whose pattern matches "METHOD url". */
function scripted(script: Array<[RegExp, Answer]>): Transport & { seen: Seen[] } {
  const seen: Seen[] = [];
  return {
    seen,
    async request(req: HttpRequest) {
      let body: string | undefined;
      if (Buffer.isBuffer(req.body)) body = req.body.toString();
      else if (req.body) {
        const chunks: Buffer[] = [];
        for await (const chunk of req.body.stream() as Readable) chunks.push(chunk as Buffer);
        body = Buffer.concat(chunks).toString();
      }
      const line = `${req.method} ${req.url.href}`;
      seen.push({ method: req.method, url: req.url.href, authorization: req.headers?.authorization, body });
      const next = script.shift();
      if (!next || !next[0].test(line)) throw new Error(`unexpected request ${line} (expected ${next?.[0]})`);
      const answer = next[1];
      if (answer instanceof Error) throw answer;
      return { status: 200, headers: {}, body: Buffer.alloc(0), ...answer };
    },
    close() {},
  };
}

const BASE = 'https://registry.example:5000';
const credentials = { username: 'robot', password: 'robot-password', from: 'registry-username' };
const noSleep = { sleep: async () => {} };

function blobFile(content: string): BlobFile {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'imagepipe-blob-'));
  const file = path.join(dir, 'blob');
  fs.writeFileSync(file, content);
  return {
    digest: 'sha256:' + '1'.repeat(64),
    size: content.length,
    mediaType: 'application/octet-stream',
    path: file,
  };
}

describe('RegistryClient uploads', () => {
  it('starts a new upload session after a dropped connection, never resending into the old one', async () => {
    const transport = scripted([
      [
        /^POST .*\/v2\/team\/app\/blobs\/uploads\/$/,
        { status: 202, headers: { location: '/v2/team/app/blobs/uploads/one' } },
      ],
      [/^PUT .*uploads\/one\?digest=/, new NetworkError('socket hang up', 'ECONNRESET')],
      [
        /^POST .*\/blobs\/uploads\/$/,
        { status: 202, headers: { location: '/v2/team/app/blobs/uploads/two' } },
      ],
      [
        /^PUT .*uploads\/two\?digest=/,
        { status: 201, headers: { 'docker-content-digest': 'sha256:' + '1'.repeat(64) } },
      ],
    ]);
    const logs: string[] = [];
    const client = new RegistryClient({
      registry: 'registry.example:5000',
      baseUrl: BASE,
      transport,
      retry: noSleep,
      log: (m) => logs.push(m),
    });
    await client.uploadBlob('team/app', blobFile('layer bytes'));
    expect(transport.seen.map((s) => s.method)).toEqual(['POST', 'PUT', 'POST', 'PUT']);
    expect(transport.seen[3]?.body).toBe('layer bytes');
    expect(logs.join('\n')).toMatch(/try 1 of 4 failed \(socket hang up\)/);
  });

  it('sends large blobs as PATCH chunks with Content-Range, then an empty PUT', async () => {
    const transport = scripted([
      [/^POST /, { status: 202, headers: { location: `${BASE}/v2/a/blobs/uploads/u?_state=s0` } }],
      [
        /^PATCH .*_state=s0$/,
        { status: 202, headers: { location: `${BASE}/v2/a/blobs/uploads/u?_state=s1` } },
      ],
      [
        /^PATCH .*_state=s1$/,
        { status: 202, headers: { location: `${BASE}/v2/a/blobs/uploads/u?_state=s2` } },
      ],
      [/^PUT .*_state=s2&digest=sha256%3A1{64}$/, { status: 201 }],
    ]);
    const client = new RegistryClient({
      registry: 'r',
      baseUrl: BASE,
      transport,
      chunkSize: 6,
      retry: noSleep,
    });
    await client.uploadBlob('a', blobFile('0123456789'));
    expect(transport.seen.map((s) => s.body ?? '')).toEqual(['', '012345', '6789', '']);
  });

  it('refuses a registry that reports another digest than the blob it was sent', async () => {
    const transport = scripted([
      [/^POST /, { status: 202, headers: { location: '/v2/a/blobs/uploads/u' } }],
      [/^PUT /, { status: 201, headers: { 'docker-content-digest': 'sha256:' + '2'.repeat(64) } }],
    ]);
    const client = new RegistryClient({ registry: 'r', baseUrl: BASE, transport, retry: noSleep });
    await expect(client.uploadBlob('a', blobFile('x'))).rejects.toThrow(
      /the registry reports digest sha256:2{64}, but the image's is sha256:1{64}/,
    );
  });
});

describe('RegistryClient credentials', () => {
  it('sends Basic credentials to the registry only, not to an upload Location on another host', async () => {
    const transport = scripted([
      [/^POST /, { status: 401, headers: { 'www-authenticate': 'Basic realm="r"' } }],
      [/^POST /, { status: 202, headers: { location: 'https://storage.example/upload/123' } }],
      [/^PUT https:\/\/storage\.example\/upload\/123\?digest=/, { status: 201 }],
    ]);
    const client = new RegistryClient({
      registry: 'r',
      baseUrl: BASE,
      transport,
      credentials,
      retry: noSleep,
    });
    await client.uploadBlob('a', blobFile('x'));
    expect(transport.seen.map((s) => s.authorization)).toEqual([
      undefined,
      `Basic ${Buffer.from('robot:robot-password').toString('base64')}`,
      undefined,
    ]);
  });

  it('never sends credentials to a token service over plain HTTP when the registry is on HTTPS', async () => {
    const transport = scripted([
      [
        /^HEAD /,
        {
          status: 401,
          headers: { 'www-authenticate': 'Bearer realm="http://auth.example/token",service="r"' },
        },
      ],
    ]);
    const client = new RegistryClient({
      registry: 'r',
      baseUrl: BASE,
      transport,
      credentials,
      retry: noSleep,
    });
    await expect(client.hasBlob('a', 'sha256:' + '1'.repeat(64))).rejects.toThrow(
      /sends clients for a token to http:\/\/auth\.example, over plain HTTP; the credentials are not sent there/,
    );
    expect(transport.seen).toHaveLength(1);
  });

  it('says a token without push rights may not push, rather than blaming the credentials', async () => {
    const challenge = 'Bearer realm="https://auth.example/token",service="r",scope="repository:a:pull,push"';
    const transport = scripted([
      [/^HEAD /, { status: 401, headers: { 'www-authenticate': challenge } }],
      [
        /^GET https:\/\/auth\.example\/token\?service=r&scope=repository%3Aa%3Apull%2Cpush$/,
        { status: 200, body: Buffer.from('{"token":"t0k"}') },
      ],
      [/^HEAD /, { status: 401, headers: { 'www-authenticate': `${challenge},error="insufficient_scope"` } }],
    ]);
    const masked: string[] = [];
    const client = new RegistryClient({
      registry: 'r',
      baseUrl: BASE,
      transport,
      credentials,
      retry: noSleep,
      secret: (s) => masked.push(s),
    });
    await expect(client.hasBlob('a', 'sha256:' + '1'.repeat(64))).rejects.toThrow(
      /r denied access \(401\); check that the credentials from registry-username may push to this repository/,
    );
    expect(transport.seen[1]?.authorization).toBe(
      `Basic ${Buffer.from('robot:robot-password').toString('base64')}`,
    );
    expect(transport.seen[2]?.authorization).toBe('Bearer t0k');
    expect(masked).toEqual(['t0k']);
  });

  it('waits as long as a 429 or 503 Retry-After asks, in seconds or as a date, up to 20 s', async () => {
    const later = new Date(Date.now() + 3_600_000).toUTCString();
    const transport = scripted([
      [/^HEAD /, { status: 429, headers: { 'retry-after': '7' } }],
      [/^HEAD /, { status: 503, headers: { 'retry-after': later } }],
      [/^HEAD /, { status: 200 }],
    ]);
    const sleeps: number[] = [];
    const client = new RegistryClient({
      registry: 'r',
      baseUrl: BASE,
      transport,
      retry: { sleep: async (ms) => void sleeps.push(ms) },
    });
    expect(await client.hasBlob('a', 'sha256:' + '1'.repeat(64))).toBe(true);
    expect(sleeps).toEqual([7000, 20_000]);
  });

  it('retries 503 and 429 answers, then gives up naming the status', async () => {
    const busy = {
      status: 503,
      body: Buffer.from('{"errors":[{"code":"UNAVAILABLE","message":"try later"}]}'),
    };
    const transport = scripted([
      [/^HEAD /, { status: 429 }],
      [/^HEAD /, busy],
      [/^HEAD /, { status: 404 }],
      [/^HEAD /, busy],
      [/^HEAD /, busy],
      [/^HEAD /, busy],
      [/^HEAD /, busy],
      [/^HEAD /, busy],
    ]);
    const client = new RegistryClient({ registry: 'r', baseUrl: BASE, transport, retry: noSleep });
    expect(await client.hasBlob('a', 'sha256:' + '1'.repeat(64))).toBe(false);
    await expect(client.hasBlob('a', 'sha256:' + '1'.repeat(64))).rejects.toThrow(
      /check blob sha256:1{64} in a: the registry answered 503 UNAVAILABLE: try later/,
    );
  });
});
