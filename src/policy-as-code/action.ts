/**
 * The policy-as-code action: typed inputs, one scan, then outputs, reports, summary and
 * annotations, and only then the gate.
 */
import { actionReporter } from '../core/action-reporter.js';
import { parseCfnGuardVersion, setupCfnGuard } from '../core/cfn-guard.js';
import { errorMessage } from '../core/errors.js';
import {
  checkWritableFile,
  getBooleanInput,
  getEnumInput,
  getListInput,
  getPathInput,
  rawInput,
  resolveInWorkspace,
  checkExists,
  workspaceDir,
  type WorkspacePath,
} from '../core/inputs.js';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { setOutput } from '../core/outputs.js';
import { installTool } from '../core/tool-install.js';
import type { ActionResult } from '../core/run.js';
import { writeJsonFile } from '../core/sarif.js';
import { writeSummary } from '../core/summary.js';
import { plural } from '../core/text.js';
import {
  annotations,
  countLine,
  failing,
  summaryOf,
  toJson,
  toJUnit,
  toSarif,
  unsuppressed,
} from './report.js';
import { runPolicy } from './run-policy.js';
import { SEVERITIES, type Severity } from './types.js';

export interface Inputs {
  workspace: string;
  path: string;
  severityThreshold?: Severity;
  config?: WorkspacePath;
  customRules: WorkspacePath[];
  guardRules: WorkspacePath[];
  cfnGuardVersion?: string;
  allowInlineSuppressions?: boolean;
  exclude: string[];
  sarifFile: WorkspacePath;
  junitFile?: WorkspacePath;
  jsonFile?: WorkspacePath;
}

function optionalOutput(name: string, workspace: string, env: NodeJS.ProcessEnv): WorkspacePath | undefined {
  if (!rawInput(name, env)) return undefined;
  const p = getPathInput(name, { workspace, env });
  checkWritableFile(name, p.relative, p.absolute);
  return p;
}

export function getInputs(env = process.env): Inputs {
  const workspace = workspaceDir(env);
  const sarifFile = getPathInput('sarif-file', { default: 'policy-as-code.sarif', workspace, env });
  checkWritableFile('sarif-file', sarifFile.relative, sarifFile.absolute);
  const customRules = getListInput('custom-rules', { env }).map((raw) => {
    const p = resolveInWorkspace('custom-rules', raw, workspace);
    checkExists('custom-rules', raw, p.absolute, 'file');
    return p;
  });
  const guardRules = getListInput('guard-rules', { env }).map((raw) => {
    const p = resolveInWorkspace('guard-rules', raw, workspace);
    checkExists('guard-rules', raw, p.absolute, 'any');
    return p;
  });
  const cfnGuardVersion = rawInput('cfn-guard-version', env);
  const junitFile = optionalOutput('junit-file', workspace, env);
  const jsonFile = optionalOutput('json-file', workspace, env);
  return {
    workspace,
    path: getPathInput('path', { default: '.', workspace, env, mustExist: 'any' }).absolute,
    ...(rawInput('severity-threshold', env)
      ? { severityThreshold: getEnumInput('severity-threshold', SEVERITIES, { env }) }
      : {}),
    ...(rawInput('config', env)
      ? { config: getPathInput('config', { workspace, env, mustExist: 'file' }) }
      : {}),
    customRules,
    guardRules,
    ...(cfnGuardVersion
      ? { cfnGuardVersion: parseCfnGuardVersion('cfn-guard-version', cfnGuardVersion) }
      : {}),
    ...(rawInput('allow-inline-suppressions', env)
      ? { allowInlineSuppressions: getBooleanInput('allow-inline-suppressions', { env }) }
      : {}),
    exclude: getListInput('exclude', { env }),
    sarifFile,
    ...(junitFile ? { junitFile } : {}),
    ...(jsonFile ? { jsonFile } : {}),
  };
}

function writeText(file: string, text: string): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, text);
}

export async function main(): Promise<ActionResult> {
  const inputs = getInputs();
  const reporter = actionReporter();
  const { result, threshold } = await reporter.group('Check infrastructure code against policies', () =>
    runPolicy({
      target: inputs.path,
      workspace: inputs.workspace,
      ...(inputs.config
        ? { configFile: { file: inputs.config.absolute, shown: inputs.config.relative } }
        : {}),
      customRules: inputs.customRules.map((p) => ({ file: p.absolute, shown: p.relative })),
      guardRules: inputs.guardRules.map((p) => ({ file: p.absolute, shown: p.relative })),
      cfnGuard: () =>
        setupCfnGuard({
          reporter,
          install: installTool,
          ...(inputs.cfnGuardVersion ? { version: inputs.cfnGuardVersion } : {}),
        }),
      ...(inputs.allowInlineSuppressions !== undefined
        ? { allowInlineSuppressions: inputs.allowInlineSuppressions }
        : {}),
      ...(inputs.severityThreshold ? { severityThreshold: inputs.severityThreshold } : {}),
      exclude: inputs.exclude,
      reporter,
    }),
  );

  // Every report is written before the gate; one that cannot be written does not hide the others.
  const reportErrors: string[] = [];
  const write = (name: string, file: WorkspacePath | undefined, fn: (f: string) => void) => {
    if (!file) return;
    try {
      fn(file.absolute);
    } catch (error) {
      reportErrors.push(`Could not write ${file.relative} (input '${name}'): ${errorMessage(error)}`);
    }
  };
  write('sarif-file', inputs.sarifFile, (f) => writeJsonFile(f, toSarif(result)));
  write('junit-file', inputs.junitFile, (f) => writeText(f, toJUnit(result, threshold)));
  write('json-file', inputs.jsonFile, (f) => writeJsonFile(f, toJson(result, threshold)));
  const open = unsuppressed(result.findings);
  const failed = failing(result.findings, threshold);
  const sarifWritten = !reportErrors.some((e) => e.includes("'sarif-file'"));
  setOutput('findings', open.length);
  setOutput('failed', failed.length);
  setOutput('suppressed', result.findings.length - open.length);
  setOutput('sarif-file', sarifWritten ? inputs.sarifFile.relative : '');
  for (const annotation of annotations(result, threshold)) reporter.annotate(annotation);
  writeSummary(summaryOf(result, threshold, sarifWritten ? inputs.sarifFile.relative : undefined), (m) =>
    reporter.warning(m),
  );
  reporter.info(countLine(result, threshold) + (sarifWritten ? ` SARIF: ${inputs.sarifFile.relative}` : ''));

  if (reportErrors.length > 0) return { failed: true, message: reportErrors.join(' ') };
  if (failed.length > 0) {
    return {
      failed: true,
      message: `${plural(failed.length, 'policy finding')} at or above ${threshold}. Fix them or suppress each with a reason; see the job summary or ${inputs.sarifFile.relative}.`,
    };
  }
  return { failed: false };
}
