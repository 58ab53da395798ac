import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, jest } from '@jest/globals';
import { UserError } from '../../src/core/errors.js';
import { setJsonOutput, setOutput } from '../../src/core/outputs.js';
import { run } from '../../src/core/run.js';
import { tmpDir } from '../helpers/tmp.js';

describe('run()', () => {
  let written: string;
  beforeEach(() => {
    written = '';
    jest.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
      written += String(chunk);
      return true;
    });
  });
  afterEach(() => {
    jest.restoreAllMocks();
    process.exitCode = undefined;
  });

  it('leaves the step green when main passes', async () => {
    await run(async () => ({ failed: false }));
    expect(process.exitCode).toBeUndefined();
    expect(written).toBe('');
  });

  it('fails the step with the gate message', async () => {
    await run(async () => ({ failed: true, message: '3 secrets found.' }));
    expect(process.exitCode).toBe(1);
    expect(written).toBe('::error::3 secrets found.\n');
  });

  it('turns a UserError into one error line', async () => {
    await run(async () => {
      throw new UserError(`Invalid value "x" for input 'path': no such file.`);
    });
    expect(process.exitCode).toBe(1);
    expect(written).toBe(`::error::Invalid value "x" for input 'path': no such file.\n`);
  });

  it('reports an unexpected error in one line, its stack only in the debug log', async () => {
    await run(async () => {
      throw new TypeError('cannot read x of undefined');
    });
    expect(process.exitCode).toBe(1);
    const lines = written.trimEnd().split('\n');
    const errors = lines.filter((l) => l.startsWith('::error::'));
    expect(errors).toEqual([
      '::error::Unexpected error: cannot read x of undefined (re-run with debug logging for the stack)',
    ]);
    expect(written).toMatch(/^::debug::TypeError: cannot read x of undefined%0A\s+at /m);
  });
});

describe('outputs', () => {
  it('writes plain and JSON outputs to GITHUB_OUTPUT', () => {
    const file = path.join(tmpDir(), 'output');
    fs.writeFileSync(file, '');
    const before = process.env.GITHUB_OUTPUT;
    process.env.GITHUB_OUTPUT = file;
    try {
      setOutput('findings', 3);
      setJsonOutput('amis', { 'eu-west-1': 'ami-0abc' });
    } finally {
      process.env.GITHUB_OUTPUT = before;
    }
    const text = fs.readFileSync(file, 'utf8');
    expect(text).toMatch(/^findings<<(\S+)\n3\n\1\n/m);
    expect(text).toMatch(/^amis<<(\S+)\n\{"eu-west-1":"ami-0abc"\}\n\1\n/m);
  });
});
