/**
 * The packer-build action: typed inputs (all checked before packer runs), packer found or
 * installed, the steps, then outputs and the summary, and only then the step's result.
 */
import * as core from '@actions/core';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { actionReporter } from '../core/action-reporter.js';
import { InputError } from '../core/errors.js';
import {
  checkExists,
  checkWritableFile,
  getBooleanInput,
  getEnumInput,
  getIntegerInput,
  getListInput,
  getPathInput,
  rawInput,
  resolveInWorkspace,
  workspaceDir,
  type WorkspacePath,
} from '../core/inputs.js';
import { setJsonOutput, setOutput } from '../core/outputs.js';
import type { ActionResult } from '../core/run.js';
import { writeSummary } from '../core/summary.js';
import { cachedTool, fetchText, installTool } from '../core/tool-install.js';
import { INIT_MODES, ON_ERROR, runPackerBuild, type InitMode, type OnError } from './build.js';
import { parseVersionRequest, RELEASES_URL, setupPacker, type VersionRequest } from './packer.js';
import { outputsOf, statusLine, summaryOf } from './report.js';
import { templateFiles } from './template.js';
import { parseVariables } from './variables.js';

export const DEFAULT_MANIFEST = 'packer-build-manifest.json';

export interface Inputs {
  workspace: string;
  packerVersion: VersionRequest;
  releasesUrl: string;
  workingDirectory: WorkspacePath;
  template: WorkspacePath;
  variables: Array<[string, string]>;
  /** Absolute paths. */
  varFiles: string[];
  only: string[];
  except: string[];
  onError: OnError;
  parallelBuilds: number;
  timeoutMinutes: number;
  force: boolean;
  init: InitMode;
  fmtCheck: boolean;
  validate: boolean;
  build: boolean;
  githubToken: string;
  manifestFile?: WorkspacePath;
}

const LOOPBACK = /^(localhost|127(\.\d{1,3}){3}|\[::1\])$/i;

/**
 * The releases site: https, since the SHA256SUMS that vouches for the archive comes from the same
 * place (plain http only to this machine, for a local mirror).
 */
export function parseReleasesUrl(name: string, raw: string): string {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new InputError(name, raw, 'give an https URL such as https://releases.hashicorp.com');
  }
  const local = url.protocol === 'http:' && LOOPBACK.test(url.hostname);
  if (url.protocol !== 'https:' && !local) {
    throw new InputError(
      name,
      raw,
      'give an https URL such as https://releases.hashicorp.com (the checksums come from the same site, so plain http is allowed only for a mirror on this machine)',
    );
  }
  return raw.replace(/\/+$/, '');
}

/** A path relative to the working directory that must stay inside the workspace. */
function underWorkingDir(
  name: string,
  raw: string,
  workingDirectory: WorkspacePath,
  workspace: string,
): WorkspacePath {
  const joined = path.join(workingDirectory.relative, raw);
  return resolveInWorkspace(name, path.isAbsolute(raw) ? raw : joined, workspace);
}

function inside(dir: string, file: string): boolean {
  const rel = path.relative(dir, file);
  return rel !== '' && rel !== '..' && !rel.startsWith(`..${path.sep}`) && !path.isAbsolute(rel);
}

/**
 * A var file: inside the workspace, or an absolute path in the runner's temporary folder, where a
 * workflow writes a var file made from secrets so that it is never in the checkout.
 */
function varFile(raw: string, workingDirectory: WorkspacePath, workspace: string, env: NodeJS.ProcessEnv) {
  const temp = env.RUNNER_TEMP;
  if (temp && path.isAbsolute(raw)) {
    if (inside(path.resolve(temp), path.resolve(raw))) {
      const absolute = path.resolve(raw);
      checkExists('var-files', raw, absolute, 'file');
      // A link out of the temporary folder is judged by where it leads.
      if (inside(fs.realpathSync(temp), fs.realpathSync(absolute))) return absolute;
    }
  }
  const p = underWorkingDir('var-files', raw, workingDirectory, workspace);
  checkExists('var-files', raw, p.absolute, 'file');
  return p.absolute;
}

export function getInputs(env = process.env): Inputs {
  const workspace = workspaceDir(env);
  const packerVersion = parseVersionRequest('packer-version', rawInput('packer-version', env));
  const releasesUrl = parseReleasesUrl('releases-url', rawInput('releases-url', env) || RELEASES_URL);
  const workingDirectory = getPathInput('working-directory', {
    default: '.',
    workspace,
    env,
    mustExist: 'directory',
  });
  const templateRaw = rawInput('template', env) || '.';
  const template = underWorkingDir('template', templateRaw, workingDirectory, workspace);
  templateFiles(template.absolute, template.relative);
  const varFiles = getListInput('var-files', { env }).map((raw) =>
    varFile(raw, workingDirectory, workspace, env),
  );
  // Absent (as in a test or another runner), the action.yml default; given empty, no manifest.
  const manifestRaw =
    env['INPUT_MANIFEST-FILE'] === undefined ? DEFAULT_MANIFEST : rawInput('manifest-file', env);
  const manifestFile = manifestRaw
    ? underWorkingDir('manifest-file', manifestRaw, workingDirectory, workspace)
    : undefined;
  if (manifestFile) checkWritableFile('manifest-file', manifestRaw, manifestFile.absolute);
  const githubToken = rawInput('github-token', env);
  if (githubToken) core.setSecret(githubToken);
  return {
    workspace,
    packerVersion,
    releasesUrl,
    workingDirectory,
    template,
    variables: parseVariables('variables', rawInput('variables', env)),
    varFiles,
    only: getListInput('only', { env }),
    except: getListInput('except', { env }),
    onError: getEnumInput('on-error', ON_ERROR, { default: 'cleanup', env }),
    parallelBuilds: getIntegerInput('parallel-builds', { default: 0, min: 0, max: 1000, env }),
    timeoutMinutes: getIntegerInput('timeout-minutes', { default: 0, min: 0, max: 60 * 24 * 3, env }),
    force: getBooleanInput('force', { default: false, env }),
    init: getEnumInput('init', INIT_MODES, { default: 'auto', env }),
    fmtCheck: getBooleanInput('fmt-check', { default: true, env }),
    validate: getBooleanInput('validate', { default: true, env }),
    build: getBooleanInput('build', { default: true, env }),
    githubToken,
    ...(manifestFile ? { manifestFile } : {}),
  };
}

export async function main(): Promise<ActionResult> {
  const inputs = getInputs();
  const reporter = actionReporter();
  const packer = await reporter.group('Set up packer', () =>
    setupPacker({
      request: inputs.packerVersion,
      reporter,
      downloader: { fetchText, install: installTool, cached: cachedTool },
      releasesUrl: inputs.releasesUrl,
    }),
  );
  setOutput('packer-version', packer.version);
  const result = await runPackerBuild({
    packer: packer.binary,
    version: packer.version,
    template: inputs.template.absolute,
    templateShown: inputs.template.relative,
    cwd: inputs.workingDirectory.absolute,
    workspace: inputs.workspace,
    variables: inputs.variables,
    varFiles: inputs.varFiles,
    only: inputs.only,
    except: inputs.except,
    onError: inputs.onError,
    parallelBuilds: inputs.parallelBuilds,
    ...(inputs.timeoutMinutes > 0 ? { timeoutMs: inputs.timeoutMinutes * 60_000 } : {}),
    force: inputs.force,
    init: inputs.init,
    fmtCheck: inputs.fmtCheck,
    validate: inputs.validate,
    build: inputs.build,
    ...(inputs.githubToken ? { githubToken: inputs.githubToken } : {}),
    reporter,
    mask: (value) => core.setSecret(value),
    forwardSignals: true,
    ...(inputs.manifestFile ? { manifestFile: inputs.manifestFile.absolute } : {}),
  });
  const relative = (file: string) => path.relative(inputs.workspace, file).split(path.sep).join('/');
  const outputs = outputsOf(result, relative);
  setJsonOutput('artifacts', outputs.artifacts);
  setJsonOutput('amis', outputs.amis);
  setOutput('ami-id', outputs['ami-id']);
  setJsonOutput('images', outputs.images);
  setOutput('manifest', outputs.manifest);
  writeSummary(summaryOf(result, inputs.template.relative, outputs.manifest || undefined), (m) =>
    reporter.warning(m),
  );
  reporter.info(statusLine(result));
  return result.failure ? { failed: true, message: result.failure } : { failed: false };
}
