/**
 * cfn-guard (AWS CloudFormation Guard): which one to run. A cfn-guard on PATH is used when its
 * version fits (3.x, or exactly the version asked for); otherwise the front end's installer
 * fetches the release archive from GitHub, but only a version and platform whose SHA-256 is
 * pinned below: anything else is refused with the fix (put cfn-guard on PATH). The CLI passes no
 * installer, so it only ever uses PATH.
 */
import { InputError, UserError } from './errors.js';
import type { Reporter } from './reporter.js';
import { findOnPath, toolVersion, type ToolRelease } from './tools.js';

export const CFN_GUARD = 'cfn-guard';

/** Installed when no cfn-guard on PATH fits and no version is asked for. */
export const CFN_GUARD_DEFAULT_VERSION = '3.2.0';

export const CFN_GUARD_RELEASES_URL = 'https://github.com/aws-cloudformation/cloudformation-guard/releases';

/** `<arch>-<os>` as the release assets spell it: `cfn-guard-v3-x86_64-ubuntu-latest.tar.gz`. */
export type CfnGuardPlatform = 'x86_64-ubuntu' | 'aarch64-ubuntu' | 'x86_64-macos' | 'aarch64-macos';

export type ChecksumTable = Readonly<Record<string, Partial<Record<CfnGuardPlatform, string>>>>;

/**
 * SHA-256 of the release archives. They could not be computed here (GitHub is out of reach from
 * where this was written), so each is copied from a pin published elsewhere, as noted; a wrong
 * value fails safe: the download is refused.
 * - 3.2.0 x86_64-ubuntu: a devcontainer feature install script that took both 3.2.0 values from
 *   the release page, and, the same value, an unrelated project's CI documentation.
 * - 3.2.0 aarch64-ubuntu: the same devcontainer script.
 * - 3.2.1: a pinned Python installer (`install_cfn_guard.py`), its three platforms.
 */
export const CFN_GUARD_SHA256: ChecksumTable = {
  '3.2.0': {
    'x86_64-ubuntu': '9f8c4d9f15f7dd54a37ea70a5237ba00aba682fb1e6521a744d12259961dfc13',
    'aarch64-ubuntu': 'd562e14831794a4859782f5609186970373e8e0a049fbded2c01612d2dcdb087',
  },
  '3.2.1': {
    'x86_64-ubuntu': '09c2b8cfd81d513374a8da89d4805dc55006a3da52bbf598e272022d4d198e94',
    'aarch64-macos': '4c1eb10c061731159eaaf0e7dbd465db9fa4b767b82186a4ab489671cc00b7d0',
    'x86_64-macos': '5089dfaa05a766cf118a020518e62f77eddbd43acf3a0b69d36b23175c6c6fda',
  },
};

/** The platform key of a Node platform and architecture, when cfn-guard publishes one. */
export function cfnGuardPlatform(
  platform: NodeJS.Platform = process.platform,
  arch: string = process.arch,
): CfnGuardPlatform | undefined {
  const a = arch === 'x64' ? 'x86_64' : arch === 'arm64' ? 'aarch64' : undefined;
  const os = platform === 'linux' ? 'ubuntu' : platform === 'darwin' ? 'macos' : undefined;
  return a && os ? (`${a}-${os}` as CfnGuardPlatform) : undefined;
}

/** `cfn-guard-version`: an exact 3.x.y (structured JSON output, which this reads, came with 3.0). */
export function parseCfnGuardVersion(name: string, raw: string): string {
  if (!/^3\.\d+\.\d+$/.test(raw)) {
    throw new InputError(name, raw, 'give an exact cfn-guard 3 version such as 3.2.0');
  }
  return raw;
}

function fits(found: string, wanted: string | undefined): boolean {
  return wanted === undefined ? /^3\./.test(found) : found === wanted;
}

function onPathFix(version: string): string {
  return `Put cfn-guard ${version} on PATH before this step (see ${CFN_GUARD_RELEASES_URL}), or set cfn-guard-version to one with a pinned checksum: ${Object.keys(CFN_GUARD_SHA256).join(', ')}`;
}

export interface ReleaseOptions {
  version: string;
  platform?: NodeJS.Platform;
  arch?: string;
  /** Checksums to trust; the pinned table by default (tests pass their own). */
  checksums?: ChecksumTable;
  /** Where release archives live: `<base>/download/<version>/<asset>`. */
  baseUrl?: string;
}

/** The release to download, or a UserError when none may be: unknown platform, no pinned checksum. */
export function cfnGuardRelease(options: ReleaseOptions): ToolRelease {
  const { version } = options;
  const arch = options.arch ?? process.arch;
  const platform = cfnGuardPlatform(options.platform ?? process.platform, arch);
  if (!platform) {
    throw new UserError(
      `cfn-guard publishes no release for ${options.platform ?? process.platform}/${arch}. Put cfn-guard on PATH before this step (see ${CFN_GUARD_RELEASES_URL}).`,
    );
  }
  const sha256 = (options.checksums ?? CFN_GUARD_SHA256)[version]?.[platform];
  if (!sha256) {
    throw new UserError(
      `cfn-guard ${version} for ${platform} has no pinned SHA-256, so it will not be downloaded. ${onPathFix(version)}.`,
    );
  }
  const base = options.baseUrl ?? CFN_GUARD_RELEASES_URL;
  return {
    tool: CFN_GUARD,
    version,
    arch,
    url: `${base}/download/${version}/cfn-guard-v3-${platform}-latest.tar.gz`,
    sha256,
  };
}

export interface SetupOptions extends Partial<ReleaseOptions> {
  reporter: Reporter;
  env?: NodeJS.ProcessEnv;
  /** Fetches a release (the action passes `installTool`); without one, only PATH is looked at. */
  install?: (release: ToolRelease, reporter: Reporter) => Promise<string>;
}

/** The cfn-guard to run: a fitting one on PATH, else the pinned release installed. */
export async function setupCfnGuard(options: SetupOptions): Promise<string> {
  const { reporter, version } = options;
  const onPath = findOnPath(CFN_GUARD, options.env);
  if (onPath) {
    const found = await toolVersion(onPath, reporter);
    if (found && fits(found, version)) {
      reporter.info(`Using cfn-guard ${found} from PATH (${onPath})`);
      return onPath;
    }
    reporter.info(
      `cfn-guard on PATH (${onPath}) is ${found ? `version ${found}` : 'not runnable'}; ${version ? `${version} is asked for` : 'a 3.x is needed'}.`,
    );
  }
  const wanted = version ?? CFN_GUARD_DEFAULT_VERSION;
  if (!options.install) {
    throw new UserError(
      `cfn-guard ${version ?? '3.x'} is needed for the Guard rules, but ${onPath ? 'the one on PATH does not fit' : 'it is not on PATH'}. Install it (see ${CFN_GUARD_RELEASES_URL}) and put it on PATH, or leave out the Guard rules.`,
    );
  }
  return options.install(cfnGuardRelease({ ...options, version: wanted }), reporter);
}
