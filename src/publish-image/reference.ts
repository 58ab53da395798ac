/**
 * Image references as Docker and the distribution project write them:
 * `[registry[:port]/]path[:tag][@digest]`. The grammar is distribution's `reference` package
 * (small enough to follow exactly here; no maintained npm library implements it with Docker Hub's
 * normalisation). The first path component is a registry when it holds a `.` or a `:`, or is
 * `localhost`; otherwise the image is on Docker Hub, and a one-component path gets `library/`.
 */
import { InputError } from '../core/errors.js';

export const DOCKER_HUB = 'docker.io';
/** Where Docker Hub's registry API answers. */
export const DOCKER_HUB_API = 'registry-1.docker.io';

const COMPONENT = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$/;
const DOMAIN =
  /^(?:[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?(?:\.[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?)*|\[[0-9a-fA-F:]+\])(?::\d{1,5})?$/;
/** A tag: what may follow the last `:` of a reference (and of an `oci:DIR:TAG` source). */
export const TAG = /^[\w][\w.-]{0,127}$/;
const DIGEST = /^sha256:[a-f0-9]{64}$/;

export interface ImageReference {
  /** The registry as written (`docker.io` for Docker Hub): the key for credentials. */
  registry: string;
  /** The repository path: `library/alpine`, `team/app`. */
  repository: string;
  tag?: string;
  digest?: string;
}

/** Where the registry's HTTP API is: Docker Hub's API host differs from its name. */
export function apiHost(ref: Pick<ImageReference, 'registry'>): string {
  return ref.registry === DOCKER_HUB ? DOCKER_HUB_API : ref.registry;
}

/** `registry/repository:tag`, the canonical form, with `@digest` when there is one. */
export function formatReference(ref: ImageReference): string {
  return `${ref.registry}/${ref.repository}${ref.tag ? `:${ref.tag}` : ''}${ref.digest ? `@${ref.digest}` : ''}`;
}

const EXAMPLES =
  'such as 123456789012.dkr.ecr.us-east-1.amazonaws.com/team/app:1.2.3, ghcr.io/org/app:v1 or org/app:latest';

/**
 * Parses one reference. Without a tag or digest the tag is `latest`, as `docker push` and
 * `skopeo copy` assume.
 */
export function parseReference(name: string, raw: string): ImageReference {
  const fail = (why: string): never => {
    throw new InputError(name, raw, `${why}; give an image reference ${EXAMPLES}`);
  };
  if (raw === '' || /\s/.test(raw)) fail('an image reference has no spaces and is not empty');
  let rest = raw;
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(rest)) fail('leave out the URL scheme');
  let digest: string | undefined;
  const at = rest.indexOf('@');
  if (at >= 0) {
    digest = rest.slice(at + 1);
    rest = rest.slice(0, at);
    if (!DIGEST.test(digest))
      fail(`${JSON.stringify(digest)} is not a sha256 digest (sha256: and 64 hex digits)`);
  }
  let tag: string | undefined;
  const colon = rest.lastIndexOf(':');
  if (colon > rest.lastIndexOf('/')) {
    tag = rest.slice(colon + 1);
    rest = rest.slice(0, colon);
    if (!TAG.test(tag))
      fail(`${JSON.stringify(tag)} is not a valid tag (letters, digits, _ . -; at most 128)`);
  }
  if (rest.slice(rest.lastIndexOf('/') + 1).includes(':')) {
    fail('a reference has one :tag at most, after the last /');
  }
  const parts = rest.split('/');
  let registry = DOCKER_HUB;
  const first = parts[0] ?? '';
  if (parts.length > 1 && (/[.:]/.test(first) || first === 'localhost')) {
    registry = parts.shift() as string;
    if (!DOMAIN.test(registry)) fail(`${JSON.stringify(registry)} is not a registry host[:port]`);
    registry = registry.toLowerCase();
    if (registry === 'index.docker.io') registry = DOCKER_HUB;
  }
  for (const part of parts) {
    if (!COMPONENT.test(part)) {
      fail(
        part === ''
          ? 'the repository path is empty'
          : `${JSON.stringify(part)} is not a valid repository name component (lower-case letters, digits, and . _ __ - between them)`,
      );
    }
  }
  if (registry === DOCKER_HUB && parts.length === 1) parts.unshift('library');
  const repository = parts.join('/');
  if (registry.length + 1 + repository.length > 255) fail('the name is longer than 255 characters');
  return { registry, repository, tag: tag ?? (digest ? undefined : 'latest'), digest };
}

/** The canonical form of a reference (`alpine` → `docker.io/library/alpine:latest`), or undefined. */
export function canonicalReference(raw: string): string | undefined {
  try {
    return formatReference(parseReference('reference', raw));
  } catch {
    return undefined;
  }
}
