/**
 * Pushes one local image to every destination. Destinations on the same registry go one after
 * another, so that each after the first can mount the blobs the first uploaded instead of sending
 * them again; different registries go at the same time. A destination that already holds the
 * image under its tag costs one HEAD. A failed destination is reported and the others go on.
 */
import { errorMessage } from '../core/errors.js';
import { eachLimited } from '../core/pool.js';
import { bytes } from '../core/text.js';
import type { BlobFile, LocalImage } from './image.js';
import { formatReference, type ImageReference } from './reference.js';
import { RegistryError, type RegistryClient } from './registry.js';

export interface PushResult {
  /** The destination as the user wrote it. */
  destination: string;
  /** Canonical `registry/repository:tag@digest`. */
  reference: string;
  digest: string;
  status: 'pushed' | 'unchanged' | 'failed';
  uploaded: number;
  mounted: number;
  existing: number;
  bytesUploaded: number;
  error?: string;
}

export interface Destination {
  raw: string;
  ref: ImageReference;
}

export interface PushDeps {
  /** The client for a registry, made once per registry with its credentials. */
  client(ref: ImageReference): Promise<RegistryClient>;
  log(message: string): void;
  /** Called before a destination's first request, for one-off set-up such as creating an ECR repository. */
  prepare?(destination: Destination): Promise<void>;
  /** Blobs uploaded at once to one destination. Default 4. */
  concurrency?: number;
}

/** Pushes to each destination; the results are in the order of `destinations`. */
export async function pushImage(
  image: LocalImage,
  destinations: Destination[],
  deps: PushDeps,
): Promise<PushResult[]> {
  const byRegistry = new Map<string, Destination[]>();
  for (const d of destinations)
    byRegistry.set(d.ref.registry, [...(byRegistry.get(d.ref.registry) ?? []), d]);
  const results = new Map<Destination, PushResult>();
  await Promise.all(
    [...byRegistry.values()].map(async (group) => {
      /** Repositories of this registry known to hold every blob: sources for mounts. */
      const holders: string[] = [];
      for (const destination of group) {
        const result = await pushOne(image, destination, holders, deps);
        results.set(destination, result);
        if (result.status !== 'failed' && !holders.includes(destination.ref.repository)) {
          holders.push(destination.ref.repository);
        }
      }
    }),
  );
  return destinations.map((d) => results.get(d) as PushResult);
}

async function pushOne(
  image: LocalImage,
  destination: Destination,
  holders: string[],
  deps: PushDeps,
): Promise<PushResult> {
  const { ref } = destination;
  const digest = image.root.digest;
  const result: PushResult = {
    destination: destination.raw,
    reference: formatReference({ ...ref, digest }),
    digest,
    status: 'pushed',
    uploaded: 0,
    mounted: 0,
    existing: 0,
    bytesUploaded: 0,
  };
  const name = formatReference(ref);
  let client: RegistryClient | undefined;
  try {
    if (ref.digest && ref.digest !== digest) {
      throw new Error(`the destination names digest ${ref.digest}, but the image's digest is ${digest}`);
    }
    await deps.prepare?.(destination);
    const registry = await deps.client(ref);
    client = registry;
    const reference = ref.tag ?? digest;
    if ((await registry.manifestDigest(ref.repository, reference)) === digest) {
      deps.log(`${name}: already holds ${digest}; nothing to push`);
      result.status = 'unchanged';
      return result;
    }
    await eachLimited(image.blobs, deps.concurrency ?? 4, async (blob) => {
      const how = await pushBlob(registry, ref.repository, blob, holders);
      if (how === 'uploaded') {
        result.uploaded++;
        result.bytesUploaded += blob.size;
      } else if (how === 'mounted') result.mounted++;
      else result.existing++;
      deps.log(`${name}: ${blob.digest.slice(0, 19)} ${how} (${bytes(blob.size)})`);
    });
    for (const child of image.children) await registry.putManifest(ref.repository, child.digest, child);
    await registry.putManifest(ref.repository, reference, image.root);
    deps.log(
      `${name}: pushed ${digest} (${result.uploaded} uploaded, ${result.mounted} mounted, ${result.existing} already there; ${bytes(result.bytesUploaded)} sent)`,
    );
  } catch (error) {
    result.status = 'failed';
    result.error = errorMessage(error);
    if (error instanceof RegistryError && client)
      result.error = (await client.notARegistry()) ?? result.error;
    deps.log(`${name}: failed: ${result.error}`);
  }
  return result;
}

async function pushBlob(
  client: RegistryClient,
  repository: string,
  blob: BlobFile,
  holders: string[],
): Promise<'uploaded' | 'mounted' | 'already there'> {
  if (await client.hasBlob(repository, blob.digest)) return 'already there';
  const from = holders.find((h) => h !== repository);
  if (from) {
    const mount = await client.mountBlob(repository, blob.digest, from);
    if (mount.mounted) return 'mounted';
    await client.uploadBlob(repository, blob, mount.location);
    return 'uploaded';
  }
  await client.uploadBlob(repository, blob);
  return 'uploaded';
}
