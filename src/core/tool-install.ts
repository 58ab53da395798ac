/**
 * Installs a tool release the way setup actions do: find it in the tool cache, else download the
 * archive, verify its SHA-256 against the pinned value (refusing anything else), extract, cache;
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
    throw new UserError(
      `Refusing ${label}: the archive from ${release.url} has SHA-256 ${actual}, but ${release.sha256} is pinned for it. Nothing was installed. Put a trusted ${release.tool} on PATH before this step.`,
    );
  }
  reporter.debug(`${label}: SHA-256 ${actual} verified`);
  let extracted: string;
  try {
    extracted = await tc.extractTar(archive);
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

/** Installs (or reuses from the tool cache) a release, adds it to PATH, returns the executable. */
export async function installTool(release: ToolRelease, reporter: Reporter): Promise<string> {
  const label = `${release.tool} ${release.version}`;
  const cached = tc.find(release.tool, release.version, release.arch);
  const dir = cached && fs.existsSync(path.join(cached, executableName(release.tool))) ? cached : undefined;
  if (dir) reporter.info(`Using ${label} from the tool cache`);
  const home = dir ?? (await download(release, reporter));
  const binary = path.join(home, executableName(release.tool));
  core.addPath(home);
  const version = await toolVersion(binary, reporter);
  if (version !== release.version) {
    throw new UserError(
      `${label} was installed to ${home}, but \`${release.tool} --version\` ${version ? `says ${version}` : 'does not run'}. Put a working ${release.tool} on PATH before this step.`,
    );
  }
  reporter.info(`${label} is ready (${binary})`);
  return binary;
}
