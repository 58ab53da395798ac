/**
 * Which packer to run. `packer-version` is an exact version (`1.11.2`), a semver range (`~1.10`,
 * `>=1.9 <2`) or `latest`; empty takes any packer on PATH. A packer on PATH is used when its
 * version satisfies the request; otherwise, when the front end can download (the action can; the
 * CLI only looks at PATH), the release archive is fetched from HashiCorp's releases site (or a
 * mirror of it), its SHA-256 checked against the release's `SHA256SUMS`, and it is cached per
 * version by the tool cache.
 */
import semver from 'semver';
import { InputError, UserError } from '../core/errors.js';
import type { Reporter } from '../core/reporter.js';
import { findOnPath, toolVersion, type ToolRelease } from '../core/tools.js';

export const PACKER = 'packer';
export const RELEASES_URL = 'https://releases.hashicorp.com';

export type VersionRequest =
  | { kind: 'any' }
  | { kind: 'latest' }
  | { kind: 'exact'; version: string }
  | { kind: 'range'; range: string };

/** `packer-version`: empty, `latest`, an exact version (a leading `v` is allowed) or a semver range. */
export function parseVersionRequest(name: string, raw: string): VersionRequest {
  const value = raw.trim();
  if (value === '') return { kind: 'any' };
  if (value === 'latest') return { kind: 'latest' };
  const exact = semver.valid(value);
  if (exact) return { kind: 'exact', version: exact };
  const range = semver.validRange(value);
  if (range) return { kind: 'range', range: value };
  throw new InputError(
    name,
    raw,
    'give an exact version such as 1.11.2, a semver range such as ~1.10 or >=1.9 <2, or latest',
  );
}

export function describeRequest(request: VersionRequest): string {
  switch (request.kind) {
    case 'any':
      return 'any version';
    case 'latest':
      return 'the latest release';
    case 'exact':
      return request.version;
    case 'range':
      return `a version in ${request.range}`;
  }
}

/** True when `version` is what the request asks for (`latest` needs the newest release known). */
export function satisfies(version: string, request: VersionRequest, latest?: string): boolean {
  switch (request.kind) {
    case 'any':
      return true;
    case 'latest':
      return latest !== undefined && semver.eq(version, latest);
    case 'exact':
      return semver.eq(version, request.version);
    case 'range':
      return semver.satisfies(version, request.range);
  }
}

const OS: Partial<Record<NodeJS.Platform, string>> = {
  linux: 'linux',
  darwin: 'darwin',
  win32: 'windows',
  freebsd: 'freebsd',
  openbsd: 'openbsd',
  sunos: 'solaris',
};
const ARCH: Record<string, string> = {
  x64: 'amd64',
  arm64: 'arm64',
  ia32: '386',
  arm: 'arm',
  ppc64: 'ppc64le',
};

/** `linux_amd64`, as HashiCorp names its archives; a UserError for a platform it does not build for. */
export function releasePlatform(
  platform: NodeJS.Platform = process.platform,
  arch: string = process.arch,
): string {
  const os = OS[platform];
  const cpu = ARCH[arch];
  if (!os || !cpu) {
    throw new UserError(
      `HashiCorp publishes no packer for ${platform}/${arch}, so none can be installed. Put packer on PATH before this step.`,
    );
  }
  return `${os}_${cpu}`;
}

/** `SHA256SUMS`: `<hex>  <file>` lines, into file → hex. */
export function parseShasums(text: string): Map<string, string> {
  const sums = new Map<string, string>();
  for (const line of text.split('\n')) {
    const m = /^([0-9a-f]{64})\s+\*?(\S+)\s*$/i.exec(line.trim());
    if (m) sums.set(m[2]!, m[1]!.toLowerCase());
  }
  return sums;
}

/** The newest stable version in the releases index that satisfies the request. */
export function pickVersion(versions: readonly string[], request: VersionRequest): string | undefined {
  const stable = versions.filter((v) => semver.valid(v) && semver.prerelease(v) === null);
  if (request.kind === 'exact') return stable.find((v) => semver.eq(v, request.version));
  if (request.kind === 'range') return semver.maxSatisfying(stable, request.range) ?? undefined;
  return stable.sort(semver.rcompare)[0];
}

/** The versions listed by `<base>/packer/index.json` (`{"versions": {"1.11.2": {…}, …}}`). */
export function parseIndex(text: string, url: string): string[] {
  let index: unknown;
  try {
    index = JSON.parse(text);
  } catch {
    throw new UserError(`The releases index ${url} is not JSON. Check releases-url, or put packer on PATH.`);
  }
  const versions = (index as { versions?: unknown })?.versions;
  if (typeof versions !== 'object' || versions === null) {
    throw new UserError(
      `The releases index ${url} lists no versions. Check releases-url, or put packer on PATH.`,
    );
  }
  return Object.keys(versions);
}

export interface Downloader {
  /** Fetches a small text file (the index, SHA256SUMS); `notFound` words a 404. */
  fetchText(url: string, options: { tool: string; notFound?: () => string }): Promise<string>;
  /** Downloads, verifies, extracts and caches a release; returns the executable. */
  install(release: ToolRelease, reporter: Reporter): Promise<string>;
  /** A version already in the tool cache, put on PATH; undefined when it is not there. */
  cached(tool: string, version: string, arch: string, reporter: Reporter): Promise<string | undefined>;
}

export interface SetupOptions {
  request: VersionRequest;
  reporter: Reporter;
  env?: NodeJS.ProcessEnv;
  /** Without one, only PATH is looked at (the CLI). */
  downloader?: Downloader;
  releasesUrl?: string;
  platform?: NodeJS.Platform;
  arch?: string;
}

export interface PackerBinary {
  binary: string;
  version: string;
  source: 'path' | 'installed';
}

function base(options: SetupOptions): string {
  return (options.releasesUrl ?? RELEASES_URL).replace(/\/+$/, '');
}

async function releaseFor(
  version: string,
  options: SetupOptions,
  downloader: Downloader,
): Promise<ToolRelease> {
  const platform = releasePlatform(options.platform, options.arch);
  const dir = `${base(options)}/${PACKER}/${version}`;
  const file = `${PACKER}_${version}_${platform}.zip`;
  const sumsUrl = `${dir}/${PACKER}_${version}_SHA256SUMS`;
  const sums = parseShasums(
    await downloader.fetchText(sumsUrl, {
      tool: PACKER,
      notFound: () =>
        `packer ${version} is not published at ${base(options)}: ${sumsUrl} does not exist (HTTP 404). Check packer-version against ${base(options)}/${PACKER}/, or releases-url.`,
    }),
  );
  const sha256 = sums.get(file);
  if (!sha256) {
    throw new UserError(
      `packer ${version} has no ${file} in ${sumsUrl}, so it cannot be verified and will not be installed. Choose another packer-version, or put packer on PATH.`,
    );
  }
  return {
    tool: PACKER,
    version,
    arch: options.arch ?? process.arch,
    url: `${dir}/${file}`,
    sha256,
    sha256From: sumsUrl,
    archive: 'zip',
  };
}

/** The packer to run: one on PATH that satisfies the request, else the release installed. */
export async function setupPacker(options: SetupOptions): Promise<PackerBinary> {
  const { request, reporter, downloader } = options;
  const wanted = describeRequest(request);
  const onPath = findOnPath(PACKER, options.env);
  const found = onPath ? await toolVersion(onPath, reporter) : undefined;

  let latest: string | undefined;
  let versions: string[] | undefined;
  const listVersions = async (d: Downloader) => {
    const url = `${base(options)}/${PACKER}/index.json`;
    versions ??= parseIndex(
      await d.fetchText(url, {
        tool: PACKER,
        notFound: () =>
          `${url} does not exist (HTTP 404), so packer-version ${wanted} cannot be resolved. Check releases-url, or give an exact version.`,
      }),
      url,
    );
    return versions;
  };
  if (request.kind === 'latest' && downloader) latest = pickVersion(await listVersions(downloader), request);

  if (onPath && found && satisfies(found, request, latest)) {
    reporter.info(`Using packer ${found} from PATH (${onPath})`);
    return { binary: onPath, version: found, source: 'path' };
  }
  const why = onPath
    ? `packer on PATH (${onPath}) is ${found ? `version ${found}` : 'not runnable'}, and ${wanted} is asked for`
    : 'packer is not on PATH';
  if (!downloader) {
    const which = request.kind === 'exact' ? `packer ${request.version}` : 'packer';
    throw new UserError(
      `${why}. Install ${which} (https://developer.hashicorp.com/packer/install) and put it on PATH, or change packer-version.`,
    );
  }
  if (request.kind === 'exact') {
    // An exact version the tool cache already holds needs no network (a self-hosted runner's cache).
    const arch = options.arch ?? process.arch;
    const binary = await downloader.cached(PACKER, request.version, arch, reporter);
    if (binary) return { binary, version: request.version, source: 'installed' };
  }
  reporter.info(`${why}: installing it.`);
  const version =
    request.kind === 'exact'
      ? request.version
      : (latest ?? pickVersion(await listVersions(downloader), request));
  if (!version) {
    throw new UserError(
      `No packer release satisfies packer-version ${request.kind === 'range' ? request.range : wanted} (from ${base(options)}/${PACKER}/index.json). Choose another version.`,
    );
  }
  const release = await releaseFor(version, options, downloader);
  const binary = await downloader.install(release, reporter);
  return { binary, version, source: 'installed' };
}
