import * as fs from 'node:fs';
import { describe, expect, it } from '@jest/globals';
import { parse } from 'yaml';
import { getInputs } from '../../src/policy-as-code/action.js';
import { tmpDir, writeTree } from '../helpers/tmp.js';

const meta = parse(fs.readFileSync('actions/policy-as-code/action.yml', 'utf8'));

describe('policy-as-code action.yml and getInputs()', () => {
  const workspace = tmpDir('pac-inputs-');
  writeTree(workspace, {
    'guard/a.guard': 'rule a { Resources exists }\n',
    'b.guard': 'rule b { Resources exists }\n',
  });
  const env = (inputs: Record<string, string>) => {
    const e: Record<string, string> = { GITHUB_WORKSPACE: workspace };
    for (const [name, value] of Object.entries(inputs)) e[`INPUT_${name.toUpperCase()}`] = value;
    return e;
  };

  it('declares the inputs getInputs() reads, with the defaults the code applies', () => {
    const defaults: Record<string, string> = {};
    for (const [name, spec] of Object.entries<any>(meta.inputs)) defaults[name] = String(spec.default ?? '');
    expect(getInputs(env(defaults))).toEqual(getInputs(env({})));
    expect(Object.keys(meta.inputs)).toEqual(expect.arrayContaining(['guard-rules', 'cfn-guard-version']));
  });

  it('reads guard-rules (files or folders, newlines or commas) and cfn-guard-version', () => {
    const inputs = getInputs(env({ 'guard-rules': 'guard\nb.guard', 'cfn-guard-version': '3.2.0' }));
    expect(inputs.guardRules.map((p) => p.relative)).toEqual(['guard', 'b.guard']);
    expect(inputs.cfnGuardVersion).toBe('3.2.0');
    expect(getInputs(env({ 'guard-rules': 'guard/a.guard, b.guard' })).guardRules).toHaveLength(2);
    expect(getInputs(env({})).cfnGuardVersion).toBeUndefined();
  });

  it.each([
    [
      { 'guard-rules': 'missing.guard' },
      /"missing.guard" for input 'guard-rules': no such file or directory/,
    ],
    [
      { 'guard-rules': '../outside.guard' },
      /for input 'guard-rules': the path must stay inside the workspace/,
    ],
    [
      { 'cfn-guard-version': 'latest' },
      /"latest" for input 'cfn-guard-version': give an exact cfn-guard 3 version/,
    ],
  ])('refuses %j naming the input', (inputs, message) => {
    expect(() => getInputs(env(inputs))).toThrow(message);
  });
});
