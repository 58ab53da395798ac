/**
 * Reads an OCI image layout (a folder, or one extracted from an oci-archive): `oci-layout`,
 * `index.json`, then the manifest or index a tag or digest selects. Manifests and indexes are small:
 * they are read and their digests verified. Config and layer blobs are only checked to be there
 * with the right size; their digests are verified by the registry as they are pushed.
 */
import * as fs from 'node:fs';
import { UserError } from '../core/errors.js';
import { type BlobFile, type Descriptor, isIndexMediaType, type ManifestBlob, MEDIA_TYPES } from './image.js';
import { blobPath, digestOf, isDigest, isObject, parseJson, statOrUndefined } from './source-archive.js';

export const REF_NAME = 'org.opencontainers.image.ref.name';

/** Where a layout's files lie: a folder on disk, or an extracted archive following its links. */
export interface LayoutFiles {
  /** Names the layout in errors: `the OCI layout build/image`. */
  label: string;
  /** The absolute path of a file of the layout (`index.json`, `blobs/sha256/…`). */
  locate(name: string): string;
}

export interface LayoutSelector {
  tag?: string;
  digest?: string;
}

export interface LayoutImage {
  root: ManifestBlob;
  children: ManifestBlob[];
  blobs: BlobFile[];
}

/** Indexes of indexes are allowed, this deep. */
const MAX_NESTING = 4;

const MANIFEST_TYPES = new Set<string>([MEDIA_TYPES.ociManifest, MEDIA_TYPES.dockerManifest]);

export async function readLayout(layout: LayoutFiles, select: LayoutSelector): Promise<LayoutImage> {
  await checkLayoutFile(layout);
  const entries = await readIndexJson(layout);
  const top = pickEntry(layout, entries, select);

  const children: ManifestBlob[] = [];
  const manifests: Array<{ blob: ManifestBlob; json: Record<string, unknown> }> = [];
  const seen = new Set<string>();
  const visit = async (descriptor: PartialDescriptor, from: string, depth: number): Promise<ManifestBlob> => {
    const { blob, json } = await readManifestBlob(layout, descriptor, from);
    if (isIndexMediaType(blob.mediaType)) {
      if (depth >= MAX_NESTING)
        throw new UserError(`${layout.label}: indexes nest deeper than ${MAX_NESTING} levels.`);
      const listed = json.manifests;
      if (!Array.isArray(listed))
        throw new UserError(
          `${layout.label}: index ${blob.digest} has no "manifests" list; the layout is corrupt.`,
        );
      for (const [i, item] of listed.entries()) {
        const where = `entry ${i + 1} of index ${blob.digest}`;
        const child = await visit(asDescriptor(item, where, layout), where, depth + 1);
        // Each child once, after its own children: an index is pushed after what it lists.
        if (!seen.has(child.digest)) {
          seen.add(child.digest);
          children.push(child);
        }
      }
    } else {
      manifests.push({ blob, json });
    }
    return blob;
  };
  const root = await visit(top, 'index.json', 0);

  const blobs: BlobFile[] = [];
  const listed = new Set<string>();
  for (const { blob, json } of manifests) {
    for (const { descriptor, role } of manifestParts(layout, blob, json)) {
      if (listed.has(descriptor.digest)) continue;
      const file = await checkBlob(layout, descriptor, `${role} of manifest ${blob.digest}`);
      if (!file) continue;
      listed.add(descriptor.digest);
      blobs.push(file);
    }
  }
  return { root, children, blobs };
}

type PartialDescriptor = Omit<Descriptor, 'mediaType'> & { mediaType?: string };

async function checkLayoutFile(layout: LayoutFiles): Promise<void> {
  const file = layout.locate('oci-layout');
  const stat = await statOrUndefined(file);
  if (!stat?.isFile()) {
    throw new UserError(
      `${layout.label} is not an OCI image layout: it has no oci-layout file. ` +
        'Write one with `skopeo copy … oci:DIR:TAG`, `umoci`, or `docker buildx build --output type=oci,tar=false,dest=DIR`.',
    );
  }
  const json = parseJson(await fs.promises.readFile(file), `${layout.label}/oci-layout`);
  const version = isObject(json) ? json.imageLayoutVersion : undefined;
  if (typeof version !== 'string' || !version.startsWith('1.')) {
    throw new UserError(
      `${layout.label}/oci-layout gives imageLayoutVersion ${JSON.stringify(version)}; only 1.x layouts can be read.`,
    );
  }
}

async function readIndexJson(layout: LayoutFiles): Promise<PartialDescriptor[]> {
  const file = layout.locate('index.json');
  if (!(await statOrUndefined(file))?.isFile())
    throw new UserError(
      `${layout.label} has an oci-layout file but no index.json; the layout is incomplete.`,
    );
  const json = parseJson(await fs.promises.readFile(file), `${layout.label}/index.json`);
  if (!isObject(json) || !Array.isArray(json.manifests))
    throw new UserError(`${layout.label}/index.json has no "manifests" list; the layout is corrupt.`);
  return json.manifests.map((item, i) => asDescriptor(item, `entry ${i + 1} of index.json`, layout));
}

function asDescriptor(value: unknown, where: string, layout: LayoutFiles): PartialDescriptor {
  if (!isObject(value) || !isDigest(value.digest) || typeof value.size !== 'number' || value.size < 0) {
    throw new UserError(
      `${layout.label}: ${where} is not a valid descriptor (it needs a sha256/sha512 "digest" and a "size"); the layout is corrupt.`,
    );
  }
  if (value.mediaType !== undefined && typeof value.mediaType !== 'string')
    throw new UserError(`${layout.label}: ${where} has a "mediaType" that is not a string.`);
  return value as unknown as PartialDescriptor;
}

/** Tags for error messages: every ref name, and the digests of untagged entries. */
export function describeEntries(entries: PartialDescriptor[]): string {
  if (entries.length === 0) return 'it holds no images';
  const tags = entries
    .map((e) => e.annotations?.[REF_NAME])
    .filter((t): t is string => typeof t === 'string');
  const untagged = entries.filter((e) => typeof e.annotations?.[REF_NAME] !== 'string').map((e) => e.digest);
  const parts: string[] = [];
  if (tags.length) parts.push(`tags: ${[...new Set(tags)].join(', ')}`);
  if (untagged.length) parts.push(`untagged: ${untagged.map((d) => `@${d}`).join(', ')}`);
  return `it holds ${parts.join('; ')}`;
}

function pickEntry(
  layout: LayoutFiles,
  entries: PartialDescriptor[],
  select: LayoutSelector,
): PartialDescriptor {
  if (select.digest) {
    const found = entries.find((e) => e.digest === select.digest);
    // Not listed in index.json: a manifest inside an index (one platform) may still be chosen.
    return found ?? { digest: select.digest, size: -1 };
  }
  if (select.tag !== undefined) {
    const found = entries.filter((e) => e.annotations?.[REF_NAME] === select.tag);
    if (found.length === 0)
      throw new UserError(
        `${layout.label} has no image tagged ${JSON.stringify(select.tag)}: ${describeEntries(entries)}.`,
      );
    if (new Set(found.map((e) => e.digest)).size > 1) {
      throw new UserError(
        `${layout.label} has several images tagged ${JSON.stringify(select.tag)} (${found.map((e) => e.digest).join(', ')}); ` +
          'select one by digest: oci:DIR@sha256:….',
      );
    }
    return found[0]!;
  }
  if (entries.length === 1) return entries[0]!;
  throw new UserError(
    `${layout.label} holds ${entries.length === 0 ? 'no images' : `${entries.length} images`}, so the source must name one ` +
      `(oci:DIR:TAG or oci:DIR@sha256:…): ${describeEntries(entries)}.`,
  );
}

/** Reads a manifest or index blob, checking its digest, size and media type. */
async function readManifestBlob(
  layout: LayoutFiles,
  descriptor: PartialDescriptor,
  from: string,
): Promise<{ blob: ManifestBlob; json: Record<string, unknown> }> {
  const file = layout.locate(blobPath(descriptor.digest));
  const stat = await statOrUndefined(file);
  if (!stat?.isFile()) {
    throw new UserError(
      descriptor.size < 0
        ? `${layout.label} has no image with digest ${descriptor.digest}: it is neither in index.json nor among its blobs.`
        : `${layout.label} is missing manifest ${descriptor.digest} (listed in ${from}): ${blobPath(descriptor.digest)} ` +
            'does not exist. Copy the image again with every platform it lists (skopeo copy --all).',
    );
  }
  if (stat.size > 4 * 1024 * 1024)
    throw new UserError(
      `${layout.label}: manifest ${descriptor.digest} is ${stat.size} bytes, too big for a manifest.`,
    );
  const bytes = await fs.promises.readFile(file);
  const actual = digestOf(bytes, descriptor.digest.split(':')[0]);
  if (actual !== descriptor.digest || (descriptor.size >= 0 && bytes.length !== descriptor.size)) {
    throw new UserError(
      `${layout.label}: manifest ${descriptor.digest} (listed in ${from}) has the wrong content ` +
        `(${bytes.length} bytes with digest ${actual}, expected ${descriptor.size >= 0 ? `${descriptor.size} bytes with ` : ''}` +
        `digest ${descriptor.digest}); the layout is corrupt.`,
    );
  }
  const json = parseJson(bytes, `${layout.label}: manifest ${descriptor.digest}`);
  if (!isObject(json))
    throw new UserError(`${layout.label}: manifest ${descriptor.digest} is not a JSON object.`);
  const inner = typeof json.mediaType === 'string' ? json.mediaType : undefined;
  if (inner && descriptor.mediaType && inner !== descriptor.mediaType) {
    throw new UserError(
      `${layout.label}: ${from} lists ${descriptor.digest} as ${descriptor.mediaType}, but it says it is ${inner}; the layout is corrupt.`,
    );
  }
  const mediaType =
    inner ??
    descriptor.mediaType ??
    (Array.isArray(json.manifests) ? MEDIA_TYPES.ociIndex : MEDIA_TYPES.ociManifest);
  if (!isIndexMediaType(mediaType) && !MANIFEST_TYPES.has(mediaType)) {
    throw new UserError(
      `${layout.label}: ${descriptor.digest} (listed in ${from}) has media type ${mediaType}, which is neither an image manifest nor an index.`,
    );
  }
  return { blob: { digest: descriptor.digest, mediaType, bytes }, json };
}

/** The config and the layers of a manifest, as descriptors. */
function manifestParts(
  layout: LayoutFiles,
  blob: ManifestBlob,
  json: Record<string, unknown>,
): Array<{ descriptor: Descriptor & { urls?: unknown }; role: string }> {
  const where = (role: string) => `${role} of manifest ${blob.digest}`;
  const config = asDescriptor(json.config, where('the config'), layout);
  if (!Array.isArray(json.layers))
    throw new UserError(
      `${layout.label}: manifest ${blob.digest} has no "layers" list; the layout is corrupt.`,
    );
  const layers = json.layers.map((l, i) => asDescriptor(l, where(`layer ${i + 1}`), layout));
  return [
    { descriptor: { ...config, mediaType: config.mediaType ?? MEDIA_TYPES.ociConfig }, role: 'the config' },
    ...layers.map((l, i) => ({
      descriptor: { ...l, mediaType: l.mediaType ?? 'application/vnd.oci.image.layer.v1.tar' },
      role: `layer ${i + 1}`,
    })),
  ];
}

/** Foreign layers (Windows base layers) are fetched from their `urls`; a layout may omit them. */
function isForeign(descriptor: Descriptor & { urls?: unknown }): boolean {
  return (
    /nondistributable|foreign/.test(descriptor.mediaType) &&
    Array.isArray(descriptor.urls) &&
    descriptor.urls.length > 0
  );
}

async function checkBlob(
  layout: LayoutFiles,
  descriptor: Descriptor & { urls?: unknown },
  what: string,
): Promise<BlobFile | undefined> {
  const file = layout.locate(blobPath(descriptor.digest));
  const stat = await statOrUndefined(file);
  if (!stat?.isFile()) {
    if (isForeign(descriptor)) return undefined;
    throw new UserError(
      `${layout.label} is missing blob ${descriptor.digest} (${what}): ${blobPath(descriptor.digest)} does not exist. ` +
        'The layout is incomplete: copy or build the image into it again.',
    );
  }
  if (stat.size !== descriptor.size) {
    throw new UserError(
      `${layout.label}: blob ${descriptor.digest} (${what}) has ${stat.size} bytes, but the manifest says ${descriptor.size}. ` +
        'The layout is incomplete or corrupt: copy or build the image into it again.',
    );
  }
  return { digest: descriptor.digest, size: descriptor.size, mediaType: descriptor.mediaType, path: file };
}
