/**
 * The imagepipe CLI: one subcommand per capability, the same engines as the actions.
 * Exit codes: 0 passed, 1 the gate failed, 2 usage, configuration or input error (and the rare internal
 * failure, which is never reported as a failed gate).
 */
import { Command, CommanderError } from 'commander';
import { errorMessage, isUserError } from '../core/errors.js';
import { VERSION } from '../core/version.js';
import { EXIT, processIo, type CliIo } from './io.js';
import { installHooksCommand } from './install-hooks.js';
import { packerBuildCommand } from './packer-build.js';
import { policyAsCodeCommand } from './policy-as-code.js';
import { publishImageCommand } from './publish-image.js';
import { secretsScanCommand } from './secrets-scan.js';

export function buildProgram(io: CliIo, setExit: (code: number) => void): Command {
  const program = new Command('imagepipe')
    .description(
      'Scan, test, build and publish machine and container images: the same engines as the imagepipe actions.',
    )
    .version(VERSION, '-V, --version')
    .showHelpAfterError('(run with --help for usage)')
    .configureOutput({ writeOut: io.stdout, writeErr: io.stderr })
    .exitOverride();
  for (const command of [
    secretsScanCommand(io, setExit),
    policyAsCodeCommand(io, setExit),
    packerBuildCommand(io, setExit),
    publishImageCommand(io, setExit),
    installHooksCommand(io, setExit),
  ]) {
    program.addCommand(
      command
        .exitOverride()
        .showHelpAfterError('(run with --help for usage)')
        .configureOutput({ writeOut: io.stdout, writeErr: io.stderr }),
    );
  }
  return program;
}

/** Runs the CLI and returns its exit code; never calls process.exit. */
export async function main(argv: string[], io: CliIo = processIo()): Promise<number> {
  let code: number = EXIT.passed;
  const program = buildProgram(io, (c) => (code = c));
  try {
    await program.parseAsync(argv, { from: 'user' });
    return code;
  } catch (error) {
    if (error instanceof CommanderError) {
      // --help and --version end here too, with exit code 0.
      return error.exitCode === 0 ? EXIT.passed : EXIT.usage;
    }
    if (isUserError(error)) {
      io.stderr(`error: ${error.message}\n`);
      return EXIT.usage;
    }
    io.stderr(`error: unexpected failure: ${errorMessage(error)}\n`);
    if (io.env.IMAGEPIPE_DEBUG && error instanceof Error) io.stderr(`${error.stack}\n`);
    return EXIT.usage;
  }
}
