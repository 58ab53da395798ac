import { execFileSync } from 'node:child_process';
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { UserError } from '../../src/core/errors.js';
import { MEDIA_TYPES, type LocalImage } from '../../src/publish-image/image.js';
import { openSource, parseSource, type SourceOptions } from '../../src/publish-image/source.js';
import { layoutDigest, umociImage, writeLayout } from '../helpers/oci.js';
import { tmpDir } from '../helpers/tmp.js';

const sha256 = (data: Buffer) => `sha256:${crypto.createHash('sha256').update(data).digest('hex')}`;

let base: string;
let workspace: string;
let logs: string[];

function options(tempDir = path.join(base, 'temp')): SourceOptions {
  return { workspace, tempDir, log: (m) => logs.push(m) };
}

async function open(source: string, opts = options()): Promise<LocalImage> {
  return openSource(parseSource('source', source), opts);
}

async function openError(source: string, opts = options()): Promise<UserError> {
  const error = await open(source, opts).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(UserError);
  return error as UserError;
}

/** Writes JSON as a blob of the layout at `dir`; returns its descriptor. */
function jsonBlob(dir: string, value: unknown): { digest: string; size: number } {
  const bytes = Buffer.from(JSON.stringify(value));
  const digest = sha256(bytes);
  fs.mkdirSync(path.join(dir, 'blobs', 'sha256'), { recursive: true });
  fs.writeFileSync(path.join(dir, 'blobs', 'sha256', digest.slice(7)), bytes);
  return { digest, size: bytes.length };
}

function blobFile(dir: string, digest: string): string {
  return path.join(dir, 'blobs', 'sha256', digest.slice(7));
}

function readJson(dir: string, digest: string): any {
  return JSON.parse(fs.readFileSync(blobFile(dir, digest), 'utf8'));
}

/** Replaces index.json of the layout with these entries. */
function setIndex(dir: string, manifests: unknown[]): void {
  fs.writeFileSync(path.join(dir, 'index.json'), JSON.stringify({ schemaVersion: 2, manifests }));
}

/** A copy of a layout, to break without touching the shared one. */
function copyLayout(from: string, name: string): string {
  const to = path.join(base, name);
  fs.cpSync(from, to, { recursive: true });
  return to;
}

let umoci: string;

beforeAll(() => {
  base = tmpDir('imagepipe-source-oci-');
  workspace = path.join(base, 'ws');
  fs.mkdirSync(workspace);
  umoci = path.join(workspace, 'umoci-layout');
  umociImage(umoci, 'v1', [{ 'etc/app.conf': 'one\n' }, { 'usr/bin/app': '#!/bin/sh\necho hi\n' }]);
  umociImage(umoci, 'v2', [{ 'etc/app.conf': 'two\n' }]);
});

afterAll(() => {
  fs.rmSync(base, { recursive: true, force: true });
});

describe('openSource: oci layout folder', () => {
  it('reads an image umoci built: the tagged manifest, its config and layers', async () => {
    logs = [];
    const image = await open('oci:umoci-layout:v1');
    expect(image.source).toBe('oci:umoci-layout:v1');
    expect(image.root.digest).toBe(layoutDigest(umoci, 'v1'));
    expect(sha256(image.root.bytes)).toBe(image.root.digest);
    expect(image.root.mediaType).toBe(MEDIA_TYPES.ociManifest);
    expect(image.children).toEqual([]);
    const manifest = readJson(umoci, image.root.digest);
    expect(image.blobs).toEqual(
      [manifest.config, ...manifest.layers].map((d: any) => ({
        digest: d.digest,
        size: d.size,
        mediaType: d.mediaType,
        path: blobFile(umoci, d.digest),
      })),
    );
    expect(image.blobs).toHaveLength(3);
    expect(logs).toEqual([`Reading the OCI layout ${umoci}`]);
    await image.cleanup();
    expect(fs.existsSync(umoci)).toBe(true);
  });

  it('selects by tag and lists the tags when the one asked for is missing or none is given', async () => {
    const v2 = await open(`oci:${umoci}:v2`);
    expect(v2.root.digest).toBe(layoutDigest(umoci, 'v2'));
    expect((await openError('oci:umoci-layout:v3')).message).toBe(
      `${umoci} has no image tagged "v3": it holds tags: v1, v2.`,
    );
    expect((await openError('oci:umoci-layout')).message).toMatch(
      /holds 2 images, so the source must name one \(oci:DIR:TAG or oci:DIR@sha256:…\): it holds tags: v1, v2\.$/,
    );
  });

  it('takes the only image of a layout when no tag is given', async () => {
    const dir = path.join(base, 'single');
    const written = writeLayout(dir, 'only', [{ layerSizes: [100] }]);
    const image = await open(`oci:${dir}`);
    expect(image.root.digest).toBe(written.digest);
  });

  it('selects by digest, also a platform manifest that only an index lists', async () => {
    const dir = path.join(base, 'by-digest');
    const written = writeLayout(
      dir,
      'multi',
      [{ layerSizes: [10] }, { layerSizes: [20], platform: { architecture: 'arm64', os: 'linux' } }],
      {
        index: true,
      },
    );
    expect((await open(`oci:${dir}@${written.digest}`)).root.digest).toBe(written.digest);
    const arm = await open(`oci:${dir}@${written.manifests[1]}`);
    expect(arm.root).toMatchObject({ digest: written.manifests[1], mediaType: MEDIA_TYPES.ociManifest });
    expect(arm.children).toEqual([]);
    expect(arm.blobs.map((b) => b.digest)).toEqual([
      readJson(dir, written.manifests[1]!).config.digest,
      written.layers[1],
    ]);
    const unknown = `sha256:${'0'.repeat(64)}`;
    expect((await openError(`oci:${dir}@${unknown}`)).message).toBe(
      `${dir} has no image with digest ${unknown}: it is neither in index.json nor among its blobs.`,
    );
  });

  it('reads a multi-platform index: the index, its manifests, every config and layer once', async () => {
    const dir = path.join(base, 'index');
    const written = writeLayout(
      dir,
      'multi',
      [
        { layerSizes: [1000, 2000] },
        { layerSizes: [3000], platform: { architecture: 'arm64', os: 'linux', variant: 'v8' } },
      ],
      { index: true },
    );
    const image = await open(`oci:${dir}:multi`);
    expect(image.root.digest).toBe(layoutDigest(dir, 'multi'));
    expect(image.root.mediaType).toBe(MEDIA_TYPES.ociIndex);
    expect(image.children.map((c) => c.digest)).toEqual(written.manifests);
    for (const child of image.children) {
      expect(child.mediaType).toBe(MEDIA_TYPES.ociManifest);
      expect(sha256(child.bytes)).toBe(child.digest);
    }
    const configs = written.manifests.map((m) => readJson(dir, m).config.digest as string);
    expect(image.blobs.map((b) => b.digest)).toEqual([
      configs[0],
      ...written.layers.slice(0, 2),
      configs[1],
      written.layers[2],
    ]);
    expect(image.blobs.map((b) => b.size)).toEqual(
      image.blobs.map((b) => fs.statSync(blobFile(dir, b.digest)).size),
    );
  });

  it('reads an index of indexes, each child after the manifests it lists', async () => {
    const dir = path.join(base, 'nested');
    const inner = writeLayout(dir, 'inner', [{ layerSizes: [10] }, { layerSizes: [20] }], { index: true });
    const single = writeLayout(dir, 'single', [{ layerSizes: [30] }]);
    const size = (digest: string) => fs.statSync(blobFile(dir, digest)).size;
    const outer = jsonBlob(dir, {
      schemaVersion: 2,
      mediaType: MEDIA_TYPES.ociIndex,
      manifests: [
        { mediaType: MEDIA_TYPES.ociIndex, digest: inner.digest, size: size(inner.digest) },
        { mediaType: MEDIA_TYPES.ociManifest, digest: single.digest, size: size(single.digest) },
      ],
    });
    setIndex(dir, [{ mediaType: MEDIA_TYPES.ociIndex, ...outer }]);
    const image = await open(`oci:${dir}`);
    expect(image.root.digest).toBe(outer.digest);
    expect(image.children.map((c) => c.digest)).toEqual([...inner.manifests, inner.digest, single.digest]);
    expect(
      image.blobs.map((b) => b.digest).filter((d) => [...inner.layers, ...single.layers].includes(d)),
    ).toEqual([...inner.layers, ...single.layers]);
    expect(image.blobs).toHaveLength(6);
  });

  it('lists a manifest and a blob that several entries share only once', async () => {
    const dir = copyLayout(umoci, 'shared');
    const v1 = layoutDigest(dir, 'v1');
    const manifest = {
      mediaType: MEDIA_TYPES.ociManifest,
      digest: v1,
      size: fs.statSync(blobFile(dir, v1)).size,
    };
    const index = jsonBlob(dir, {
      schemaVersion: 2,
      mediaType: MEDIA_TYPES.ociIndex,
      manifests: [
        { ...manifest, platform: { architecture: 'amd64', os: 'linux' } },
        { ...manifest, platform: { architecture: '386', os: 'linux' } },
      ],
    });
    setIndex(dir, [
      {
        mediaType: MEDIA_TYPES.ociIndex,
        ...index,
        annotations: { 'org.opencontainers.image.ref.name': 'both' },
      },
    ]);
    const image = await open(`oci:${dir}`);
    expect(image.children.map((c) => c.digest)).toEqual([v1]);
    expect(image.blobs).toHaveLength(3);
  });

  it('fails clearly when an index lists a manifest the layout does not hold', async () => {
    const dir = path.join(base, 'partial');
    const written = writeLayout(dir, 'multi', [{ layerSizes: [10] }, { layerSizes: [10] }], { index: true });
    fs.rmSync(blobFile(dir, written.manifests[1]!));
    expect((await openError(`oci:${dir}:multi`)).message).toBe(
      `${dir} is missing manifest ${written.manifests[1]} (listed in entry 2 of index ${written.digest}): ` +
        `blobs/sha256/${written.manifests[1]!.slice(7)} does not exist. Copy the image again with every platform it lists (skopeo copy --all).`,
    );
  });

  it('names the digest and the layout when a layer is missing or short', async () => {
    const dir = path.join(base, 'broken-layers');
    const written = writeLayout(dir, 'one', [{ layerSizes: [500, 600] }]);
    const size = fs.statSync(blobFile(dir, written.layers[1]!)).size;
    fs.truncateSync(blobFile(dir, written.layers[1]!), size - 1);
    expect((await openError(`oci:${dir}`)).message).toBe(
      `${dir}: blob ${written.layers[1]} (layer 2 of manifest ${written.digest}) has ${size - 1} bytes, but the manifest says ${size}. ` +
        'The layout is incomplete or corrupt: copy or build the image into it again.',
    );
    fs.rmSync(blobFile(dir, written.layers[0]!));
    expect((await openError(`oci:${dir}`)).message).toBe(
      `${dir} is missing blob ${written.layers[0]} (layer 1 of manifest ${written.digest}): ` +
        `blobs/sha256/${written.layers[0]!.slice(7)} does not exist. The layout is incomplete: copy or build the image into it again.`,
    );
  });

  it('verifies the digest of manifests', async () => {
    const dir = copyLayout(umoci, 'tampered');
    const v1 = layoutDigest(dir, 'v1');
    const file = blobFile(dir, v1);
    fs.writeFileSync(file, fs.readFileSync(file, 'utf8').replace('"schemaVersion":2', '"schemaVersion":3'));
    expect((await openError(`oci:${dir}:v1`)).message).toMatch(
      new RegExp(
        `^${dir}: manifest ${v1} \\(listed in index.json\\) has the wrong content \\(\\d+ bytes with digest sha256:[a-f0-9]{64}, expected \\d+ bytes with digest ${v1}\\); the layout is corrupt\\.$`,
      ),
    );
  });

  it('keeps an absent foreign layer in the manifest but not among the blobs', async () => {
    const dir = path.join(base, 'foreign');
    const written = writeLayout(dir, 'base', [{ layerSizes: [100] }]);
    const manifest = readJson(dir, written.digest);
    const foreign = {
      mediaType: 'application/vnd.docker.image.rootfs.foreign.diff.tar.gzip',
      digest: `sha256:${'f'.repeat(64)}`,
      size: 123456,
      urls: ['https://mcr.microsoft.com/v2/windows/servercore/blobs/sha256:ffff'],
    };
    manifest.layers.unshift(foreign);
    const m = jsonBlob(dir, manifest);
    setIndex(dir, [{ mediaType: MEDIA_TYPES.ociManifest, ...m }]);
    const image = await open(`oci:${dir}`);
    expect(JSON.parse(image.root.bytes.toString()).layers[0]).toEqual(foreign);
    expect(image.blobs.map((b) => b.digest)).toEqual([manifest.config.digest, written.layers[0]]);

    // Without urls it is an ordinary missing blob.
    delete (foreign as { urls?: string[] }).urls;
    const without = jsonBlob(dir, manifest);
    setIndex(dir, [{ mediaType: MEDIA_TYPES.ociManifest, ...without }]);
    expect((await openError(`oci:${dir}`)).message).toMatch(
      `is missing blob ${foreign.digest} (layer 1 of manifest`,
    );
  });

  it('checks layers by their size only: a 1 GiB layer is neither hashed nor read into memory', async () => {
    const dir = path.join(base, 'big');
    const written = writeLayout(dir, 'big', [{ layerSizes: [10] }]);
    const manifest = readJson(dir, written.digest);
    // A sparse file: its bytes do not match the digest, which only the registry checks, on upload.
    const big = {
      mediaType: manifest.layers[0].mediaType,
      digest: `sha256:${'b'.repeat(64)}`,
      size: 1 << 30,
    };
    fs.closeSync(fs.openSync(blobFile(dir, big.digest), 'w'));
    fs.truncateSync(blobFile(dir, big.digest), big.size);
    manifest.layers.push(big);
    setIndex(dir, [{ mediaType: MEDIA_TYPES.ociManifest, ...jsonBlob(dir, manifest) }]);
    const before = process.memoryUsage().rss;
    const image = await open(`oci:${dir}`);
    expect(process.memoryUsage().rss - before).toBeLessThan(256 * 1024 * 1024);
    expect(image.blobs.at(-1)).toEqual({ ...big, path: blobFile(dir, big.digest) });
  });

  it('explains what is wrong with the folder', async () => {
    expect((await openError('oci:nowhere:v1')).message).toBe(
      `Source 'oci:nowhere:v1': the folder ${path.join(workspace, 'nowhere')} does not exist ` +
        `(relative paths resolve against the workspace ${workspace}). Check the path, and that the step that writes it ran before this one.`,
    );
    const file = path.join(workspace, 'file.tar');
    fs.writeFileSync(file, 'x');
    expect((await openError('oci:file.tar')).message).toBe(
      `Source 'oci:file.tar': ${file} is a file, not an OCI layout folder. For a tar of a layout use oci-archive:.`,
    );
    const plain = path.join(base, 'plain');
    fs.mkdirSync(plain);
    expect((await openError(`oci:${plain}`)).message).toMatch(
      new RegExp(`^${plain} is not an OCI image layout: it has no oci-layout file\\. Write one with`),
    );
    fs.writeFileSync(path.join(plain, 'oci-layout'), '{"imageLayoutVersion":"1.0.0"}');
    fs.writeFileSync(path.join(plain, 'index.json'), '{"manifests": [');
    expect((await openError(`oci:${plain}`)).message).toMatch(
      new RegExp(`^${plain}/index.json is not valid JSON \\(.*\\); the image is corrupt\\.$`),
    );
    setIndex(plain, []);
    expect((await openError(`oci:${plain}`)).message).toBe(
      `${plain} holds no images, so the source must name one (oci:DIR:TAG or oci:DIR@sha256:…): it holds no images.`,
    );
    fs.writeFileSync(path.join(plain, 'oci-layout'), '{"imageLayoutVersion":"2.0.0"}');
    expect((await openError(`oci:${plain}`)).message).toBe(
      `${plain}/oci-layout gives imageLayoutVersion "2.0.0"; only 1.x layouts can be read.`,
    );
  });

  it('refuses a descriptor whose digest would name a path outside the blobs', async () => {
    const dir = copyLayout(umoci, 'evil-digest');
    setIndex(dir, [{ mediaType: MEDIA_TYPES.ociManifest, digest: 'sha256:../../../etc/passwd', size: 10 }]);
    expect((await openError(`oci:${dir}`)).message).toMatch(
      'entry 1 of index.json is not a valid descriptor (it needs a sha256/sha512 "digest" and a "size")',
    );
  });
});

describe('openSource: oci-archive', () => {
  let archive: string;
  beforeAll(() => {
    archive = path.join(workspace, 'image.oci.tar');
    execFileSync('skopeo', ['copy', '-q', `oci:${umoci}:v1`, `oci-archive:${archive}:v1`]);
  });

  it('extracts the archive skopeo wrote and reads the same image; cleanup removes the extracted files', async () => {
    const temp = path.join(base, 'temp-archive');
    logs = [];
    const image = await open('oci-archive:image.oci.tar:v1', options(temp));
    expect(image.source).toBe('oci-archive:image.oci.tar:v1');
    expect(image.root.digest).toBe(layoutDigest(umoci, 'v1'));
    expect(logs).toEqual([`Extracting ${archive}`]);
    const fromLayout = await open(`oci:${umoci}:v1`);
    expect(image.blobs.map(({ path: _, ...b }) => b)).toEqual(fromLayout.blobs.map(({ path: _, ...b }) => b));
    for (const blob of image.blobs) {
      expect(blob.path.startsWith(temp + path.sep)).toBe(true);
      expect(sha256(fs.readFileSync(blob.path))).toBe(blob.digest);
    }
    expect(fs.readdirSync(temp)).toHaveLength(1);
    await image.cleanup();
    expect(fs.readdirSync(temp)).toEqual([]);
  });

  it('takes the only image without a tag, and lists the tags for a wrong one', async () => {
    expect((await open('oci-archive:image.oci.tar')).root.digest).toBe(layoutDigest(umoci, 'v1'));
    expect((await openError('oci-archive:image.oci.tar:v9')).message).toBe(
      `${archive} has no image tagged "v9": it holds tags: v1.`,
    );
  });

  it('tells a docker archive or a file that is no archive apart, and leaves nothing behind', async () => {
    const temp = path.join(base, 'temp-bad');
    const docker = path.join(base, 'docker.tar');
    execFileSync('skopeo', ['copy', '-q', `oci:${umoci}:v1`, `docker-archive:${docker}:app:v1`]);
    expect((await openError(`oci-archive:${docker}`, options(temp))).message).toBe(
      `${docker} is a docker archive, not an OCI archive: use a docker-archive: source.`,
    );
    const junk = path.join(base, 'junk.tar');
    fs.writeFileSync(junk, crypto.randomBytes(3000));
    expect((await openError(`oci-archive:${junk}`, options(temp))).message).toMatch(
      new RegExp(`^${junk} is not a readable tar archive: .+\\.$`),
    );
    expect((await openError(`oci-archive:${base}`, options(temp))).message).toBe(
      `Source 'oci-archive:${base}': ${base} is a folder, not an archive. For an OCI layout folder use oci:.`,
    );
    expect(fs.readdirSync(temp)).toEqual([]);
  });
});
