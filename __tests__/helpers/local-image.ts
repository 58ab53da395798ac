/** An OCI layout written by `writeLayout`, read into the push model without the source readers. */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { LocalImage } from '../../src/publish-image/image.js';

/** Reads a layout written by writeLayout into the push model (the source readers are tested apart). */
export function imageOf(dir: string, digest: string): LocalImage {
  const blob = (d: string) => path.join(dir, 'blobs', 'sha256', d.slice(7));
  const read = (d: string) => fs.readFileSync(blob(d));
  const root = read(digest);
  const rootJson = JSON.parse(root.toString()) as {
    mediaType: string;
    manifests?: Array<{ digest: string }>;
  };
  const manifests = rootJson.manifests ? rootJson.manifests.map((m) => m.digest) : [digest];
  const blobs = new Map<string, LocalImage['blobs'][number]>();
  const children = rootJson.manifests
    ? manifests.map((d) => ({
        digest: d,
        mediaType: 'application/vnd.oci.image.manifest.v1+json',
        bytes: read(d),
      }))
    : [];
  for (const d of manifests) {
    const m = JSON.parse(read(d).toString()) as {
      config: { digest: string; size: number; mediaType: string };
      layers: Array<{ digest: string; size: number; mediaType: string }>;
    };
    for (const b of [m.config, ...m.layers]) blobs.set(b.digest, { ...b, path: blob(b.digest) });
  }
  return {
    source: `oci:${dir}`,
    root: { digest, mediaType: rootJson.mediaType, bytes: root },
    children,
    blobs: [...blobs.values()],
    cleanup: async () => {},
  };
}
