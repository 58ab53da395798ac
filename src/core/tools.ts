/**
 * External tools (cfn-guard, packer, opa, …): finding one on PATH, asking its version, and the
 * description of a release the installer (`tool-install.ts`) can fetch. Nothing here touches the
 * runner, so the CLI can use it without bundling `@actions/tool-cache`.
 */
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { execFile } from './exec.js';
import type { Reporter } from './reporter.js';

/** One downloadable release of a tool, with the SHA-256 its archive must have. */
export interface ToolRelease {
  /** The tool's name in the tool cache, and the executable's name (without `.exe`). */
  tool: string;
  /** `x.y.z`, as the tool cache keys it. */
  version: string;
  /** The tool cache's architecture key (`x64`, `arm64`). */
  arch: string;
  /** An archive that holds the executable somewhere inside. */
  url: string;
  /** `tar.gz` (the default) or `zip`. */
  archive?: 'tar.gz' | 'zip';
  /** Lower-case hex SHA-256 of the archive. */
  sha256: string;
  /** Where the SHA-256 comes from (a `SHA256SUMS` URL); absent when imagepipe pins it. */
  sha256From?: string;
}

function executableNames(name: string): string[] {
  return process.platform === 'win32' ? [`${name}.exe`, name] : [name];
}

/** The first executable file called `name` on the PATH of `env`, as an absolute path. */
export function findOnPath(name: string, env: NodeJS.ProcessEnv = process.env): string | undefined {
  const dirs = (env.PATH ?? env.Path ?? '').split(path.delimiter).filter(Boolean);
  for (const dir of dirs) {
    for (const file of executableNames(name)) {
      const candidate = path.resolve(dir, file);
      try {
        if (!fs.statSync(candidate).isFile()) continue;
        fs.accessSync(candidate, fs.constants.X_OK);
        return candidate;
      } catch {
        // not here, or not executable: keep looking
      }
    }
  }
  return undefined;
}

/** The first `x.y.z` in a tool's `--version` output. */
export function parseVersion(output: string): string | undefined {
  return /\b(\d+\.\d+\.\d+)\b/.exec(output)?.[1];
}

/** Runs `<binary> --version` and returns the version it prints, or undefined when it cannot say. */
export async function toolVersion(binary: string, reporter?: Reporter): Promise<string | undefined> {
  try {
    const result = await execFile(binary, ['--version'], { silent: true, okExitCodes: 'any', reporter });
    return result.exitCode === 0 ? parseVersion(result.stdout || result.stderr) : undefined;
  } catch {
    return undefined;
  }
}

export function sha256File(file: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const hash = createHash('sha256');
    fs.createReadStream(file)
      .on('error', reject)
      .on('data', (chunk) => hash.update(chunk))
      .on('end', () => resolve(hash.digest('hex')));
  });
}
