/**
 * A container image kept in S3 as an OCI archive: the image layout (oci-layout, index.json and
 * every blob) streamed as a tar into a multipart upload, never whole on disk or in memory. The key
 * is named by the image's digest, so a re-run finds the object there and uploads nothing.
 */
import { HeadObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Transform } from 'node:stream';
import { create as createTar } from 'tar';
import { wrapError } from '../core/errors.js';
import { MEDIA_TYPES, type LocalImage } from './image.js';

export interface S3Location {
  bucket: string;
  /** '' or a key prefix without a trailing slash. */
  prefix: string;
}

export interface ArchiveResult {
  /** `s3://bucket/key`. */
  object: string;
  status: 'uploaded' | 'unchanged';
  bytes: number;
}

/** Each part of the multipart upload; 4 are in flight, so about 64 MiB of memory at most. */
const PART_SIZE = 16 * 1024 * 1024;

/** The object key for an image: `<prefix>/sha256-<hex>.oci.tar`. */
export function archiveKey(location: S3Location, digest: string): string {
  const name = `${digest.replace(':', '-')}.oci.tar`;
  return location.prefix ? `${location.prefix}/${name}` : name;
}

/** Writes the image as an OCI layout in `dir`, linking the blobs rather than copying them. */
function writeLayout(image: LocalImage, dir: string, tag: string | undefined): void {
  const blobs = path.join(dir, 'blobs');
  const blobPath = (digest: string) => {
    const [algorithm, hex] = digest.split(':') as [string, string];
    fs.mkdirSync(path.join(blobs, algorithm), { recursive: true });
    return path.join(blobs, algorithm, hex);
  };
  for (const manifest of [image.root, ...image.children])
    fs.writeFileSync(blobPath(manifest.digest), manifest.bytes);
  for (const blob of image.blobs) {
    const target = blobPath(blob.digest);
    if (!fs.existsSync(target)) fs.symlinkSync(blob.path, target);
  }
  fs.writeFileSync(path.join(dir, 'oci-layout'), '{"imageLayoutVersion":"1.0.0"}');
  const index = {
    schemaVersion: 2,
    mediaType: MEDIA_TYPES.ociIndex,
    manifests: [
      {
        mediaType: image.root.mediaType,
        digest: image.root.digest,
        size: image.root.bytes.length,
        ...(tag ? { annotations: { 'org.opencontainers.image.ref.name': tag } } : {}),
      },
    ],
  };
  fs.writeFileSync(path.join(dir, 'index.json'), JSON.stringify(index));
}

/**
 * Uploads the image as `<prefix>/sha256-<hex>.oci.tar`, with `tag` as its name inside the archive
 * (so `oci-archive:FILE:TAG` reads it back). An object already under that key is left as it is.
 */
export async function uploadArchive(
  image: LocalImage,
  s3: S3Client,
  location: S3Location,
  options: { tempDir: string; tag?: string; log: (message: string) => void },
): Promise<ArchiveResult> {
  const key = archiveKey(location, image.root.digest);
  const object = `s3://${location.bucket}/${key}`;
  try {
    const head = await s3.send(new HeadObjectCommand({ Bucket: location.bucket, Key: key }));
    options.log(`${object}: already holds ${image.root.digest}; nothing to upload`);
    return { object, status: 'unchanged', bytes: head.ContentLength ?? 0 };
  } catch (error) {
    const e = error as { name?: string; $metadata?: { httpStatusCode?: number } };
    if (e.name !== 'NotFound' && e.$metadata?.httpStatusCode !== 404)
      throw wrapError(`look for ${object}`, error);
  }
  const dir = fs.mkdtempSync(path.join(options.tempDir, 's3-archive-'));
  try {
    writeLayout(image, dir, options.tag);
    let bytes = 0;
    const counted = new Transform({
      transform(chunk: Buffer, _encoding, done) {
        bytes += chunk.length;
        done(null, chunk);
      },
    });
    const tar = createTar({ cwd: dir, follow: true, portable: true }, ['oci-layout', 'index.json', 'blobs']);
    tar.on('error', (error: unknown) => counted.destroy(error as Error));
    tar.pipe(counted);
    const upload = new Upload({
      client: s3,
      params: {
        Bucket: location.bucket,
        Key: key,
        Body: counted,
        ContentType: 'application/x-tar',
        Metadata: { 'image-digest': image.root.digest },
      },
      partSize: PART_SIZE,
      queueSize: 4,
      leavePartsOnError: false,
    });
    await upload.done();
    options.log(`${object}: uploaded ${image.root.digest} as an OCI archive (${bytes} bytes)`);
    return { object, status: 'uploaded', bytes };
  } catch (error) {
    throw wrapError(`upload the image to ${object}`, error);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
