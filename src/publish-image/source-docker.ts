/**
 * Reads a `docker save` archive (extracted): the classic format (`<id>/layer.tar`, `<hex>.json`)
 * and the newer one (`blobs/sha256/…` beside an index.json), both described by `manifest.json`.
 *
 * Layers in these archives are usually plain tars. Each is gzip-compressed into the work folder,
 * streaming, with fixed zlib settings and fixed read sizes so the same archive gives the same
 * digests every time; a layer already gzip-compressed is kept as it is. On the way its
 * uncompressed sha256 is checked against the config's `rootfs.diff_ids`: an archive altered after
 * it was saved is refused. The result is a Docker schema 2 manifest over config and layers.
 */
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import * as zlib from 'node:zlib';
import { errorMessage, UserError } from '../core/errors.js';
import { type BlobFile, type ManifestBlob, MEDIA_TYPES } from './image.js';
import { canonicalReference } from './reference.js';
import {
  digestOf,
  type ExtractedArchive,
  hashTap,
  isObject,
  parseJson,
  statOrUndefined,
} from './source-archive.js';

interface ArchiveEntry {
  Config: string;
  RepoTags: string[];
  Layers: string[];
}

export interface DockerSelector {
  /** The RepoTag to pick among several images. */
  reference?: string;
  /** With a single image in the archive, it must carry `reference` too (docker-archive:FILE:REF). */
  strict: boolean;
}

export interface DockerImage {
  root: ManifestBlob;
  blobs: BlobFile[];
}

/** Fixed settings: the same layer always compresses to the same bytes (with this zlib). */
const GZIP: zlib.ZlibOptions = {
  level: 6,
  memLevel: 8,
  windowBits: 15,
  strategy: zlib.constants.Z_DEFAULT_STRATEGY,
};
const READ_CHUNK = 1 << 20;

export async function readDockerArchive(
  archive: ExtractedArchive,
  label: string,
  select: DockerSelector,
  outDir: string,
  log: (message: string) => void,
): Promise<DockerImage> {
  const entries = await readManifestJson(archive, label);
  const entry = pickImage(entries, select, label);

  const configFile = archive.resolve(entry.Config);
  if (!(await statOrUndefined(configFile))?.isFile())
    throw new UserError(
      `${label} is incomplete: its manifest.json names config ${entry.Config}, which is not in the archive.`,
    );
  const configBytes = await fs.promises.readFile(configFile);
  const config = parseJson(configBytes, `${label}: the image config ${entry.Config}`);
  const diffIds = isObject(config) && isObject(config.rootfs) ? config.rootfs.diff_ids : undefined;
  if (!Array.isArray(diffIds) || diffIds.length !== entry.Layers.length) {
    throw new UserError(
      `${label}: the image config ${entry.Config} lists ${Array.isArray(diffIds) ? diffIds.length : 'no'} rootfs.diff_ids ` +
        `for ${entry.Layers.length} layers in manifest.json; the archive is corrupt.`,
    );
  }
  const configBlob: BlobFile = {
    digest: digestOf(configBytes),
    size: configBytes.length,
    mediaType: MEDIA_TYPES.dockerConfig,
    path: configFile,
  };

  await fs.promises.mkdir(outDir, { recursive: true });
  const done = new Map<string, { layer: BlobFile; diffId: unknown }>();
  const layers: BlobFile[] = [];
  for (const [i, name] of entry.Layers.entries()) {
    const file = archive.resolve(name);
    const seen = done.get(file);
    if (seen && seen.diffId !== diffIds[i])
      throw new UserError(
        `${label}: layer ${name} is listed twice with different diff_ids; the archive is corrupt.`,
      );
    let layer = seen?.layer;
    if (!layer) {
      const stat = await statOrUndefined(file);
      if (!stat?.isFile())
        throw new UserError(
          `${label} is incomplete: its manifest.json names layer ${name}, which is not in the archive.`,
        );
      log(`Layer ${i + 1}/${entry.Layers.length}: ${name} (${stat.size} bytes)`);
      layer = await convertLayer(file, name, String(diffIds[i]), outDir, label);
      done.set(file, { layer, diffId: diffIds[i] });
    }
    layers.push(layer);
  }

  const manifest = {
    schemaVersion: 2,
    mediaType: MEDIA_TYPES.dockerManifest,
    config: { mediaType: configBlob.mediaType, size: configBlob.size, digest: configBlob.digest },
    layers: layers.map((l) => ({ mediaType: l.mediaType, size: l.size, digest: l.digest })),
  };
  const bytes = Buffer.from(JSON.stringify(manifest));
  const blobs = [
    configBlob,
    ...layers.filter((l, i) => layers.findIndex((o) => o.digest === l.digest) === i),
  ];
  return { root: { digest: digestOf(bytes), mediaType: MEDIA_TYPES.dockerManifest, bytes }, blobs };
}

async function readManifestJson(archive: ExtractedArchive, label: string): Promise<ArchiveEntry[]> {
  const file = archive.resolve('manifest.json');
  if (!(await statOrUndefined(file))?.isFile()) {
    const oci = (await statOrUndefined(archive.resolve('oci-layout')))?.isFile();
    throw new UserError(
      oci
        ? `${label} is an OCI archive, not a docker archive (it has no manifest.json): use an oci-archive: source.`
        : `${label} is not a docker archive: it has no manifest.json. Make one with \`docker save\` or ` +
            '`skopeo copy … docker-archive:FILE:NAME:TAG`.',
    );
  }
  const json = parseJson(await fs.promises.readFile(file), `${label}: manifest.json`);
  const valid =
    Array.isArray(json) &&
    json.every(
      (e) =>
        isObject(e) &&
        typeof e.Config === 'string' &&
        Array.isArray(e.Layers) &&
        e.Layers.every((l) => typeof l === 'string') &&
        (e.RepoTags == null || (Array.isArray(e.RepoTags) && e.RepoTags.every((t) => typeof t === 'string'))),
    );
  if (!valid) {
    throw new UserError(
      `${label}: manifest.json is not a docker save manifest (a list of {Config, RepoTags, Layers}); the archive is corrupt.`,
    );
  }
  return (json as Array<Record<string, unknown>>).map((e) => ({
    Config: e.Config as string,
    Layers: e.Layers as string[],
    RepoTags: (e.RepoTags as string[] | null | undefined) ?? [],
  }));
}

function describeImages(entries: ArchiveEntry[]): string {
  const tags = entries.flatMap((e) => e.RepoTags);
  const untagged = entries.filter((e) => e.RepoTags.length === 0).length;
  const parts = [];
  if (tags.length) parts.push(tags.join(', '));
  if (untagged) parts.push(`${untagged} untagged image${untagged > 1 ? 's' : ''}`);
  return parts.join('; ') || 'no images';
}

function pickImage(entries: ArchiveEntry[], select: DockerSelector, label: string): ArchiveEntry {
  if (entries.length === 0) throw new UserError(`${label} holds no images: its manifest.json is empty.`);
  if (entries.length === 1 && (!select.reference || !select.strict)) return entries[0]!;
  if (!select.reference) {
    throw new UserError(
      `${label} holds ${entries.length} images, so the source must name one (docker-archive:FILE:NAME:TAG): ` +
        `it holds ${describeImages(entries)}.`,
    );
  }
  const wanted = canonicalReference(select.reference) ?? select.reference;
  const found = entries.filter((e) => e.RepoTags.some((t) => (canonicalReference(t) ?? t) === wanted));
  if (found.length === 0)
    throw new UserError(
      `${label} has no image tagged ${select.reference}: it holds ${describeImages(entries)}.`,
    );
  return found[0]!;
}

async function readHead(file: string, length: number): Promise<Buffer> {
  const handle = await fs.promises.open(file, 'r');
  try {
    const buffer = Buffer.alloc(length);
    const { bytesRead } = await handle.read(buffer, 0, length, 0);
    return buffer.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
}

function sink(hash: crypto.Hash): Writable {
  return new Writable({
    write(chunk: Buffer, _encoding, done) {
      hash.update(chunk);
      done();
    },
  });
}

/**
 * The gzip blob for one layer file, its uncompressed sha256 checked against `diffId`. A plain
 * tar is compressed into `outDir` (and then deleted); a gzip layer is used where it lies.
 */
async function convertLayer(
  file: string,
  name: string,
  diffId: string,
  outDir: string,
  label: string,
): Promise<BlobFile> {
  const head = await readHead(file, 4);
  if (head[0] === 0x28 && head[1] === 0xb5 && head[2] === 0x2f && head[3] === 0xfd) {
    throw new UserError(
      `${label}: layer ${name} is zstd-compressed, which a docker-archive source cannot convert; ` +
        'copy the image to an OCI layout (skopeo copy … oci:DIR:TAG) and use an oci: source.',
    );
  }
  const uncompressed = crypto.createHash('sha256');
  const compressed = crypto.createHash('sha256');
  const counter = { bytes: 0 };
  const gzipped = head[0] === 0x1f && head[1] === 0x8b;
  const temp = path.join(outDir, `layer-${crypto.randomBytes(6).toString('hex')}.tmp`);
  try {
    if (gzipped) {
      await pipeline(
        fs.createReadStream(file, { highWaterMark: READ_CHUNK }),
        hashTap(compressed, counter),
        zlib.createGunzip(),
        sink(uncompressed),
      );
    } else {
      await pipeline(
        fs.createReadStream(file, { highWaterMark: READ_CHUNK }),
        hashTap(uncompressed),
        zlib.createGzip(GZIP),
        hashTap(compressed, counter),
        fs.createWriteStream(temp),
      );
    }
  } catch (error) {
    await fs.promises.rm(temp, { force: true });
    if ((error as NodeJS.ErrnoException).code?.startsWith('Z_'))
      throw new UserError(
        `${label}: layer ${name} is not valid gzip (${errorMessage(error)}); the archive is corrupt.`,
      );
    throw error;
  }
  const diff = `sha256:${uncompressed.digest('hex')}`;
  if (diff !== diffId) {
    await fs.promises.rm(temp, { force: true });
    throw new UserError(
      `${label}: layer ${name} does not match the image config: its content has digest ${diff}, but rootfs.diff_ids ` +
        `lists ${diffId}. The archive is corrupt or was altered after it was saved; save it again.`,
    );
  }
  const digest = `sha256:${compressed.digest('hex')}`;
  let blobFile = file;
  if (!gzipped) {
    blobFile = path.join(outDir, digest.slice('sha256:'.length));
    await fs.promises.rename(temp, blobFile);
    await fs.promises.rm(file, { force: true });
  }
  return { digest, size: counter.bytes, mediaType: MEDIA_TYPES.dockerLayerGzip, path: blobFile };
}
