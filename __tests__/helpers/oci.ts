/**
 * Test images without a Docker engine. `umociImage` builds one with the real umoci, as a user's
 * build would; `writeLayout` writes an OCI image layout by hand for shapes umoci cannot make (a
 * multi-platform index, a layer of a given size made of random bytes).
 */
import { execFileSync } from 'node:child_process';
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as zlib from 'node:zlib';

export interface LayerFiles {
  /** Path inside the image → content. */
  [file: string]: string | Buffer;
}

/** Builds `dir` as an OCI layout holding `tag`, one layer per entry of `layers`, with umoci. */
export function umociImage(
  dir: string,
  tag: string,
  layers: LayerFiles[],
): { layout: string; digest: string } {
  if (!fs.existsSync(path.join(dir, 'oci-layout'))) execFileSync('umoci', ['init', '--layout', dir]);
  execFileSync('umoci', ['new', '--image', `${dir}:${tag}`]);
  layers.forEach((files, i) => {
    const root = fs.mkdtempSync(path.join(path.dirname(dir), `layer-${i}-`));
    for (const [file, content] of Object.entries(files)) {
      fs.mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
      fs.writeFileSync(path.join(root, file), content);
    }
    const tarFile = `${root}.tar`;
    execFileSync('tar', ['-C', root, '-cf', tarFile, '.']);
    execFileSync('umoci', ['raw', 'add-layer', '--image', `${dir}:${tag}`, tarFile]);
    fs.rmSync(root, { recursive: true });
    fs.rmSync(tarFile);
  });
  execFileSync('umoci', ['config', '--image', `${dir}:${tag}`, '--config.cmd', '/bin/sh']);
  return { layout: dir, digest: layoutDigest(dir, tag) };
}

/** The manifest digest that `tag` names in the layout at `dir`. */
export function layoutDigest(dir: string, tag: string): string {
  const index = JSON.parse(fs.readFileSync(path.join(dir, 'index.json'), 'utf8')) as {
    manifests: Array<{ digest: string; annotations?: Record<string, string> }>;
  };
  const found = index.manifests.find((m) => m.annotations?.['org.opencontainers.image.ref.name'] === tag);
  if (!found) throw new Error(`no ${tag} in ${dir}`);
  return found.digest;
}

function sha256(data: Buffer): string {
  return `sha256:${crypto.createHash('sha256').update(data).digest('hex')}`;
}

function writeBlob(dir: string, data: Buffer): { digest: string; size: number } {
  const digest = sha256(data);
  fs.mkdirSync(path.join(dir, 'blobs', 'sha256'), { recursive: true });
  fs.writeFileSync(path.join(dir, 'blobs', 'sha256', digest.slice(7)), data);
  return { digest, size: data.length };
}

/**
 * Writes a gzip blob of about `size` random bytes, streamed in 1 MiB gzip members (a valid
 * multi-member gzip, so tools that sniff compression see a gzip layer); returns its descriptor.
 */
export function writeRandomBlob(dir: string, size: number): { digest: string; size: number } {
  fs.mkdirSync(path.join(dir, 'blobs', 'sha256'), { recursive: true });
  const temp = path.join(dir, 'blobs', 'sha256', `tmp-${process.pid}-${Math.random()}`);
  const fd = fs.openSync(temp, 'w');
  const hash = crypto.createHash('sha256');
  let written = 0;
  for (let left = size; left > 0;) {
    const raw = crypto.randomBytes(Math.min(left, 1 << 20));
    const piece = zlib.gzipSync(raw, { level: 0 });
    hash.update(piece);
    fs.writeSync(fd, piece);
    written += piece.length;
    left -= raw.length;
  }
  fs.closeSync(fd);
  const digest = `sha256:${hash.digest('hex')}`;
  fs.renameSync(temp, path.join(dir, 'blobs', 'sha256', digest.slice(7)));
  return { digest, size: written };
}

export interface ManifestSpec {
  /** Layer sizes in bytes, each filled with random bytes. */
  layerSizes: number[];
  platform?: { architecture: string; os: string; variant?: string };
}

const LAYER = 'application/vnd.oci.image.layer.v1.tar+gzip';

function writeManifest(dir: string, spec: ManifestSpec) {
  const layers = spec.layerSizes.map((size) => ({ mediaType: LAYER, ...writeRandomBlob(dir, size) }));
  const platform = spec.platform ?? { architecture: 'amd64', os: 'linux' };
  const config = writeBlob(
    dir,
    Buffer.from(
      JSON.stringify({
        ...platform,
        config: { Cmd: ['/bin/sh'] },
        rootfs: { type: 'layers', diff_ids: layers.map((l) => l.digest) },
      }),
    ),
  );
  const manifest = Buffer.from(
    JSON.stringify({
      schemaVersion: 2,
      mediaType: 'application/vnd.oci.image.manifest.v1+json',
      config: { mediaType: 'application/vnd.oci.image.config.v1+json', ...config },
      layers,
    }),
  );
  return { ...writeBlob(dir, manifest), layers, platform };
}

/**
 * Writes an OCI layout at `dir` whose `tag` names one manifest, or an index of several (one per
 * spec, with its platform) when `index` is true. Returns the tag's digest and every blob digest.
 */
export function writeLayout(
  dir: string,
  tag: string,
  specs: ManifestSpec[],
  options: { index?: boolean } = {},
): { digest: string; manifests: string[]; layers: string[] } {
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, 'oci-layout'), '{"imageLayoutVersion":"1.0.0"}');
  const written = specs.map((spec) => writeManifest(dir, spec));
  let top: { mediaType: string; digest: string; size: number };
  if (options.index) {
    const index = Buffer.from(
      JSON.stringify({
        schemaVersion: 2,
        mediaType: 'application/vnd.oci.image.index.v1+json',
        manifests: written.map((m) => ({
          mediaType: 'application/vnd.oci.image.manifest.v1+json',
          digest: m.digest,
          size: m.size,
          platform: m.platform,
        })),
      }),
    );
    top = { mediaType: 'application/vnd.oci.image.index.v1+json', ...writeBlob(dir, index) };
  } else {
    const only = written[0] as { digest: string; size: number };
    top = { mediaType: 'application/vnd.oci.image.manifest.v1+json', digest: only.digest, size: only.size };
  }
  const indexFile = path.join(dir, 'index.json');
  const existing = fs.existsSync(indexFile)
    ? (JSON.parse(fs.readFileSync(indexFile, 'utf8')) as { manifests: unknown[] })
    : { manifests: [] };
  existing.manifests.push({ ...top, annotations: { 'org.opencontainers.image.ref.name': tag } });
  fs.writeFileSync(indexFile, JSON.stringify({ schemaVersion: 2, ...existing }));
  return {
    digest: top.digest,
    manifests: written.map((m) => m.digest),
    layers: written.flatMap((m) => m.layers.map((l) => l.digest)),
  };
}
