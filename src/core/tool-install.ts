/**
 * Installs a tool release the way setup actions do: find it in the tool cache, else download the
 * archive, verify its SHA-256 against the expected value (pinned in imagepipe, or from the
 * release's SHA256SUMS; anything else is refused), extract (tar.gz, or zip with `unzip`), cache;
 * then add it to PATH and run its `--version` to prove it starts.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as core from '@actions/core';
import * as tc from '@actions/tool-cache';
import { errorMessage, UserError } from './errors.js';
import type { Reporter } from './reporter.js';
import { sha256File, toolVersion, type ToolRelease } from './tools.js';

function executableName(tool: string): string {
  return process.platform === 'win32' ? `${tool}.exe` : tool;
}

/** The executable inside an extracted archive (at its top or a few folders down). */
function findExecutable(dir: string, name: string, depth = 3): string | undefined {
  let entries: fs.Dirent[];
  try {
    entries = fs.readdirSync(dir, { withFileTypes: true });
  } catch {
    return undefined;
  }
  for (const e of entries) if (e.isFile() && e.name === name) return path.join(dir, e.name);
  if (depth === 0) return undefined;
  for (const e of entries) {
    if (!e.isDirectory()) continue;
    const found = findExecutable(path.join(dir, e.name), name, depth - 1);
    if (found) return found;
  }
  return undefined;
}

async function download(release: ToolRelease, reporter: Reporter): Promise<string> {
  const label = `${release.tool} ${release.version}`;
  reporter.info(`Downloading ${label} from ${release.url}`);
  let archive: string;
  try {
    archive = await tc.downloadTool(release.url);
  } catch (error) {
    throw new UserError(
      `Could not download ${label} from ${release.url}: ${errorMessage(error)}. Put ${release.tool} on PATH before this step, or check the runner's network access.`,
    );
  }
  const actual = await sha256File(archive);
  if (actual !== release.sha256.toLowerCase()) {
    fs.rmSync(archive, { force: true });
    const expected = release.sha256From
      ? `${release.sha256From} gives ${release.sha256}`
      : `${release.sha256} is pinned for it`;
    throw new UserError(
      `Refusing ${label}: the archive from ${release.url} has SHA-256 ${actual}, but ${expected}. Nothing was installed. Put a trusted ${release.tool} on PATH before this step.`,
    );
  }
  reporter.debug(`${label}: SHA-256 ${actual} verified`);
  let extracted: string;
  try {
    extracted = release.archive === 'zip' ? await tc.extractZip(archive) : await tc.extractTar(archive);
  } catch (error) {
    throw new UserError(`Could not extract ${label} (${release.url}): ${errorMessage(error)}`);
  } finally {
    fs.rmSync(archive, { force: true });
  }
  try {
    const binary = findExecutable(extracted, executableName(release.tool));
    if (!binary) throw new UserError(`The ${label} archive from ${release.url} holds no ${release.tool}.`);
    fs.chmodSync(binary, 0o755);
    return await tc.cacheDir(path.dirname(binary), release.tool, release.version, release.arch);
  } finally {
    fs.rmSync(extracted, { recursive: true, force: true });
  }
}

/** The tool cache and its downloads live in the runner's folders; elsewhere nothing can be installed. */
function needRunner(tool: string): void {
  const missing = ['RUNNER_TOOL_CACHE', 'RUNNER_TEMP'].filter((v) => !process.env[v]);
  if (missing.length > 0) {
    throw new UserError(
      `Cannot install ${tool}: ${missing.join(' and ')} ${missing.length > 1 ? 'are' : 'is'} not set, so this is not a GitHub runner with a tool cache. Put ${tool} on PATH before this step.`,
    );
  }
}

export interface FetchOptions {
  /** The tool the file is fetched for, named in errors. */
  tool: string;
  /** The message for a 404: the file is missing, not the network. */
  notFound?: () => string;
}

function cacheHome(tool: string, version: string, arch: string): string | undefined {
  needRunner(tool);
  const cached = tc.find(tool, version, arch);
  return cached && fs.existsSync(path.join(cached, executableName(tool))) ? cached : undefined;
}

/** Puts an installed copy on PATH and proves it runs as the version it was installed as. */
async function ready(tool: string, version: string, home: string, reporter: Reporter): Promise<string> {
  const label = `${tool} ${version}`;
  const binary = path.join(home, executableName(tool));
  core.addPath(home);
  const says = await toolVersion(binary, reporter);
  if (says !== version) {
    throw new UserError(
      `${label} was installed to ${home}, but \`${tool} --version\` ${says ? `says ${says}` : 'does not run'}. Put a working ${tool} on PATH before this step.`,
    );
  }
  reporter.info(`${label} is ready (${binary})`);
  return binary;
}

/**
 * A version already in the tool cache, put on PATH, without touching the network; undefined when
 * the cache does not hold it.
 */
export async function cachedTool(
  tool: string,
  version: string,
  arch: string,
  reporter: Reporter,
): Promise<string | undefined> {
  const home = cacheHome(tool, version, arch);
  if (!home) return undefined;
  reporter.info(`Using ${tool} ${version} from the tool cache`);
  return ready(tool, version, home, reporter);
}

/** Installs (or reuses from the tool cache) a release, adds it to PATH, returns the executable. */
export async function installTool(release: ToolRelease, reporter: Reporter): Promise<string> {
  const cached = await cachedTool(release.tool, release.version, release.arch, reporter);
  if (cached) return cached;
  const home = await download(release, reporter);
  return ready(release.tool, release.version, home, reporter);
}

/** Fetches a small text file (a releases index, a SHA256SUMS) through the tool cache's client. */
export async function fetchText(url: string, options: FetchOptions): Promise<string> {
  needRunner(options.tool);
  let file: string;
  try {
    file = await tc.downloadTool(url);
  } catch (error) {
    if (options.notFound && error instanceof tc.HTTPError && error.httpStatusCode === 404) {
      throw new UserError(options.notFound());
    }
    throw new UserError(
      `Could not download ${url}: ${errorMessage(error)}. Check the runner's network access (and the releases URL), or put the tool on PATH before this step.`,
    );
  }
  try {
    return fs.readFileSync(file, 'utf8');
  } finally {
    fs.rmSync(file, { force: true });
  }
}
