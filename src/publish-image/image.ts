/**
 * The image as publish-image sees it, whatever it was read from: the manifest (or index) to put at
 * each destination, the manifests an index points to, and every blob with where its bytes lie on
 * disk. Blobs are never held in memory: they are streamed from `path` when pushed.
 */

export const MEDIA_TYPES = {
  ociManifest: 'application/vnd.oci.image.manifest.v1+json',
  ociIndex: 'application/vnd.oci.image.index.v1+json',
  ociConfig: 'application/vnd.oci.image.config.v1+json',
  dockerManifest: 'application/vnd.docker.distribution.manifest.v2+json',
  dockerManifestList: 'application/vnd.docker.distribution.manifest.list.v2+json',
  dockerConfig: 'application/vnd.docker.container.image.v1+json',
  dockerLayerGzip: 'application/vnd.docker.image.rootfs.diff.tar.gzip',
} as const;

export function isIndexMediaType(mediaType: string): boolean {
  return mediaType === MEDIA_TYPES.ociIndex || mediaType === MEDIA_TYPES.dockerManifestList;
}

/** An OCI descriptor, as manifests and indexes list their parts. */
export interface Descriptor {
  mediaType: string;
  digest: string;
  size: number;
  platform?: { architecture: string; os: string; variant?: string };
  annotations?: Record<string, string>;
}

/** A manifest or an index: its exact bytes (the digest is over them), kept in memory. */
export interface ManifestBlob {
  digest: string;
  mediaType: string;
  bytes: Buffer;
}

/** A layer or config blob on disk. */
export interface BlobFile {
  digest: string;
  size: number;
  mediaType: string;
  /** Absolute path of a file holding exactly these bytes. */
  path: string;
}

export interface LocalImage {
  /** What the source was, for logs and the summary: `oci:build/layout:1.2`. */
  source: string;
  /** The manifest or index that each destination's tag points to. */
  root: ManifestBlob;
  /** For an index: the manifests it lists, each pushed by digest before the index. */
  children: ManifestBlob[];
  /** Every config and layer blob any manifest references, once each, in push order. */
  blobs: BlobFile[];
  /** Removes anything extracted or converted into a temporary folder. */
  cleanup(): Promise<void>;
}
