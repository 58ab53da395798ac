import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { createTransport, type Transport } from '../../src/publish-image/http.js';
import { pushImage, type Destination } from '../../src/publish-image/push.js';
import { parseReference } from '../../src/publish-image/reference.js';
import { RegistryClient } from '../../src/publish-image/registry.js';
import { imageOf } from '../helpers/local-image.js';
import { writeLayout } from '../helpers/oci.js';
import { startRegistry, type TestRegistry } from '../helpers/registry.js';

function skopeoInspect(ref: string, extra: string[] = []): { Digest: string; Layers: string[] } {
  return JSON.parse(
    execFileSync('skopeo', ['inspect', '--raw', ...extra, `docker://${ref}`], { encoding: 'utf8' }),
  ) as never;
}

function skopeoDigest(ref: string, extra: string[] = []): string {
  return execFileSync('skopeo', ['inspect', '--format', '{{.Digest}}', ...extra, `docker://${ref}`], {
    encoding: 'utf8',
  }).trim();
}

describe('pushing to a real registry over plain HTTP', () => {
  let registry: TestRegistry;
  let work: string;
  let transport: Transport;
  const logs: string[] = [];
  const client = (chunkSize?: number) =>
    new RegistryClient({
      registry: registry.host,
      baseUrl: registry.baseUrl,
      transport,
      chunkSize,
      log: (m) => logs.push(m),
    });
  const dest = (raw: string): Destination => ({ raw, ref: parseReference('destinations', raw) });

  beforeAll(async () => {
    registry = await startRegistry();
    work = fs.mkdtempSync(path.join(os.tmpdir(), 'imagepipe-push-'));
    transport = createTransport();
  });
  afterAll(async () => {
    transport.close();
    await registry.stop();
    fs.rmSync(work, { recursive: true, force: true });
  });

  it('pushes an image, then mounts its blobs into a second repository, then uploads nothing again', async () => {
    const layout = writeLayout(path.join(work, 'one'), 'v1', [{ layerSizes: [1000, 200_000, 3_000_000] }]);
    const image = imageOf(path.join(work, 'one'), layout.digest);
    const c = client();
    const first = await pushImage(
      image,
      [dest(`${registry.host}/team/app:1.0`), dest(`${registry.host}/other/app:1.0`)],
      {
        client: async () => c,
        log: (m) => logs.push(m),
      },
    );
    expect(first.map((r) => [r.status, r.uploaded, r.mounted, r.existing])).toEqual([
      ['pushed', 4, 0, 0],
      ['pushed', 0, 4, 0],
    ]);
    expect(first[0]?.reference).toBe(`${registry.host}/team/app:1.0@${layout.digest}`);
    const flags = ['--tls-verify=false'];
    expect(skopeoDigest(`${registry.host}/team/app:1.0`, flags)).toBe(layout.digest);
    expect(skopeoDigest(`${registry.host}/other/app:1.0`, flags)).toBe(layout.digest);
    expect(skopeoInspect(`${registry.host}/team/app:1.0`, flags).Layers).toBeUndefined();

    const before = registry.requests().length;
    const again = await pushImage(image, [dest(`${registry.host}/team/app:1.0`)], {
      client: async () => c,
      log: () => {},
    });
    expect(again[0]?.status).toBe('unchanged');
    const sent = registry.requests().slice(before);
    expect(sent.filter((r) => /^(POST|PUT|PATCH)/.test(r))).toEqual([]);

    // A new tag of the same image: every blob is already there, only the manifest goes up.
    const before2 = registry.requests().length;
    const retag = await pushImage(image, [dest(`${registry.host}/team/app:1.0.1`)], {
      client: async () => c,
      log: () => {},
    });
    expect(retag[0]).toMatchObject({ status: 'pushed', uploaded: 0, existing: 4 });
    expect(
      registry
        .requests()
        .slice(before2)
        .filter((r) => /^(POST|PATCH)/.test(r)),
    ).toEqual([]);
  });

  it('sends a large blob in PATCH chunks and the registry holds exactly its bytes', async () => {
    const layout = writeLayout(path.join(work, 'big'), 'v1', [{ layerSizes: [2_500_000] }]);
    const image = imageOf(path.join(work, 'big'), layout.digest);
    const [result] = await pushImage(image, [dest(`${registry.host}/big/app:v1`)], {
      client: async () => client(1024 * 1024),
      log: () => {},
    });
    expect(result?.status).toBe('pushed');
    const patches = registry.requests().filter((r) => r.startsWith('PATCH /v2/big/app/blobs/uploads/'));
    expect(patches).toHaveLength(3);
    const out = path.join(work, 'pulled');
    execFileSync(
      'skopeo',
      ['copy', '--src-tls-verify=false', `docker://${registry.host}/big/app:v1`, `oci:${out}:v1`],
      {
        stdio: 'ignore',
      },
    );
    const layer = layout.layers[0] as string;
    expect(fs.readFileSync(path.join(out, 'blobs/sha256', layer.slice(7)))).toEqual(
      fs.readFileSync(path.join(work, 'big/blobs/sha256', layer.slice(7))),
    );
  });

  it('pushes a multi-platform index with its manifests', async () => {
    const layout = writeLayout(
      path.join(work, 'multi'),
      'v1',
      [
        { layerSizes: [5000], platform: { architecture: 'amd64', os: 'linux' } },
        { layerSizes: [6000], platform: { architecture: 'arm64', os: 'linux', variant: 'v8' } },
      ],
      { index: true },
    );
    const image = imageOf(path.join(work, 'multi'), layout.digest);
    const [result] = await pushImage(image, [dest(`${registry.host}/multi/app:v1`)], {
      client: async () => client(),
      log: () => {},
    });
    expect(result?.status).toBe('pushed');
    const raw = skopeoInspect(`${registry.host}/multi/app:v1`, ['--tls-verify=false']) as unknown as {
      manifests: Array<{ digest: string }>;
    };
    expect(raw.manifests.map((m) => m.digest)).toEqual(layout.manifests);
    for (const digest of layout.manifests) {
      const bytes = execFileSync('skopeo', [
        'inspect',
        '--raw',
        '--tls-verify=false',
        `docker://${registry.host}/multi/app@${digest}`,
      ]);
      expect(bytes).toEqual(fs.readFileSync(path.join(work, 'multi/blobs/sha256', digest.slice(7))));
    }
  });

  it('reports an unreachable registry by its address and goes on with the other destinations', async () => {
    const layout = writeLayout(path.join(work, 'down'), 'v1', [{ layerSizes: [100] }]);
    const image = imageOf(path.join(work, 'down'), layout.digest);
    const down = new RegistryClient({
      registry: '127.0.0.1:9',
      baseUrl: 'http://127.0.0.1:9',
      transport,
      retry: { sleep: async () => {} },
    });
    const results = await pushImage(image, [dest('127.0.0.1:9/x/y:1'), dest(`${registry.host}/ok/app:1`)], {
      client: async (ref) => (ref.registry === '127.0.0.1:9' ? down : client()),
      log: () => {},
    });
    expect(results[0]).toMatchObject({ status: 'failed' });
    expect(results[0]?.error).toMatch(/cannot reach the registry at http:\/\/127\.0\.0\.1:9: .*ECONNREFUSED/);
    expect(results[1]).toMatchObject({ status: 'pushed' });
  });

  it('says when the registry does not speak TLS, and when the host is not a registry at all', async () => {
    const layout = writeLayout(path.join(work, 'wrong'), 'v1', [{ layerSizes: [100] }]);
    const image = imageOf(path.join(work, 'wrong'), layout.digest);
    const tlsToPlain = new RegistryClient({
      registry: registry.host,
      baseUrl: `https://${registry.host}`,
      transport,
    });
    const [tls] = await pushImage(image, [dest(`${registry.host}/wrong/tls:1`)], {
      client: async () => tlsToPlain,
      log: () => {},
    });
    expect(tls?.error).toMatch(
      /cannot reach the registry at https:\/\/127\.0\.0\.1:\d+: it does not speak TLS there \(.*\)\. If it serves plain HTTP, list 127\.0\.0\.1:\d+ in insecure-registries/,
    );
    expect(tls?.error).not.toMatch(/\n/);

    const web = http.createServer((_req, res) =>
      res.writeHead(404, { 'content-type': 'text/html' }).end('<!DOCTYPE html><p>no</p>'),
    );
    await new Promise<void>((r) => web.listen(0, '127.0.0.1', () => r()));
    const host = `127.0.0.1:${(web.address() as AddressInfo).port}`;
    const notRegistry = new RegistryClient({
      registry: host,
      baseUrl: `http://${host}`,
      transport,
      retry: { sleep: async () => {} },
    });
    const [site] = await pushImage(image, [dest(`${host}/wrong/site:1`)], {
      client: async () => notRegistry,
      log: () => {},
    });
    web.close();
    expect(site?.error).toBe(
      `${host} is not an OCI registry: GET http://${host}/v2/ answered 404 (an HTML page); check the host and port`,
    );
  });
});
