import * as fs from 'node:fs';
import { describe, expect, it } from '@jest/globals';
import { parse } from 'yaml';
import { getInputs } from '../../src/secrets-scan/action.js';
import { tmpDir } from '../helpers/tmp.js';

const meta = parse(fs.readFileSync('actions/secrets-scan/action.yml', 'utf8'));

describe('secrets-scan action.yml and getInputs()', () => {
  const workspace = tmpDir('inputs-ws-');

  it('declares the inputs getInputs() reads, with the defaults the code applies', () => {
    const fromYaml: Record<string, string> = { GITHUB_WORKSPACE: workspace };
    for (const [name, spec] of Object.entries<any>(meta.inputs)) {
      fromYaml[`INPUT_${name.toUpperCase()}`] = String(spec.default ?? '');
    }
    // The runner passes action.yml defaults; outside a runner the code's own defaults apply.
    expect(getInputs(fromYaml)).toEqual(getInputs({ GITHUB_WORKSPACE: workspace }));
    expect(Object.keys(meta.inputs).sort()).toEqual(
      ['exclude', 'fail-on-findings', 'max-file-size-mb', 'path', 'sarif-file'].sort(),
    );
    expect(Object.keys(meta.outputs).sort()).toEqual(['findings', 'sarif-file']);
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
    });
    expect(inputs).toEqual({
      workspace,
      path: workspace,
      sarifFile: { absolute: `${workspace}/reports/s.sarif`, relative: 'reports/s.sarif' },
      failOnFindings: false,
      exclude: ['a/**', 'b/**', '*.lock'],
      maxFileSizeMb: 3,
    });
  });
});
