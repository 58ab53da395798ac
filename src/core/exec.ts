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
  /** Exit codes that count as success; 'any' never throws, even when a signal ended the tool. Default [0]. */
  okExitCodes?: readonly number[] | 'any';
  reporter?: Reporter;
  /** Streams output inside a log group of this name. */
  group?: string;
  /** Capture only; do not stream output to the reporter. */
  silent?: boolean;
  /** Stops the tool when the signal aborts: `abortWith` (default SIGTERM), then SIGKILL after `killAfterMs`. */
  signal?: AbortSignal;
  abortWith?: NodeJS.Signals;
  /** How long a tool may take to stop after `abortWith` before it is killed. Default 10 s. */
  killAfterMs?: number;
  /**
   * Starts the tool in a process group of its own and sends every signal to the whole group, as a
   * terminal's Ctrl-C does. Needed for tools that fork (packer's wrapper ignores a SIGINT sent to
   * it alone, and leaves its provisioners running on a SIGTERM sent to it alone).
   */
  processGroup?: boolean;
  /**
   * While the tool runs, these signals reaching this process no longer end it: the first is passed
   * on to the tool (as `forwardAs` when set), and this process waits for the tool to finish. Later
   * ones are not passed on again (unless `repeatAs`), so a tool busy cleaning up is not interrupted twice. `onForward`
   * hears of each one; the result's `forwarded` names the first.
   */
  forwardSignals?: readonly NodeJS.Signals[];
  forwardAs?: NodeJS.Signals;
  /** Pass later forwarded signals on as this one (SIGKILL: a second Ctrl-C ends the tool at once). */
  repeatAs?: NodeJS.Signals;
  onForward?: (signal: NodeJS.Signals, first: boolean) => void;
  /** Applied to the command line in the debug log, to hide secrets passed as arguments. */
  redact?: (text: string) => string;
  /** Receives each output line instead of the reporter (even when `silent`). */
  onLine?: (line: string, stream: 'stdout' | 'stderr') => void;
  /** Caps each captured stream; the rest is still streamed. Default 64 MiB. */
  maxCapture?: number;
}

export interface ExecResult {
  exitCode: number;
  /** Set when the tool was ended by a signal. */
  signal?: NodeJS.Signals;
  /** The first signal passed on to the tool (see `forwardSignals`). */
  forwarded?: NodeJS.Signals;
  /** The tool was stopped because `signal` aborted. */
  aborted?: boolean;
  /**
   * After the abort, the tool (or, with `processGroup`, something it started that still held its
   * output open) outlived `killAfterMs` and was sent SIGKILL.
   */
  killed?: boolean;
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

/** Queued bytes above which reading pauses; some slack keeps the pauses few. */
const HOLD_ABOVE = 4 * 1024 * 1024;

/**
 * Relayed output ends on this process's stdout or stderr. When the reader of one of those (the
 * runner, a terminal, a pipe) falls behind, Node queues what is written in memory; past a few MB,
 * reading of the tool's output pauses until the queue drains, so the tool waits instead (as it
 * would on a slow terminal), and memory stays flat however much it prints.
 */
function holdWhileFull(from: ReadonlyArray<NodeJS.ReadableStream>): void {
  const full = [process.stdout, process.stderr].find(
    (s) => s.writableLength > HOLD_ABOVE && s.writableNeedDrain && !s.destroyed,
  );
  if (!full) return;
  for (const s of from) s.pause();
  const resume = () => {
    full.removeListener('drain', resume);
    full.removeListener('close', resume);
    for (const s of from) s.resume();
  };
  full.once('drain', resume);
  full.once('close', resume);
}

export async function execFile(
  command: string,
  args: readonly string[],
  options: ExecOptions = {},
): Promise<ExecResult> {
  const reporter = options.reporter;
  const runIt = () => {
    const line = `exec: ${JSON.stringify([command, ...args])}`;
    reporter?.debug(options.redact ? options.redact(line) : line);
    return spawnAndCapture(command, args, options);
  };
  const result = options.group && reporter ? await reporter.group(options.group, runIt) : await runIt();
  const ok = options.okExitCodes ?? [0];
  if (ok !== 'any' && (result.signal || !ok.includes(result.exitCode))) {
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
      // Windows has no process groups to signal; there the tool alone is signalled.
      detached: options.processGroup === true && process.platform !== 'win32',
      // No input: stdin is /dev/null, so a tool that never reads it costs no EPIPE (whose stack
      // trace, through the bundle's source maps, took a third of a second).
      stdio: [options.input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
    });
    const out: string[] = [];
    const err: string[] = [];
    let outSize = 0;
    let errSize = 0;
    const show = options.silent || !options.reporter ? undefined : options.reporter;
    const onLine = options.onLine;
    const outLines = lineSplitter((l) => (onLine ? onLine(l, 'stdout') : show?.info(l)));
    const errLines = lineSplitter((l) => (onLine ? onLine(l, 'stderr') : show?.info(l)));
    const streams = [child.stdout!, child.stderr!];
    const relayed = show !== undefined || onLine !== undefined;
    child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
      if (outSize < max) out.push(chunk);
      outSize += chunk.length;
      outLines.push(chunk);
      if (relayed) holdWhileFull(streams);
    });
    child.stderr!.setEncoding('utf8').on('data', (chunk: string) => {
      if (errSize < max) err.push(chunk);
      errSize += chunk.length;
      errLines.push(chunk);
      if (relayed) holdWhileFull(streams);
    });

    const send = (sig: NodeJS.Signals) => {
      try {
        if (options.processGroup && process.platform !== 'win32' && child.pid !== undefined)
          process.kill(-child.pid, sig);
        else child.kill(sig);
      } catch {
        // already gone
      }
    };
    let killTimer: NodeJS.Timeout | undefined;
    let aborted = false;
    let killed = false;
    const onAbort = () => {
      aborted = true;
      send(options.abortWith ?? 'SIGTERM');
      killTimer = setTimeout(() => {
        killed = true;
        send('SIGKILL');
      }, options.killAfterMs ?? 10_000);
      killTimer.unref();
    };
    options.signal?.addEventListener('abort', onAbort, { once: true });
    if (options.signal?.aborted) onAbort();

    let forwarded: NodeJS.Signals | undefined;
    const forwarders = (options.forwardSignals ?? []).map((sig) => {
      const handler = () => {
        const first = forwarded === undefined;
        forwarded ??= sig;
        options.onForward?.(sig, first);
        if (first) send(options.forwardAs ?? sig);
        else if (options.repeatAs) send(options.repeatAs);
      };
      process.on(sig, handler);
      return () => process.removeListener(sig, handler);
    });
    const cleanUp = () => {
      options.signal?.removeEventListener('abort', onAbort);
      for (const remove of forwarders) remove();
      if (killTimer) clearTimeout(killTimer);
    };

    child.on('error', (error: NodeJS.ErrnoException) => {
      cleanUp();
      if (error.code === 'ENOENT') {
        reject(
          new UserError(`Could not run ${command}: it was not found on PATH. Install it or add it to PATH.`),
        );
      } else {
        reject(new Error(`Could not run ${command}: ${error.message}`));
      }
    });
    child.on('close', (code, signal) => {
      cleanUp();
      outLines.end();
      errLines.end();
      resolve({
        exitCode: code ?? -1,
        ...(signal ? { signal } : {}),
        ...(forwarded ? { forwarded } : {}),
        ...(aborted ? { aborted } : {}),
        ...(killed ? { killed } : {}),
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
