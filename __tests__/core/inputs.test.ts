import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { InputError } from '../../src/core/errors.js';
import {
  getBooleanInput,
  getEnumInput,
  getIntegerInput,
  getListInput,
  getPathInput,
  getStringInput,
  parseList,
  rawInput,
} from '../../src/core/inputs.js';

const env = (values: Record<string, string>) =>
  Object.fromEntries(Object.entries(values).map(([k, v]) => [`INPUT_${k.toUpperCase()}`, v]));

describe('rawInput', () => {
  it('reads INPUT_<NAME> the way the runner sets it, trimmed', () => {
    expect(rawInput('fail-on-findings', { 'INPUT_FAIL-ON-FINDINGS': '  true \n' })).toBe('true');
    expect(rawInput('my input', { INPUT_MY_INPUT: 'x' })).toBe('x');
    expect(rawInput('missing', {})).toBe('');
  });
});

describe('getStringInput', () => {
  it('returns the value, or the default when empty', () => {
    expect(getStringInput('path', { env: env({ path: 'src' }) })).toBe('src');
    expect(getStringInput('path', { env: env({ path: '' }), default: '.' })).toBe('.');
  });
  it('names a missing required input', () => {
    expect(() => getStringInput('template', { env: {} })).toThrow(/input 'template': the input is required/);
  });
});

describe('parseList / getListInput', () => {
  it.each([
    ['a,b', ['a', 'b']],
    ['a\nb\r\nc', ['a', 'b', 'c']],
    ['  a , \n\n b,, ', ['a', 'b']],
    ['', []],
    ['**/*.{env,txt}, docs/**', ['**/*.{env,txt}', 'docs/**']],
    ['a{b,c}\nd', ['a{b,c}', 'd']],
    ['unclosed{a,b\nnext,one', ['unclosed{a,b', 'next', 'one']],
  ])('%j → %j', (raw, expected) => {
    expect(parseList(raw)).toEqual(expected);
  });
  it('defaults to an empty list', () => {
    expect(getListInput('exclude', { env: {} })).toEqual([]);
  });
});

describe('getBooleanInput', () => {
  it.each([
    ['true', true],
    ['false', false],
  ])('%s', (raw, expected) => {
    expect(getBooleanInput('fail-on-findings', { env: env({ 'fail-on-findings': raw }) })).toBe(expected);
  });
  it.each(['True', 'yes', '1', 'on', 'FALSE'])('rejects %s with the allowed values', (raw) => {
    expect(() => getBooleanInput('fail-on-findings', { env: env({ 'fail-on-findings': raw }) })).toThrow(
      new InputError('fail-on-findings', raw, 'use true or false'),
    );
  });
  it('uses the default when unset', () => {
    expect(getBooleanInput('x', { env: {}, default: true })).toBe(true);
  });
});

describe('getEnumInput', () => {
  const levels = ['low', 'medium', 'high'] as const;
  it('accepts an allowed value', () => {
    expect(getEnumInput('severity', levels, { env: env({ severity: 'medium' }) })).toBe('medium');
  });
  it('lists the allowed values', () => {
    expect(() => getEnumInput('severity', levels, { env: env({ severity: 'urgent' }) })).toThrow(
      `Invalid value "urgent" for input 'severity': allowed values are low, medium, high.`,
    );
  });
});

describe('getIntegerInput', () => {
  it('parses within bounds', () => {
    expect(getIntegerInput('n', { env: env({ n: '42' }), min: 1, max: 100 })).toBe(42);
    expect(getIntegerInput('n', { env: {}, default: 7 })).toBe(7);
  });
  it.each(['0', '101', '1.5', 'ten', '1e3', '99999999999999999999'])('rejects %s with the range', (raw) => {
    expect(() => getIntegerInput('n', { env: env({ n: raw }), min: 1, max: 100 })).toThrow(
      /input 'n': expected an integer from 1 to 100/,
    );
  });
});

describe('getPathInput', () => {
  const workspace = fs.mkdtempSync(path.join(os.tmpdir(), 'inputs-'));
  fs.mkdirSync(path.join(workspace, 'sub'));
  fs.writeFileSync(path.join(workspace, 'sub', 'f.txt'), 'x');
  const outside = fs.mkdtempSync(path.join(os.tmpdir(), 'outside-'));
  fs.symlinkSync(outside, path.join(workspace, 'escape'));

  it('resolves inside the workspace', () => {
    const p = getPathInput('path', { env: env({ path: 'sub/f.txt' }), workspace, mustExist: 'file' });
    expect(p.relative).toBe('sub/f.txt');
    expect(p.absolute).toBe(path.join(fs.realpathSync(workspace), 'sub', 'f.txt'));
    expect(getPathInput('path', { env: env({ path: '.' }), workspace }).relative).toBe('.');
  });
  it.each(['../x', '/etc/passwd', 'sub/../../x', 'escape/file'])(
    'refuses %s, which leaves the workspace',
    (raw) => {
      expect(() => getPathInput('path', { env: env({ path: raw }), workspace })).toThrow(
        /input 'path': the path must stay inside the workspace/,
      );
    },
  );
  it('says when a path that must exist does not', () => {
    expect(() => getPathInput('path', { env: env({ path: 'nope' }), workspace, mustExist: 'any' })).toThrow(
      /input 'path': no such file or directory/,
    );
    expect(() => getPathInput('path', { env: env({ path: 'sub' }), workspace, mustExist: 'file' })).toThrow(
      /expected a file, found a directory/,
    );
  });
});
