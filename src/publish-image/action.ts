/**
 * The publish-image action: inputs checked before anything is pushed or copied, the image pushed
 * and the AMI published, then the outputs and the summary, and only then the step's result.
 */
import * as core from '@actions/core';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { rawInput, workspaceDir } from '../core/inputs.js';
import { setJsonOutput, setOutput } from '../core/outputs.js';
import type { ActionResult } from '../core/run.js';
import { writeSummary } from '../core/summary.js';
import { lazyAwsClients } from './clients.js';
import { optionsFrom, provenanceFrom } from './options.js';
import { failuresOf, publish, type PublishOptions } from './publish.js';
import { outputsOf, statusLine, summaryOf } from './report.js';

/** Every input checked; secrets masked before anything else can print them. */
export function getInputs(env = process.env, tempDir = os.tmpdir()): PublishOptions {
  const password = rawInput('registry-password', env);
  if (password) core.setSecret(password);
  return optionsFrom((name) => rawInput(name, env), {
    workspace: workspaceDir(env),
    tempDir,
    env,
    provenance: provenanceFrom(env),
  });
}

export async function main(): Promise<ActionResult> {
  const tempDir = fs.mkdtempSync(path.join(process.env.RUNNER_TEMP || os.tmpdir(), 'publish-image-'));
  try {
    const options = getInputs(process.env, tempDir);
    const result = await publish(options, {
      aws: lazyAwsClients(),
      log: (m) => core.info(m),
      warn: (m) => core.warning(m),
      secret: (v) => core.setSecret(v),
    });
    const outputs = outputsOf(result);
    setOutput('digest', outputs.digest);
    setJsonOutput('images', outputs.images);
    setJsonOutput('amis', outputs.amis);
    setOutput('archive', outputs.archive);
    writeSummary(summaryOf(result), (m) => core.warning(m));
    const line = statusLine(result);
    if (failuresOf(result).length) return { failed: true, message: line };
    core.info(line);
    return { failed: false };
  } finally {
    fs.rmSync(tempDir, { recursive: true, force: true });
  }
}
