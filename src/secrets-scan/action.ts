/**
 * The secrets-scan action: typed inputs, one scan, then outputs, SARIF, summary and annotations,
 * and only then the gate.
 */
import * as core from '@actions/core';
import { actionReporter } from '../core/action-reporter.js';
import { InputError, errorMessage } from '../core/errors.js';
import {
  checkWritableFile,
  getBooleanInput,
  getEnumInput,
  getIntegerInput,
  getListInput,
  getPathInput,
  rawInput,
  workspaceDir,
  type WorkspacePath,
} from '../core/inputs.js';
import { setOutput } from '../core/outputs.js';
import type { ActionResult } from '../core/run.js';
import { writeJsonFile } from '../core/sarif.js';
import { Summary, writeSummary } from '../core/summary.js';
import { plural } from '../core/text.js';
import { cleanseFindings, cleanseSummary } from './cleanse-findings.js';
import { parseLogOpts } from './history.js';
import { annotations, countLine, summaryOf, toSarif, unsuppressed } from './report.js';
import { MODES, runScan, type ScanMode } from './run-scan.js';
import type { Finding } from './types.js';

export interface Inputs {
  workspace: string;
  /** Absolute path of the folder or file to scan. */
  path: string;
  mode: ScanMode;
  logArgs: string[];
  baseline?: WorkspacePath;
  config?: WorkspacePath;
  sarifFile: WorkspacePath;
  failOnFindings: boolean;
  cleanse: boolean;
  cleansePush: boolean;
  exclude: string[];
  maxFileSizeMb: number;
}

export function getInputs(env = process.env): Inputs {
  const workspace = workspaceDir(env);
  const sarifFile = getPathInput('sarif-file', { default: 'secrets-scan.sarif', workspace, env });
  checkWritableFile('sarif-file', sarifFile.relative, sarifFile.absolute);
  const mode = getEnumInput('mode', MODES, { default: 'auto', env });
  const cleanse = getBooleanInput('cleanse', { default: false, env });
  const cleansePush = getBooleanInput('cleanse-push', { default: false, env });
  if (cleansePush && !cleanse) {
    throw new InputError('cleanse-push', 'true', 'it pushes the cleansed history, so it needs cleanse: true');
  }
  const logOpts = rawInput('log-opts', env);
  if (logOpts && mode !== 'history') {
    throw new InputError(
      'log-opts',
      logOpts,
      `it chooses commits, so it needs mode: history (mode is ${mode})`,
    );
  }
  return {
    workspace,
    path: getPathInput('path', { default: '.', workspace, env, mustExist: 'any' }).absolute,
    mode,
    logArgs: logOpts ? parseLogOpts(logOpts) : [],
    ...(rawInput('config', env)
      ? { config: getPathInput('config', { workspace, env, mustExist: 'file' }) }
      : {}),
    ...(rawInput('baseline', env)
      ? { baseline: getPathInput('baseline', { workspace, env, mustExist: 'file' }) }
      : {}),
    sarifFile,
    failOnFindings: getBooleanInput('fail-on-findings', { default: true, env }),
    cleanse,
    cleansePush,
    exclude: getListInput('exclude', { env }),
    maxFileSizeMb: getIntegerInput('max-file-size-mb', { default: 10, min: 1, max: 1024, env }),
  };
}

/**
 * Registers each found secret with the runner's log masking, so a later step that prints it
 * (a `cat .env`, a failing test) shows `***`. A multi-line secret is masked line by line, without
 * its PEM armour lines; values under 6 characters are left alone, as masking them would blank
 * common words all over the log.
 */
function maskSecrets(findings: Finding[]): void {
  for (const f of findings) {
    for (const part of f.secret.split(/\r?\n/)) {
      const value = part.trim();
      if (value.length >= 6 && !/^-----(BEGIN|END) /.test(value)) core.setSecret(value);
    }
  }
}

export async function main(): Promise<ActionResult> {
  const inputs = getInputs();
  const reporter = actionReporter();
  const result = await reporter.group('Scan for secrets', () =>
    runScan({
      mode: inputs.mode,
      target: inputs.path,
      baseOutsideGit: inputs.workspace,
      logArgs: inputs.logArgs,
      exclude: inputs.exclude,
      maxFileBytes: inputs.maxFileSizeMb * 1024 * 1024,
      ...(inputs.config
        ? { configFile: { file: inputs.config.absolute, shown: inputs.config.relative } }
        : {}),
      ...(inputs.baseline
        ? { baseline: { file: inputs.baseline.absolute, shown: inputs.baseline.relative } }
        : {}),
      reporter,
    }),
  );
  maskSecrets(result.findings);

  // Every report is written before the gate; one that cannot be written does not hide the others.
  let sarifError: string | undefined;
  try {
    writeJsonFile(inputs.sarifFile.absolute, toSarif(result));
  } catch (error) {
    sarifError = `Could not write the SARIF report to ${inputs.sarifFile.relative} (input 'sarif-file'): ${errorMessage(error)}`;
  }
  const count = unsuppressed(result.findings).length;
  setOutput('findings', count);
  setOutput('suppressed', result.findings.length - count);
  setOutput('sarif-file', sarifError ? '' : inputs.sarifFile.relative);
  for (const annotation of annotations(result)) reporter.annotate(annotation);
  writeSummary(summaryOf(result, sarifError ? undefined : inputs.sarifFile.relative), (m) =>
    reporter.warning(m),
  );
  reporter.info(
    `${countLine(result)} Scanned ${result.scope ?? 'the working tree'} in ${result.stats.durationMs} ms.` +
      (sarifError ? '' : ` SARIF: ${inputs.sarifFile.relative}`),
  );

  let cleanseNote = '';
  if (inputs.cleanse && count > 0) {
    try {
      const cleansed = await cleanseFindings({
        repo: inputs.path,
        findings: result.findings,
        setup: result.setup,
        push: inputs.cleansePush,
        tempDir: process.env.RUNNER_TEMP,
        reporter,
      });
      if (cleansed) {
        setOutput('cleansed-refs', JSON.stringify(cleansed.rewrittenRefs.map((r) => r.ref)));
        writeSummary(cleanseSummary(cleansed, new Summary()), (m) => reporter.warning(m));
        cleanseNote =
          cleansed.remaining > 0
            ? ` The cleansed history still held ${plural(cleansed.remaining, 'secret')}, so it was not pushed.`
            : cleansed.pushed
              ? ` History cleansed and pushed (${plural(cleansed.pushedRefs.length, 'ref')}).`
              : ` History cleansed in ${cleansed.mirror}, not pushed (cleanse-push is off).`;
      }
    } catch (error) {
      cleanseNote = ` Cleansing the history failed: ${errorMessage(error)}`;
    }
  }

  if (sarifError) return { failed: true, message: sarifError + cleanseNote };
  if (count > 0 && (inputs.failOnFindings || inputs.cleanse)) {
    return {
      failed: true,
      message: `${plural(count, 'secret')} found. Revoke each one, remove it from the code, and see the job summary or ${inputs.sarifFile.relative} for where.${cleanseNote}`,
    };
  }
  return { failed: false };
}
