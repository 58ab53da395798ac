import { describe, expect, it } from '@jest/globals';
import { UserError } from '../../src/core/errors.js';
import { ExecError, execFile } from '../../src/core/exec.js';
import { recordingReporter } from '../../src/core/reporter.js';

const node = process.execPath;

describe('execFile', () => {
  it('passes argv verbatim, with no shell in between', async () => {
    const arg = '$(echo pwned); `id` && echo "quoted" | cat';
    const result = await execFile(node, ['-e', 'process.stdout.write(process.argv[1])', arg]);
    expect(result.stdout).toBe(arg);
  });

  it('captures stdout and stderr and streams lines into a named log group', async () => {
    const reporter = recordingReporter();
    const result = await execFile(
      node,
      ['-e', 'console.log("one\\ntwo"); console.error("three"); process.stdout.write("tail")'],
      {
        reporter,
        group: 'Run the tool',
      },
    );
    expect(result).toMatchObject({ exitCode: 0, stdout: 'one\ntwo\ntail', stderr: 'three\n' });
    expect(reporter.lines[0]).toBe('group: Run the tool');
    expect(reporter.lines).toEqual(expect.arrayContaining(['one', 'two', 'three', 'tail']));
    expect(reporter.lines.some((l) => l.startsWith('debug: exec: ["'))).toBe(true);
  });

  it('throws ExecError with the exit code and the last lines of output on a failing code', async () => {
    const failing = execFile(node, ['-e', 'console.error("bad template"); process.exit(3)']);
    await expect(failing).rejects.toBeInstanceOf(ExecError);
    await expect(failing).rejects.toThrow(/exited with code 3:\nbad template/);
  });

  it('accepts the exit codes the caller declares ok', async () => {
    const result = await execFile(node, ['-e', 'process.exit(3)'], { okExitCodes: [0, 3] });
    expect(result.exitCode).toBe(3);
    expect((await execFile(node, ['-e', 'process.exit(9)'], { okExitCodes: 'any' })).exitCode).toBe(9);
  });

  it('feeds stdin', async () => {
    const result = await execFile(node, ['-e', 'process.stdin.pipe(process.stdout)'], { input: 'hello' });
    expect(result.stdout).toBe('hello');
  });

  it('says a missing tool is missing, as a user error', async () => {
    const missing = execFile('imagepipe-no-such-tool', []);
    await expect(missing).rejects.toBeInstanceOf(UserError);
    await expect(missing).rejects.toThrow(/imagepipe-no-such-tool: it was not found on PATH/);
  });

  it('terminates the tool when the signal aborts', async () => {
    const controller = new AbortController();
    const running = execFile(node, ['-e', 'setInterval(() => {}, 1000)'], { signal: controller.signal });
    setTimeout(() => controller.abort(), 200);
    await expect(running).rejects.toThrow(/was killed by SIGTERM/);
  });

  it('stops a whole process group, then kills it when it outlives killAfterMs', async () => {
    // The parent ignores SIGINT and waits for its child; only a signal sent to the group reaches the child.
    const child = `process.on('SIGINT', () => { console.log('child got SIGINT'); process.exit(0); });
      console.log('ready'); setInterval(() => {}, 1000);`;
    const parent = `process.on('SIGINT', () => {});
      const c = require('node:child_process').spawn(process.execPath, ['-e', ${JSON.stringify(child)}], { stdio: 'inherit' });
      c.on('exit', (code) => process.exit(code));`;
    const controller = new AbortController();
    const result = await execFile(node, ['-e', parent], {
      processGroup: true,
      signal: controller.signal,
      abortWith: 'SIGINT',
      okExitCodes: 'any',
      onLine: (line) => line === 'ready' && controller.abort(),
    });
    expect(result).toMatchObject({ exitCode: 0, aborted: true, stdout: 'ready\nchild got SIGINT\n' });

    const stubborn = new AbortController();
    const killed = await execFile(
      node,
      ['-e', `process.on('SIGINT', () => {}); console.log('ready'); setInterval(() => {}, 1000);`],
      {
        processGroup: true,
        signal: stubborn.signal,
        abortWith: 'SIGINT',
        killAfterMs: 300,
        okExitCodes: 'any',
        onLine: (line) => line === 'ready' && stubborn.abort(),
      },
    );
    expect(killed).toMatchObject({ signal: 'SIGKILL', aborted: true, killed: true });
    expect(result.killed).toBeUndefined();
  });

  // forwardSignals is exercised through the packer-build bundle (__tests__/packer-build/bundle.test.ts):
  // under Jest, `process` is a sandbox copy whose listeners never hear a real signal.

  it('redacts the command line it logs', async () => {
    const reporter = recordingReporter();
    await execFile(node, ['-e', '', 'password=hunter22'], {
      reporter,
      redact: (text) => text.replace('hunter22', '***'),
    });
    const logged = reporter.lines.find((l) => l.startsWith('debug: exec: '));
    expect(logged).toContain('password=***');
    expect(reporter.lines.join('\n')).not.toContain('hunter22');
  });
});
