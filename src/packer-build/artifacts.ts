/**
 * What a build's artifacts mean to the next job: the AMIs by region, the container images, and a
 * manifest in the manifest post-processor's own format.
 */
import type { Artifact } from './machine-readable.js';

/**
 * The artifacts in the template's build order (Packer prints them as its builds finish, which
 * changes from run to run), each build's own in the order Packer printed them. Builds the order
 * does not name come last.
 */
export function inBuildOrder(artifacts: readonly Artifact[], builds: readonly string[]): Artifact[] {
  const rank = new Map(builds.map((name, i) => [name, i]));
  return artifacts
    .map((artifact, i) => ({ artifact, i, rank: rank.get(artifact.build) ?? builds.length }))
    .sort((a, b) => a.rank - b.rank || a.i - b.i)
    .map((x) => x.artifact);
}

/** `eu-west-1`, `us-gov-west-1`, `cn-north-1`, `ap-southeast-4`, `eusc-de-east-1`. */
const REGION = /^[a-z]{2,4}(?:-[a-z]+)+-\d+$/;
const AMI = /^ami-[0-9a-f]{8,17}$/;

/** The `region:ami-…` pairs of an artifact id, in Packer's order (it sorts them by region). */
export function amisOf(id: string): Array<{ region: string; ami: string }> {
  const pairs: Array<{ region: string; ami: string }> = [];
  for (const part of id.split(',')) {
    const [region, ami, ...rest] = part.trim().split(':');
    if (rest.length === 0 && region && ami && REGION.test(region) && AMI.test(ami))
      pairs.push({ region, ami });
  }
  return pairs;
}

export interface AmiSummary {
  /** Region → AMI id. Where builds made AMIs in the same region, the first build's. */
  amis: Record<string, string>;
  /**
   * The AMI of the first artifact that has one: the one in its build's own region (where the
   * template says which that is), else the first Packer lists (it sorts them by region).
   */
  first?: string;
  /** Regions where another build made a different AMI than the one `amis` holds. */
  conflicts: string[];
}

export function summariseAmis(
  artifacts: readonly Artifact[],
  /** Build name → the region it builds in. */
  homes: ReadonlyMap<string, string> = new Map(),
): AmiSummary {
  const amis: Record<string, string> = {};
  const conflicts = new Set<string>();
  let first: string | undefined;
  for (const a of artifacts) {
    const pairs = amisOf(a.id);
    first ??= (pairs.find((p) => p.region === homes.get(a.build)) ?? pairs[0])?.ami;
    for (const { region, ami } of pairs) {
      if (amis[region] === undefined) amis[region] = ami;
      else if (amis[region] !== ami) conflicts.add(region);
    }
  }
  return { amis, ...(first ? { first } : {}), conflicts: [...conflicts] };
}

/** Builder ids whose artifact id is a container image (an image id or a `repository:tag`). */
const IMAGE_BUILDERS = new Set([
  'packer.docker',
  'packer.post-processor.docker-import',
  'packer.post-processor.docker-tag',
  'packer.post-processor.docker-push',
]);

/**
 * The container images the docker builder and its post-processors made: `sha256:…` image ids
 * (a committed container) and `repository:tag` references (import, tag, push), each once. An
 * exported container (`export_path`) is a file, listed in the artifact's files instead.
 */
export function imagesOf(artifacts: readonly Artifact[]): string[] {
  const images: string[] = [];
  for (const a of artifacts) {
    if (!IMAGE_BUILDERS.has(a.builderId) || a.id === '') continue;
    if (a.builderId === 'packer.docker' && a.files.length > 0) continue;
    for (const id of a.id.split(',').map((s) => s.trim())) if (id && !images.includes(id)) images.push(id);
  }
  return images;
}

/** The `artifacts` output: `{build, builder-id, id, files}` for each distinct artifact. */
export function artifactsOutput(artifacts: readonly Artifact[]) {
  return artifacts.map((a) => ({ build: a.build, 'builder-id': a.builderId, id: a.id, files: a.files }));
}

/** One build as the manifest post-processor writes it. */
export interface ManifestBuild {
  name: string;
  builder_type: string;
  build_time: number;
  files: Array<{ name: string; size: number }> | null;
  artifact_id: string;
  packer_run_uuid: string;
  custom_data: Record<string, string> | null;
}

export interface Manifest {
  builds: ManifestBuild[];
  last_run_uuid: string;
}

/** Reads a manifest file's text; undefined when it is not one. */
export function parseManifest(text: string): Manifest | undefined {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (typeof value !== 'object' || value === null) return undefined;
  const m = value as Partial<Manifest>;
  if (!Array.isArray(m.builds) || typeof m.last_run_uuid !== 'string') return undefined;
  return { builds: m.builds, last_run_uuid: m.last_run_uuid };
}

/** The builds of the manifest's last run only (the post-processor appends to the file). */
export function lastRun(manifest: Manifest): Manifest {
  return {
    builds: manifest.builds.filter((b) => b.packer_run_uuid === manifest.last_run_uuid),
    last_run_uuid: manifest.last_run_uuid,
  };
}

/**
 * A manifest made from the artifacts Packer printed, for a template without a manifest
 * post-processor: the builder's artifact of each build, in the post-processor's format, with file
 * sizes read from disk where the file exists (`size` of a missing file is 0).
 */
export function manifestFromArtifacts(
  artifacts: readonly Artifact[],
  runUuid: string,
  sizeOf: (file: string) => number,
  /** Build name → builder type, from the template (a JSON template's builders may be renamed). */
  builderTypes: ReadonlyMap<string, string> = new Map(),
  /** A JSON template names builds by the builder's name, dots and all; HCL2 `[build.]type.name`. */
  kind: 'hcl2' | 'json' = 'hcl2',
): Manifest {
  const builds: ManifestBuild[] = [];
  const done = new Set<string>();
  for (const a of artifacts) {
    if (done.has(a.build)) continue; // the builder's artifact comes first; later ones are post-processors'
    done.add(a.build);
    // The manifest calls an HCL2 build `type.name` or `build.type.name` by its `name`.
    const parts = kind === 'json' ? [a.build] : a.build.split('.');
    builds.push({
      name: parts[parts.length - 1]!,
      builder_type: builderTypes.get(a.build) ?? (parts.length > 1 ? parts[parts.length - 2]! : a.build),
      build_time: a.time,
      files: a.files.length > 0 ? a.files.map((name) => ({ name, size: sizeOf(name) })) : null,
      artifact_id: a.id,
      packer_run_uuid: runUuid,
      custom_data: null,
    });
  }
  return { builds, last_run_uuid: runUuid };
}
