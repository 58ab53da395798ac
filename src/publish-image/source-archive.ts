/**
 * What the image readers share: extracting a tar archive (oci-archive, docker-archive) safely into
 * a temporary folder, parsing small JSON files with errors that name them, and digests.
 *
 * Extraction streams every entry straight to disk (gzip-compressed archives too, through `tar`),
 * so memory stays flat whatever the archive's size. Entries are written only as regular files and
 * folders: an entry whose path leaves the archive (absolute, `..`) or a link pointing outside it is
 * refused. Links are not created on disk but recorded, and `resolve` follows them, so `docker
 * save`'s `<id>/layer.tar -> ../<digest>.tar` works and nothing can be read through a link.
 */
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Transform } from 'node:stream';
import * as tar from 'tar';
import { errorMessage, UserError } from '../core/errors.js';

/** A digest this reader can verify and store under `blobs/<alg>/<hex>`. */
const DIGEST = /^(sha256:[a-f0-9]{64}|sha512:[a-f0-9]{128})$/;

export function isDigest(value: unknown): value is string {
  return typeof value === 'string' && DIGEST.test(value);
}

/** `blobs/sha256/<hex>`: where an OCI layout keeps the blob with this (already checked) digest. */
export function blobPath(digest: string): string {
  const [alg, hex] = digest.split(':') as [string, string];
  return `blobs/${alg}/${hex}`;
}

export function digestOf(bytes: Buffer, algorithm = 'sha256'): string {
  return `${algorithm}:${crypto.createHash(algorithm).update(bytes).digest('hex')}`;
}

/** Passes chunks through unchanged, feeding them to a hash and counting them on the way. */
export function hashTap(hash: crypto.Hash, counter?: { bytes: number }): Transform {
  return new Transform({
    transform(chunk: Buffer, _encoding, done) {
      hash.update(chunk);
      if (counter) counter.bytes += chunk.length;
      done(null, chunk);
    },
  });
}

/** JSON from bytes, or a UserError naming the file that is not JSON. */
export function parseJson(bytes: Buffer, label: string): unknown {
  try {
    return JSON.parse(bytes.toString('utf8')) as unknown;
  } catch (error) {
    throw new UserError(`${label} is not valid JSON (${errorMessage(error)}); the image is corrupt.`);
  }
}

export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The stat of a path, or undefined when nothing is there. */
export async function statOrUndefined(file: string): Promise<fs.Stats | undefined> {
  try {
    return await fs.promises.stat(file);
  } catch (error) {
    if (
      (error as NodeJS.ErrnoException).code === 'ENOENT' ||
      (error as NodeJS.ErrnoException).code === 'ENOTDIR'
    )
      return undefined;
    throw error;
  }
}

/**
 * A `/`-separated path inside an archive, without `.` segments or a leading `./`; undefined when it
 * leaves the archive (absolute, or `..` above the top). '' is the archive's top folder.
 */
export function archivePath(name: string, from = ''): string | undefined {
  if (name.includes('\0') || name.startsWith('/')) return undefined;
  const parts = from ? from.split('/') : [];
  for (const segment of name.split('/')) {
    if (segment === '' || segment === '.') continue;
    if (segment === '..') {
      if (parts.length === 0) return undefined;
      parts.pop();
    } else parts.push(segment);
  }
  return parts.join('/');
}

/** Files of an archive extracted to disk. */
export interface ExtractedArchive {
  /** The folder the archive was extracted into. */
  root: string;
  /** The absolute path holding the archive path `name`, following the archive's links. */
  resolve(name: string): string;
}

const MAX_LINK_HOPS = 40;

/**
 * Extracts the tar archive `file` (plain or gzip) into the existing empty folder `into`. `label`
 * names the source in errors.
 */
export async function extractArchive(file: string, into: string, label: string): Promise<ExtractedArchive> {
  const links = new Map<string, string>();
  const writes: Array<Promise<void>> = [];
  const open = new Set<fs.WriteStream>();
  let refused: string | undefined;
  let failure: unknown;

  const onReadEntry = (entry: tar.ReadEntry) => {
    const name = archivePath(entry.path);
    if (name === undefined) {
      refused ??= `entry ${JSON.stringify(entry.path)} points outside the archive`;
      entry.resume();
      return;
    }
    try {
      if (entry.type === 'Directory') {
        if (name) fs.mkdirSync(path.join(into, name), { recursive: true });
        entry.resume();
      } else if (entry.type === 'SymbolicLink' || entry.type === 'Link') {
        // A symbolic link is relative to its folder, a hard link to the archive's top.
        const from = entry.type === 'SymbolicLink' ? path.posix.dirname(name).replace(/^\.$/, '') : '';
        const target = archivePath(entry.linkpath ?? '', from);
        if (target === undefined || !name) {
          refused ??= `link ${JSON.stringify(entry.path)} -> ${JSON.stringify(entry.linkpath)} points outside the archive`;
        } else {
          links.set(name, target);
        }
        entry.resume();
      } else if (
        (entry.type === 'File' || entry.type === 'OldFile' || entry.type === 'ContiguousFile') &&
        name
      ) {
        links.delete(name);
        const dest = path.join(into, name);
        fs.mkdirSync(path.dirname(dest), { recursive: true });
        const out = fs.createWriteStream(dest);
        open.add(out);
        writes.push(
          new Promise<void>((resolve) => {
            out.on('close', () => {
              open.delete(out);
              resolve();
            });
            out.on('error', (error) => {
              failure ??= error;
              entry.unpipe(out);
              entry.resume();
              resolve();
            });
          }),
        );
        entry.pipe(out);
      } else {
        // Devices, FIFOs and the like have no place in an image archive: skipped.
        entry.resume();
      }
    } catch (error) {
      failure ??= error;
      entry.resume();
    }
  };

  try {
    // Extraction goes to disk, which bounds it: a gzip archive of zero-filled layers may well
    // decompress beyond tar's default 1000:1 guard.
    await tar.t({
      file,
      strict: true,
      noResume: true,
      maxReadSize: 1 << 20,
      maxDecompressionRatio: Infinity,
      onReadEntry,
    });
  } catch (error) {
    // A truncated archive leaves its last entry unfinished: close its file rather than wait for it.
    for (const out of open) out.destroy();
    await Promise.all(writes);
    throw new UserError(`${label} is not a readable tar archive: ${errorMessage(error)}.`);
  }
  await Promise.all(writes);
  if (refused)
    throw new UserError(`${label} is refused: its ${refused}. A safe image archive never does this.`);
  if (failure) throw new Error(`Could not extract ${label} into ${into}: ${errorMessage(failure)}`);

  const resolve = (name: string): string => {
    const start = archivePath(name);
    if (start === undefined)
      throw new UserError(`${label} names ${JSON.stringify(name)}, outside the archive.`);
    let parts = start ? start.split('/') : [];
    for (let hops = 0; ; hops++) {
      if (hops > MAX_LINK_HOPS)
        throw new UserError(`${label}: too many levels of links at ${JSON.stringify(name)}.`);
      let followed = false;
      for (let i = 1; i <= parts.length; i++) {
        const target = links.get(parts.slice(0, i).join('/'));
        if (target !== undefined) {
          parts = [...(target ? target.split('/') : []), ...parts.slice(i)];
          followed = true;
          break;
        }
      }
      if (!followed) return path.join(into, ...parts);
    }
  };
  return { root: into, resolve };
}
