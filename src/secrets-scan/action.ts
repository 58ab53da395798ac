/**
 * The secrets-scan action: typed inputs, one scan, then outputs, SARIF, summary and annotations,
 * and only then the gate.
 */
import * as core from '@actions/core';
import { actionReporter } from '../core/action-reporter.js';
import {
  getBooleanInput,
  getIntegerInput,
  getListInput,
  getStringInput,
  resolveInWorkspace,
  workspaceDir,
  checkExists,
} from '../core/inputs.js';
import { setOutput } from '../core/outputs.js';
import type { ActionResult } from '../core/run.js';
import { writeJsonFile } from '../core/sarif.js';
import { writeSummary } from '../core/summary.js';
import { annotations, summaryOf, toSarif } from './report.js';
import { scanTree } from './scan.js';
import type { Finding } from './types.js';

export interface Inputs {
  workspace: string;
  /** Absolute path of the folder or file to scan. */
  path: string;
  sarifFile: { absolute: string; relative: string };
  failOnFindings: boolean;
  exclude: string[];
  maxFileSizeMb: number;
}

export function getInputs(env = process.env): Inputs {
  const workspace = workspaceDir(env);
  const rawPath = getStringInput('path', { default: '.', env });
  const scanPath = resolveInWorkspace('path', rawPath, workspace);
  checkExists('path', rawPath, scanPath.absolute, 'any');
  return {
    workspace,
    path: scanPath.absolute,
    sarifFile: resolveInWorkspace(
      'sarif-file',
      getStringInput('sarif-file', { default: 'secrets-scan.sarif', env }),
      workspace,
    ),
    failOnFindings: getBooleanInput('fail-on-findings', { default: true, env }),
    exclude: getListInput('exclude', { env }),
    maxFileSizeMb: getIntegerInput('max-file-size-mb', { default: 10, min: 1, max: 1024, env }),
  };
}

/**
 * Registers each found secret with the runner's log masking, so a later step that prints it
 * (a `cat .env`, a failing test) shows `***`. Multi-line secrets are masked line by line.
 */
function maskSecrets(findings: Finding[]): void {
  for (const f of findings) {
    for (const part of f.secret.split(/\r?\n/)) if (part.trim().length >= 8) core.setSecret(part.trim());
  }
}

export async function main(): Promise<ActionResult> {
  const inputs = getInputs();
  const reporter = actionReporter();
  const result = await reporter.group('Scan for secrets', () =>
    scanTree({
      root: inputs.path,
      base: inputs.workspace,
      exclude: inputs.exclude,
      maxFileBytes: inputs.maxFileSizeMb * 1024 * 1024,
      reporter,
    }),
  );
  maskSecrets(result.findings);

  writeJsonFile(inputs.sarifFile.absolute, toSarif(result));
  const count = result.findings.length;
  setOutput('findings', count);
  setOutput('sarif-file', inputs.sarifFile.relative);
  for (const annotation of annotations(result)) reporter.annotate(annotation);
  writeSummary(summaryOf(result, inputs.sarifFile.relative), (m) => reporter.warning(m));
  reporter.info(
    `${count} secret${count === 1 ? '' : 's'} found in ${result.stats.filesScanned} files (${result.stats.durationMs} ms). SARIF: ${inputs.sarifFile.relative}`,
  );

  if (count > 0 && inputs.failOnFindings) {
    return {
      failed: true,
      message: `${count} secret${count === 1 ? '' : 's'} found. Revoke each one, remove it from the code, and see the job summary or ${inputs.sarifFile.relative} for where.`,
    };
  }
  return { failed: false };
}
