import * as fs from 'node:fs';
import { describe, expect, it } from '@jest/globals';
import { parse } from 'yaml';
import { getInputs } from '../../src/secrets-scan/action.js';
import { tmpDir } from '../helpers/tmp.js';

const meta = parse(fs.readFileSync('actions/secrets-scan/action.yml', 'utf8'));

describe('secrets-scan action.yml and getInputs()', () => {
  const workspace = tmpDir('inputs-ws-');
  fs.writeFileSync(`${workspace}/base.json`, '{}');

  it('declares the inputs getInputs() reads, with the defaults the code applies', () => {
    const fromYaml: Record<string, string> = { GITHUB_WORKSPACE: workspace };
    for (const [name, spec] of Object.entries<any>(meta.inputs)) {
      fromYaml[`INPUT_${name.toUpperCase()}`] = String(spec.default ?? '');
    }
    // The runner passes action.yml defaults; outside a runner the code's own defaults apply.
    expect(getInputs(fromYaml)).toEqual(getInputs({ GITHUB_WORKSPACE: workspace }));
    expect(Object.keys(meta.inputs).sort()).toEqual(
      [
        'baseline',
        'cleanse',
        'cleanse-push',
        'config',
        'exclude',
        'fail-on-findings',
        'log-opts',
        'max-file-size-mb',
        'mode',
        'path',
        'sarif-file',
      ].sort(),
    );
    expect(Object.keys(meta.outputs).sort()).toEqual([
      'cleansed-refs',
      'findings',
      'sarif-file',
      'suppressed',
    ]);
    expect(meta.runs).toEqual({ using: 'node24', main: '../../dist/secrets-scan/index.js' });
  });

  it('reads every input', () => {
    const inputs = getInputs({
      GITHUB_WORKSPACE: workspace,
      INPUT_PATH: '.',
      'INPUT_SARIF-FILE': 'reports/s.sarif',
      'INPUT_FAIL-ON-FINDINGS': 'false',
      INPUT_EXCLUDE: 'a/**\nb/**, *.lock',
      'INPUT_MAX-FILE-SIZE-MB': '3',
      INPUT_MODE: 'history',
      'INPUT_LOG-OPTS': 'main..HEAD --no-merges',
      INPUT_BASELINE: 'base.json',
    });
    expect(inputs).toEqual({
      workspace,
      path: workspace,
      mode: 'history',
      logArgs: ['main..HEAD', '--no-merges'],
      baseline: { absolute: `${workspace}/base.json`, relative: 'base.json' },
      sarifFile: { absolute: `${workspace}/reports/s.sarif`, relative: 'reports/s.sarif' },
      failOnFindings: false,
      cleanse: false,
      cleansePush: false,
      exclude: ['a/**', 'b/**', '*.lock'],
      maxFileSizeMb: 3,
    });
  });

  it('refuses log-opts without mode: history, and options git log must not get', () => {
    const env = { GITHUB_WORKSPACE: workspace, 'INPUT_LOG-OPTS': 'main..HEAD' };
    expect(() => getInputs(env)).toThrow(/log-opts.*needs mode: history \(mode is auto\)/);
    expect(() => getInputs({ ...env, INPUT_MODE: 'history', 'INPUT_LOG-OPTS': '--output=x' })).toThrow(
      /"--output=x" is not an option/,
    );
    expect(() => getInputs({ GITHUB_WORKSPACE: workspace, INPUT_MODE: 'everything' })).toThrow(/mode/);
  });
});
