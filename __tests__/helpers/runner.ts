/** Runs an action bundle as the GitHub runner does: INPUT_* variables, GITHUB_OUTPUT, GITHUB_STEP_SUMMARY, GITHUB_WORKSPACE. */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { tmpDir, writeTree } from './tmp.js';

/** Parses the runner's GITHUB_OUTPUT file (name<<DELIMITER … DELIMITER). */
export function parseOutputs(text: string): Record<string, string> {
  const outputs: Record<string, string> = {};
  const re = /^([^\n<]+)<<(\S+)\n([\s\S]*?)\n\2$/gm;
  for (let m = re.exec(text); m; m = re.exec(text)) outputs[m[1]!] = m[3]!;
  return outputs;
}

export interface BundleRun {
  workspace: string;
  status: number | null;
  stdout: string;
  stderr: string;
  outputs: Record<string, string>;
  summary: string;
}

interface Prepared {
  workspace: string;
  env: NodeJS.ProcessEnv;
  outputFile: string;
  summaryFile: string;
}

function prepareRun(
  files: Record<string, string>,
  inputs: Record<string, string>,
  prepare: (workspace: string) => void,
  extraEnv: (workspace: string) => NodeJS.ProcessEnv,
): Prepared {
  const workspace = tmpDir('action-ws-');
  writeTree(workspace, files);
  prepare(workspace);
  const runnerDir = tmpDir('runner-');
  const outputFile = path.join(runnerDir, 'output');
  const summaryFile = path.join(runnerDir, 'summary');
  fs.writeFileSync(outputFile, '');
  fs.writeFileSync(summaryFile, '');
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    HOME: runnerDir,
    GITHUB_WORKSPACE: workspace,
    GITHUB_OUTPUT: outputFile,
    GITHUB_STEP_SUMMARY: summaryFile,
    RUNNER_TEMP: runnerDir,
    RUNNER_TOOL_CACHE: path.join(runnerDir, 'tool-cache'),
    ...extraEnv(workspace),
  };
  for (const [name, value] of Object.entries(inputs)) env[`INPUT_${name.toUpperCase()}`] = value;
  return { workspace, env, outputFile, summaryFile };
}

function finish(p: Prepared, status: number | null, stdout: string, stderr: string): BundleRun {
  return {
    workspace: p.workspace,
    status,
    stdout,
    stderr,
    outputs: parseOutputs(fs.readFileSync(p.outputFile, 'utf8')),
    summary: fs.readFileSync(p.summaryFile, 'utf8'),
  };
}

export function runBundle(
  bundle: string,
  files: Record<string, string>,
  inputs: Record<string, string>,
  prepare: (workspace: string) => void = () => {},
  extraEnv: (workspace: string) => NodeJS.ProcessEnv = () => ({}),
): BundleRun {
  const p = prepareRun(files, inputs, prepare, extraEnv);
  const result = spawnSync(process.execPath, [bundle], { cwd: p.workspace, env: p.env, encoding: 'utf8' });
  return finish(p, result.status, result.stdout, result.stderr);
}

export interface StartedBundle {
  workspace: string;
  child: ChildProcess;
  /** Resolves when the bundle exits; `atExit` runs at that moment, before anything else can. */
  done: <T>(atExit: () => T) => Promise<BundleRun & { atExit: T }>;
}

/**
 * Starts a bundle without waiting for it, so a test can signal it as the runner does on cancel, or
 * serve it from this process (a server in the test's own process cannot answer a `runBundle`,
 * which blocks until the bundle exits).
 */
export function startBundle(
  bundle: string,
  files: Record<string, string>,
  inputs: Record<string, string>,
  prepare: (workspace: string) => void = () => {},
  extraEnv: (workspace: string) => NodeJS.ProcessEnv = () => ({}),
): StartedBundle {
  const p = prepareRun(files, inputs, prepare, extraEnv);
  const child = spawn(process.execPath, [bundle], {
    cwd: p.workspace,
    env: p.env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout!.setEncoding('utf8').on('data', (d: string) => (stdout += d));
  child.stderr!.setEncoding('utf8').on('data', (d: string) => (stderr += d));
  return {
    workspace: p.workspace,
    child,
    done: <T>(atExit: () => T) =>
      new Promise<BundleRun & { atExit: T }>((resolve) => {
        let seen: T;
        child.on('exit', () => (seen = atExit()));
        child.on('close', (status) => resolve({ ...finish(p, status, stdout, stderr), atExit: seen! }));
      }),
  };
}
