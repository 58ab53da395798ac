/** Runs an action bundle as the GitHub runner does: INPUT_* variables, GITHUB_OUTPUT, GITHUB_STEP_SUMMARY, GITHUB_WORKSPACE. */
import { spawnSync } from 'node:child_process';
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

export function runBundle(
  bundle: string,
  files: Record<string, string>,
  inputs: Record<string, string>,
  prepare: (workspace: string) => void = () => {},
  extraEnv: (workspace: string) => NodeJS.ProcessEnv = () => ({}),
): BundleRun {
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
    ...extraEnv(workspace),
  };
  for (const [name, value] of Object.entries(inputs)) env[`INPUT_${name.toUpperCase()}`] = value;
  const result = spawnSync(process.execPath, [bundle], { cwd: workspace, env, encoding: 'utf8' });
  return {
    workspace,
    status: result.status,
    stdout: result.stdout,
    stderr: result.stderr,
    outputs: parseOutputs(fs.readFileSync(outputFile, 'utf8')),
    summary: fs.readFileSync(summaryFile, 'utf8'),
  };
}
