import { execFileSync } from 'node:child_process';
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as zlib from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import * as tar from 'tar';
import { UserError } from '../../src/core/errors.js';
import { MEDIA_TYPES, type LocalImage } from '../../src/publish-image/image.js';
import { openSource, parseSource, type SourceOptions } from '../../src/publish-image/source.js';
import { extractArchive } from '../../src/publish-image/source-archive.js';
import { layoutDigest, umociImage } from '../helpers/oci.js';
import { tmpDir } from '../helpers/tmp.js';

const sha256 = (data: Buffer) => `sha256:${crypto.createHash('sha256').update(data).digest('hex')}`;

let base: string;
let workspace: string;
let layout: string;
let classic: string;
let logs: string[];
let counter = 0;

function options(extra: Partial<SourceOptions> = {}): SourceOptions {
  return { workspace, tempDir: path.join(base, `temp-${++counter}`), log: (m) => logs.push(m), ...extra };
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
  expect(fs.existsSync(opts.tempDir) ? fs.readdirSync(opts.tempDir) : []).toEqual([]);
  return error as UserError;
}

function scratch(name: string): string {
  const dir = path.join(base, name);
  fs.mkdirSync(dir, { recursive: true });
  return dir;
}

function untar(file: string, name: string): string {
  const dir = scratch(name);
  execFileSync('tar', ['-C', dir, '-xf', file]);
  return dir;
}

function retar(dir: string, file: string, entries = ['.']): string {
  execFileSync('tar', ['-C', dir, '-cf', file, ...entries]);
  return file;
}

function skopeoArchive(tag: string, file: string, reference: string): string {
  execFileSync('skopeo', ['copy', '-q', `oci:${layout}:${tag}`, `docker-archive:${file}:${reference}`]);
  return file;
}

/** Checks a converted image the way a registry would: skopeo copies it, verifying every digest. */
function assertValidImage(image: LocalImage): void {
  const dir = fs.mkdtempSync(path.join(base, 'check-'));
  fs.writeFileSync(path.join(dir, 'version'), 'Directory Transport Version: 1.1\n');
  fs.writeFileSync(path.join(dir, 'manifest.json'), image.root.bytes);
  for (const blob of image.blobs) fs.copyFileSync(blob.path, path.join(dir, blob.digest.slice(7)));
  execFileSync('skopeo', ['copy', '-q', `dir:${dir}`, `oci:${dir}-copy:check`]);
  fs.rmSync(dir, { recursive: true });
  fs.rmSync(`${dir}-copy`, { recursive: true });
}

/** The converted manifest, and each layer checked: digest and size of the gzip file, uncompressed sha256 = diff_id. */
function assertConverted(image: LocalImage): { manifest: any; config: any } {
  expect(image.root.mediaType).toBe(MEDIA_TYPES.dockerManifest);
  expect(sha256(image.root.bytes)).toBe(image.root.digest);
  expect(image.children).toEqual([]);
  const manifest = JSON.parse(image.root.bytes.toString());
  expect(Object.keys(manifest)).toEqual(['schemaVersion', 'mediaType', 'config', 'layers']);
  expect(manifest).toMatchObject({ schemaVersion: 2, mediaType: MEDIA_TYPES.dockerManifest });
  const [configBlob, ...layerBlobs] = image.blobs;
  expect(manifest.config).toEqual({
    mediaType: MEDIA_TYPES.dockerConfig,
    size: configBlob!.size,
    digest: configBlob!.digest,
  });
  const configBytes = fs.readFileSync(configBlob!.path);
  expect(sha256(configBytes)).toBe(configBlob!.digest);
  const config = JSON.parse(configBytes.toString());
  expect(manifest.layers).toHaveLength(config.rootfs.diff_ids.length);
  manifest.layers.forEach((layer: any, i: number) => {
    const blob = layerBlobs.find((b) => b.digest === layer.digest)!;
    expect(layer).toEqual({ mediaType: MEDIA_TYPES.dockerLayerGzip, size: blob.size, digest: blob.digest });
    const gz = fs.readFileSync(blob.path);
    expect(gz.length).toBe(blob.size);
    expect(sha256(gz)).toBe(blob.digest);
    expect(sha256(zlib.gunzipSync(gz))).toBe(config.rootfs.diff_ids[i]);
  });
  assertValidImage(image);
  return { manifest, config };
}

beforeAll(() => {
  base = tmpDir('imagepipe-source-docker-');
  workspace = scratch('ws');
  layout = path.join(base, 'layout');
  umociImage(layout, 'v1', [
    { 'etc/app.conf': 'one\n' },
    { 'usr/bin/app': '#!/bin/sh\necho hi\n'.repeat(1000) },
  ]);
  umociImage(layout, 'v2', [{ 'etc/app.conf': 'two\n' }]);
  classic = skopeoArchive('v1', path.join(workspace, 'app.tar'), 'org/app:1');
});

afterAll(() => {
  fs.rmSync(base, { recursive: true, force: true });
});

describe('openSource: docker-archive', () => {
  it('converts the archive skopeo wrote to a schema 2 manifest over gzip layers that match the diff_ids', async () => {
    logs = [];
    const opts = options();
    const image = await open('docker-archive:app.tar', opts);
    expect(image.source).toBe('docker-archive:app.tar');
    const { manifest } = assertConverted(image);
    // skopeo keeps the config's bytes: its digest is the one umoci wrote.
    const original = JSON.parse(
      fs.readFileSync(path.join(layout, 'blobs', 'sha256', layoutDigest(layout, 'v1').slice(7)), 'utf8'),
    );
    expect(manifest.config.digest).toBe(original.config.digest);
    expect(manifest.layers).toHaveLength(2);
    expect(image.blobs).toHaveLength(3);
    expect(logs[0]).toBe(`Extracting ${classic}`);
    expect(logs.slice(1)).toEqual([
      expect.stringMatching(/^Layer 1\/2: [a-f0-9]{64}\.tar \(\d+ bytes\)$/),
      expect.stringMatching(/^Layer 2\/2: [a-f0-9]{64}\.tar \(\d+ bytes\)$/),
    ]);
    for (const blob of image.blobs) expect(blob.path.startsWith(opts.tempDir + path.sep)).toBe(true);
    await image.cleanup();
    expect(fs.readdirSync(opts.tempDir)).toEqual([]);
  });

  it('gives the same digests every time the same archive is opened', async () => {
    const first = await open(`docker-archive:${classic}`);
    const second = await open(`docker-archive:${classic}:org/app:1`);
    expect(second.root.digest).toBe(first.root.digest);
    expect(second.root.bytes.equals(first.root.bytes)).toBe(true);
    expect(second.blobs.map((b) => [b.digest, b.size])).toEqual(first.blobs.map((b) => [b.digest, b.size]));
    await Promise.all([first.cleanup(), second.cleanup()]);
  });

  it('reads layers through the links of the classic docker save layout (<id>/layer.tar)', async () => {
    const dir = untar(classic, 'linked');
    const manifest = JSON.parse(fs.readFileSync(path.join(dir, 'manifest.json'), 'utf8'));
    const links = fs.readdirSync(dir).filter((f) => fs.existsSync(path.join(dir, f, 'layer.tar')));
    expect(links).toHaveLength(2);
    // Point manifest.json at the links, as docker save wrote it before docker 25.
    manifest[0].Layers = manifest[0].Layers.map((layer: string) => {
      const id = links.find((l) => fs.readlinkSync(path.join(dir, l, 'layer.tar')) === `../${layer}`)!;
      return `${id}/layer.tar`;
    });
    fs.writeFileSync(path.join(dir, 'manifest.json'), JSON.stringify(manifest));
    const image = await open(`docker-archive:${retar(dir, path.join(base, 'linked.tar'))}`);
    expect(image.root.digest).toBe((await open(`docker-archive:${classic}`)).root.digest);
  });

  it('reads the docker 25+ format (blobs/sha256 beside index.json) and keeps a gzip layer as it is', async () => {
    const src = untar(classic, 'new-src');
    const entry = JSON.parse(fs.readFileSync(path.join(src, 'manifest.json'), 'utf8'))[0];
    const dir = scratch('new-format');
    const blobsDir = path.join(dir, 'blobs', 'sha256');
    fs.mkdirSync(blobsDir, { recursive: true });
    const put = (bytes: Buffer) => {
      const digest = sha256(bytes);
      fs.writeFileSync(path.join(blobsDir, digest.slice(7)), bytes);
      return { digest, size: bytes.length, name: `blobs/sha256/${digest.slice(7)}` };
    };
    const config = put(fs.readFileSync(path.join(src, entry.Config)));
    // The first layer as the containerd image store keeps it: gzip-compressed.
    const gzipped = zlib.gzipSync(fs.readFileSync(path.join(src, entry.Layers[0])), { level: 9 });
    const layers = [put(gzipped), put(fs.readFileSync(path.join(src, entry.Layers[1])))];
    const oci = put(
      Buffer.from(
        JSON.stringify({
          schemaVersion: 2,
          mediaType: MEDIA_TYPES.ociManifest,
          config: { mediaType: MEDIA_TYPES.ociConfig, digest: config.digest, size: config.size },
          layers: layers.map((l, i) => ({
            mediaType: `application/vnd.oci.image.layer.v1.tar${i === 0 ? '+gzip' : ''}`,
            digest: l.digest,
            size: l.size,
          })),
        }),
      ),
    );
    fs.writeFileSync(path.join(dir, 'oci-layout'), '{"imageLayoutVersion":"1.0.0"}');
    fs.writeFileSync(
      path.join(dir, 'index.json'),
      JSON.stringify({
        schemaVersion: 2,
        manifests: [
          {
            mediaType: MEDIA_TYPES.ociManifest,
            digest: oci.digest,
            size: oci.size,
            annotations: {
              'io.containerd.image.name': 'docker.io/library/app:new',
              'org.opencontainers.image.ref.name': 'new',
            },
          },
        ],
      }),
    );
    fs.writeFileSync(
      path.join(dir, 'manifest.json'),
      JSON.stringify([
        { Config: config.name, RepoTags: ['app:new'], Layers: layers.map((l) => l.name), LayerSources: {} },
      ]),
    );
    const archive = retar(dir, path.join(base, 'new-format.tar'), [
      'blobs',
      'index.json',
      'manifest.json',
      'oci-layout',
    ]);
    const image = await open(`docker-archive:${archive}:docker.io/library/app:new`);
    const { manifest } = assertConverted(image);
    expect(manifest.config.digest).toBe(config.digest);
    expect(manifest.layers[0]).toEqual({
      mediaType: MEDIA_TYPES.dockerLayerGzip,
      digest: layers[0]!.digest,
      size: layers[0]!.size,
    });
    const classicImage = await open(`docker-archive:${classic}`);
    expect(manifest.layers[1].digest).toBe(JSON.parse(classicImage.root.bytes.toString()).layers[1].digest);
  });

  it('refuses an archive whose layer was altered after it was saved', async () => {
    const dir = untar(classic, 'tampered');
    const entry = JSON.parse(fs.readFileSync(path.join(dir, 'manifest.json'), 'utf8'))[0];
    const layerFile = path.join(dir, entry.Layers[1]);
    fs.chmodSync(layerFile, 0o644);
    const bytes = fs.readFileSync(layerFile);
    bytes[bytes.length - 1] = bytes[bytes.length - 1]! ^ 1;
    fs.writeFileSync(layerFile, bytes);
    const archive = retar(dir, path.join(base, 'tampered.tar'));
    const config = JSON.parse(fs.readFileSync(path.join(dir, entry.Config), 'utf8'));
    expect((await openError(`docker-archive:${archive}`)).message).toBe(
      `${archive}: layer ${entry.Layers[1]} does not match the image config: its content has digest ${sha256(bytes)}, ` +
        `but rootfs.diff_ids lists ${config.rootfs.diff_ids[1]}. The archive is corrupt or was altered after it was saved; save it again.`,
    );
  });

  it('picks an image by its RepoTags when the archive holds several', async () => {
    const dir = untar(classic, 'multi');
    const other = untar(
      skopeoArchive('v2', path.join(base, 'v2.tar'), 'registry.example:5000/other:2'),
      'multi-v2',
    );
    const entries = [
      ...JSON.parse(fs.readFileSync(path.join(dir, 'manifest.json'), 'utf8')),
      ...JSON.parse(fs.readFileSync(path.join(other, 'manifest.json'), 'utf8')),
    ];
    fs.rmSync(path.join(other, 'manifest.json'));
    fs.rmSync(path.join(other, 'repositories'));
    fs.cpSync(other, dir, { recursive: true, verbatimSymlinks: true });
    fs.writeFileSync(path.join(dir, 'manifest.json'), JSON.stringify(entries));
    const archive = retar(dir, path.join(workspace, 'multi.tar'));

    const one = await open('docker-archive:multi.tar:org/app:1');
    expect(one.root.digest).toBe((await open(`docker-archive:${classic}`)).root.digest);
    const two = await open('docker-archive:multi.tar:registry.example:5000/other:2');
    expect(JSON.parse(two.root.bytes.toString()).layers).toHaveLength(1);
    assertConverted(two);

    expect((await openError('docker-archive:multi.tar')).message).toBe(
      `${archive} holds 2 images, so the source must name one (docker-archive:FILE:NAME:TAG): ` +
        'it holds docker.io/org/app:1, registry.example:5000/other:2.',
    );
    expect((await openError('docker-archive:multi.tar:org/app:2')).message).toBe(
      `${archive} has no image tagged org/app:2: it holds docker.io/org/app:1, registry.example:5000/other:2.`,
    );
    expect((await openError(`docker-archive:${classic}:org/app:2`)).message).toBe(
      `${classic} has no image tagged org/app:2: it holds docker.io/org/app:1.`,
    );
  });

  it('explains an archive that is not a docker archive', async () => {
    expect((await openError('docker-archive:missing.tar')).message).toBe(
      `Source 'docker-archive:missing.tar': the file ${path.join(workspace, 'missing.tar')} does not exist ` +
        `(relative paths resolve against the workspace ${workspace}). Check the path, and that the step that writes it ran before this one.`,
    );
    const ociArchive = path.join(base, 'oci.tar');
    execFileSync('skopeo', ['copy', '-q', `oci:${layout}:v1`, `oci-archive:${ociArchive}:v1`]);
    expect((await openError(`docker-archive:${ociArchive}`)).message).toBe(
      `${ociArchive} is an OCI archive, not a docker archive (it has no manifest.json): use an oci-archive: source.`,
    );
    const other = scratch('not-docker');
    fs.writeFileSync(path.join(other, 'README'), 'hello');
    const plain = retar(other, path.join(base, 'plain.tar'));
    expect((await openError(`docker-archive:${plain}`)).message).toMatch(
      new RegExp(`^${plain} is not a docker archive: it has no manifest.json\\. Make one with`),
    );
    fs.writeFileSync(path.join(other, 'manifest.json'), '[{"Config": ');
    const corrupt = retar(other, path.join(base, 'corrupt.tar'));
    expect((await openError(`docker-archive:${corrupt}`)).message).toMatch(
      new RegExp(`^${corrupt}: manifest.json is not valid JSON \\(.+\\); the image is corrupt\\.$`),
    );
    fs.writeFileSync(path.join(other, 'manifest.json'), '{"Config": "x"}');
    const wrong = retar(other, path.join(base, 'wrong.tar'));
    expect((await openError(`docker-archive:${wrong}`)).message).toBe(
      `${wrong}: manifest.json is not a docker save manifest (a list of {Config, RepoTags, Layers}); the archive is corrupt.`,
    );
    fs.writeFileSync(
      path.join(other, 'manifest.json'),
      '[{"Config": "c.json", "RepoTags": null, "Layers": ["l.tar"]}]',
    );
    const incomplete = retar(other, path.join(base, 'incomplete.tar'));
    expect((await openError(`docker-archive:${incomplete}`)).message).toBe(
      `${incomplete} is incomplete: its manifest.json names config c.json, which is not in the archive.`,
    );
  });

  it('fails cleanly on an archive cut short in the middle of a layer', async () => {
    const cut = path.join(base, 'cut.tar');
    const bytes = fs.readFileSync(classic);
    fs.writeFileSync(cut, bytes.subarray(0, 512 * 3 + 100));
    expect((await openError(`docker-archive:${cut}`)).message).toMatch(
      new RegExp(`^${cut} is not a readable tar archive: .+\\.$`),
    );
  });

  it('reads a gzip-compressed archive (docker save | gzip)', async () => {
    const gz = path.join(base, 'app.tar.gz');
    fs.writeFileSync(gz, zlib.gzipSync(fs.readFileSync(classic)));
    expect((await open(`docker-archive:${gz}`)).root.digest).toBe(
      (await open(`docker-archive:${classic}`)).root.digest,
    );
  });
});

describe('archive extraction', () => {
  it.each([
    ['an entry above the archive', { name: '../evil' }, 'its entry "../evil" points outside the archive'],
    ['an absolute entry', { name: '/ABS/evil' }, 'its entry "/ABS/evil" points outside the archive'],
    [
      'a link above the archive',
      { link: '../../../../etc/passwd' },
      'its link "manifest.json" -> "../../../../etc/passwd" points outside the archive',
    ],
    [
      'an absolute link',
      { link: '/etc/passwd' },
      'its link "manifest.json" -> "/etc/passwd" points outside the archive',
    ],
  ])('refuses an archive with %s, writing nothing outside', async (_, crafted, message) => {
    const dir = fs.mkdtempSync(path.join(base, 'crafted-'));
    const inner = path.join(dir, 'a', 'b');
    fs.mkdirSync(inner, { recursive: true });
    fs.writeFileSync(path.join(dir, 'a', 'evil'), 'pwned');
    let entry: string;
    if ('name' in crafted) {
      entry = crafted.name.replace('/ABS', dir);
      if (entry.startsWith('/')) fs.writeFileSync(entry, 'pwned');
    } else {
      fs.symlinkSync(crafted.link, path.join(inner, 'manifest.json'));
      entry = 'manifest.json';
    }
    const archive = path.join(dir, 'crafted.tar');
    await tar.c({ file: archive, cwd: inner, preservePaths: true }, [entry]);
    if (entry.startsWith('/')) fs.writeFileSync(entry, 'original');
    const expected = `${archive} is refused: ${message.replace('/ABS', dir)}. A safe image archive never does this.`;

    // Through openSource: a UserError, and nothing left in the temporary folder.
    expect((await openError(`docker-archive:${archive}`)).message).toBe(expected);
    // Directly: nothing lands beside the folder it extracts into, or anywhere else.
    const into = path.join(dir, 'out', 'a', 'b');
    fs.mkdirSync(into, { recursive: true });
    await expect(extractArchive(archive, into, archive)).rejects.toThrow(expected);
    expect(fs.readdirSync(path.join(dir, 'out'), { recursive: true })).toEqual(['a', path.join('a', 'b')]);
    if (entry.startsWith('/')) expect(fs.readFileSync(entry, 'utf8')).toBe('original');
  });

  it('follows links inside the archive without creating any on disk', async () => {
    const dir = scratch('links-src');
    fs.mkdirSync(path.join(dir, 'blobs', 'sha256'), { recursive: true });
    fs.writeFileSync(path.join(dir, 'blobs', 'sha256', 'x'), 'content');
    fs.linkSync(path.join(dir, 'blobs', 'sha256', 'x'), path.join(dir, 'hard'));
    fs.symlinkSync('blobs/sha256', path.join(dir, 'alias'));
    fs.mkdirSync(path.join(dir, 'id'));
    fs.symlinkSync('../alias/x', path.join(dir, 'id', 'layer.tar'));
    const archive = path.join(base, 'links.tar');
    // Made synchronously, so the file comes first and the hard link refers to it.
    tar.c({ file: archive, cwd: dir, sync: true }, ['blobs', 'hard', 'alias', 'id']);
    const into = scratch('links-out');
    const extracted = await extractArchive(archive, into, archive);
    const target = path.join(into, 'blobs', 'sha256', 'x');
    expect(fs.readFileSync(target, 'utf8')).toBe('content');
    for (const name of ['hard', 'alias/x', 'id/layer.tar', './id/../hard'])
      expect(extracted.resolve(name)).toBe(target);
    expect(fs.readdirSync(into, { recursive: true }).sort()).toEqual([
      'blobs',
      'blobs/sha256',
      'blobs/sha256/x',
      'id',
    ]);
    expect(() => extracted.resolve('../outside')).toThrow(
      `${archive} names "../outside", outside the archive.`,
    );
  });
});

describe('openSource: docker-daemon', () => {
  function script(name: string, body: string): string {
    const file = path.join(scratch('bin'), name);
    fs.writeFileSync(file, `#!/bin/sh\n${body}\n`, { mode: 0o755 });
    return file;
  }

  it('runs docker save with an argv and reads what it wrote as a docker archive', async () => {
    const argv = path.join(base, 'argv.txt');
    const docker = script(
      'docker-ok',
      `printf '%s\\n' "$@" > ${argv}\n[ "$1" = save ] && [ "$2" = -o ] || exit 64\ncp ${classic} "$3"`,
    );
    logs = [];
    const opts = options({ docker });
    const image = await open('docker-daemon:org/app:1', opts);
    const lines = fs.readFileSync(argv, 'utf8').trimEnd().split('\n');
    expect(lines).toEqual(['save', '-o', expect.any(String), 'org/app:1']);
    expect(path.dirname(path.dirname(lines[2]!))).toBe(opts.tempDir);
    expect(logs[0]).toBe(
      `Saving org/app:1 from the Docker engine: ${JSON.stringify([docker, 'save', '-o', lines[2], 'org/app:1'])}`,
    );
    expect(image.source).toBe('docker-daemon:org/app:1');
    expect(image.root.digest).toBe((await open(`docker-archive:${classic}`)).root.digest);
    assertConverted(image);
    // The saved archive is gone at once; the rest when the caller is done.
    expect(fs.existsSync(lines[2]!)).toBe(false);
    await image.cleanup();
    expect(fs.readdirSync(opts.tempDir)).toEqual([]);
  });

  it('takes the saved image even when docker save names it differently (an image ID)', async () => {
    const docker = script('docker-id', `cp ${classic} "$3"`);
    const image = await open(`docker-daemon:sha256:${'a'.repeat(64)}`, options({ docker }));
    assertConverted(image);
  });

  const noEngine =
    'Cannot connect to the Docker daemon at unix:///var/run/docker.sock. Is the docker daemon running?';

  it('says no Docker engine is reachable, and what to use instead', async () => {
    const docker = script('docker-down', `echo "${noEngine}" >&2\nexit 1`);
    const error = await openError('docker-daemon:org/app:1', options({ docker }));
    expect(error.message).toBe(
      `No Docker engine is reachable: ${docker} save org/app:1 failed with: ${noEngine}\n` +
        'A docker-daemon: source needs a running Docker engine; without one, publish from an oci:DIR[:TAG] or ' +
        'docker-archive:FILE source (written by `docker buildx build --output type=oci`, `docker save` on the build machine, or skopeo).',
    );
  });

  it('says the same when the docker client itself is missing', async () => {
    const error = await openError(
      'docker-daemon:org/app:1',
      options({ docker: path.join(base, 'no-such-docker') }),
    );
    expect(error.message).toMatch(
      /^No Docker engine is reachable: Could not run .*no-such-docker: it was not found on PATH\./,
    );
    expect(error.message).toMatch(/publish from an oci:DIR\[:TAG\] or docker-archive:FILE source/);
  });

  const realDocker = (() => {
    try {
      return execFileSync('sh', ['-c', 'command -v docker'], { encoding: 'utf8' }).trim();
    } catch {
      return '';
    }
  })();

  (realDocker ? it : it.skip)('recognises the real docker client failing to reach an engine', async () => {
    const docker = script('docker-real', `DOCKER_HOST=unix://${base}/no-engine.sock exec ${realDocker} "$@"`);
    const error = await openError('docker-daemon:org/app:1', options({ docker }));
    expect(error.message).toMatch(/^No Docker engine is reachable: .* failed with: .*no-engine\.sock/s);
  });

  it('passes on what docker said when the image is not there', async () => {
    const docker = script(
      'docker-missing',
      'echo "Error response from daemon: reference does not exist" >&2\nexit 1',
    );
    const error = await openError('docker-daemon:org/app:9', options({ docker }));
    expect(error.message).toBe(
      `${docker} save org/app:9 failed: Error response from daemon: reference does not exist\nCheck the image name (docker image ls).`,
    );
  });
});
