/**
 * Runs external tools. Commands are argv arrays handed to the OS without a shell, so no value can
 * be interpreted as shell syntax. Output is streamed line by line to the reporter (inside a log
 * group when one is named) and captured. Which exit codes count as success is explicit.
 *
 * Built on node:child_process rather than @actions/exec so engines can run tools through a
 * Reporter: in the CLI the tool's output must go to stderr, and @actions/exec writes to stdout.
 */
import { spawn } from 'node:child_process';
import { UserError } from './errors.js';
import type { Reporter } from './reporter.js';

export interface ExecOptions {
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  /** Written to the tool's stdin, which is then closed. */
  input?: string | Buffer;
  /** Exit codes that count as success; 'any' never fails on the code. Default [0]. */
  okExitCodes?: readonly number[] | 'any';
  reporter?: Reporter;
  /** Streams output inside a log group of this name. */
  group?: string;
  /** Capture only; do not stream output to the reporter. */
  silent?: boolean;
  /** Kills the tool (SIGTERM, then SIGKILL after 10s) when the signal aborts. */
  signal?: AbortSignal;
  /** Caps each captured stream; the rest is still streamed. Default 64 MiB. */
  maxCapture?: number;
}

export interface ExecResult {
  exitCode: number;
  /** Set when the tool was ended by a signal. */
  signal?: NodeJS.Signals;
  stdout: string;
  stderr: string;
}

export class ExecError extends Error {
  override readonly name = 'ExecError';
  constructor(
    readonly command: string,
    readonly args: readonly string[],
    readonly result: ExecResult,
  ) {
    const how = result.signal ? `was killed by ${result.signal}` : `exited with code ${result.exitCode}`;
    const tail = lastLines(result.stderr || result.stdout, 5);
    super(`${command} ${how}${tail ? `:\n${tail}` : ''}`);
  }
}

function lastLines(text: string, n: number): string {
  return text.trimEnd().split('\n').slice(-n).join('\n');
}

/** Splits a stream into lines for the reporter, keeping the partial last line until the end. */
function lineSplitter(emit: (line: string) => void) {
  let pending = '';
  return {
    push(chunk: string) {
      const parts = (pending + chunk).split(/\r?\n/);
      pending = parts.pop() ?? '';
      for (const line of parts) emit(line);
    },
    end() {
      if (pending) emit(pending);
      pending = '';
    },
  };
}

export async function execFile(
  command: string,
  args: readonly string[],
  options: ExecOptions = {},
): Promise<ExecResult> {
  const reporter = options.reporter;
  const runIt = () => {
    reporter?.debug(`exec: ${JSON.stringify([command, ...args])}`);
    return spawnAndCapture(command, args, options);
  };
  const result = options.group && reporter ? await reporter.group(options.group, runIt) : await runIt();
  const ok = options.okExitCodes ?? [0];
  if (result.signal || (ok !== 'any' && !ok.includes(result.exitCode))) {
    throw new ExecError(command, args, result);
  }
  return result;
}

function spawnAndCapture(
  command: string,
  args: readonly string[],
  options: ExecOptions,
): Promise<ExecResult> {
  const max = options.maxCapture ?? 64 * 1024 * 1024;
  return new Promise((resolve, reject) => {
    const child = spawn(command, [...args], {
      cwd: options.cwd,
      env: options.env ?? process.env,
      shell: false,
      // No input: stdin is /dev/null, so a tool that never reads it costs no EPIPE (whose stack
      // trace, through the bundle's source maps, took a third of a second).
      stdio: [options.input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
    });
    const out: string[] = [];
    const err: string[] = [];
    let outSize = 0;
    let errSize = 0;
    const show = options.silent || !options.reporter ? undefined : options.reporter;
    const outLines = lineSplitter((l) => show?.info(l));
    const errLines = lineSplitter((l) => show?.info(l));
    child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
      if (outSize < max) out.push(chunk);
      outSize += chunk.length;
      outLines.push(chunk);
    });
    child.stderr!.setEncoding('utf8').on('data', (chunk: string) => {
      if (errSize < max) err.push(chunk);
      errSize += chunk.length;
      errLines.push(chunk);
    });

    let killTimer: NodeJS.Timeout | undefined;
    const onAbort = () => {
      child.kill('SIGTERM');
      killTimer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      killTimer.unref();
    };
    options.signal?.addEventListener('abort', onAbort, { once: true });

    child.on('error', (error: NodeJS.ErrnoException) => {
      options.signal?.removeEventListener('abort', onAbort);
      if (error.code === 'ENOENT') {
        reject(
          new UserError(`Could not run ${command}: it was not found on PATH. Install it or add it to PATH.`),
        );
      } else {
        reject(new Error(`Could not run ${command}: ${error.message}`));
      }
    });
    child.on('close', (code, signal) => {
      options.signal?.removeEventListener('abort', onAbort);
      if (killTimer) clearTimeout(killTimer);
      outLines.end();
      errLines.end();
      resolve({
        exitCode: code ?? -1,
        signal: signal ?? undefined,
        stdout: out.join(''),
        stderr: err.join(''),
      });
    });
    if (child.stdin) {
      child.stdin.on('error', () => undefined); // a tool that exits without reading stdin is not an error
      child.stdin.end(options.input);
    }
  });
}
