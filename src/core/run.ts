/**
 * The one way an action runs. `main` sets outputs and writes reports, then returns whether the
 * gate passed. A UserError becomes one clear `::error::` line; an unexpected error does too, with
 * the stack only in the debug log. Either way the step fails through `process.exitCode`, never a
 * `process.exit` in the middle of logic.
 */
import * as core from '@actions/core';
import { errorMessage, isUserError } from './errors.js';

export type ActionResult = { failed: false } | { failed: true; message: string };

export async function run(main: () => Promise<ActionResult>): Promise<void> {
  try {
    const result = await main();
    if (result.failed) core.setFailed(result.message);
  } catch (error) {
    if (isUserError(error)) {
      core.setFailed(error.message);
    } else {
      if (error instanceof Error && error.stack) core.debug(error.stack);
      core.setFailed(`Unexpected error: ${errorMessage(error)} (re-run with debug logging for the stack)`);
    }
  }
}
