/**
 * Runner-contract test: dist/policy-as-code/index.js run exactly as the GitHub runner runs it.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { cfnGuard } from '../helpers/cfn-guard.js';
import { runBundle } from '../helpers/runner.js';
import { sarifSchemaErrors } from '../helpers/sarif-schema.js';

const bundle = path.resolve('dist/policy-as-code/index.js');
const OPEN =
  'AWSTemplateFormatVersion: "2010-09-09"\nResources:\n  V:\n    Type: AWS::EC2::Volume\n    Properties:\n      Size: 10\n';

describe('dist/policy-as-code/index.js as the runner runs it', () => {
  it('fails the step on a high finding, after outputs, SARIF, JUnit, summary and annotations', () => {
    const run = runBundle(
      bundle,
      { 'infra/stack.yaml': OPEN },
      { path: '.', 'sarif-file': 'out/p.sarif', 'junit-file': 'out/p.xml' },
    );
    expect(run.status).toBe(1);
    expect(run.outputs).toEqual({ findings: '1', failed: '1', suppressed: '0', 'sarif-file': 'out/p.sarif' });
    expect(run.stdout).toMatch(
      /^::error title=high%3A EBS volume is not encrypted,file=infra\/stack.yaml,line=3,endLine=3,col=3::Volume V/m,
    );
    expect(run.stdout).toMatch(/^::error::1 policy finding at or above high\./m);
    const sarif = JSON.parse(fs.readFileSync(path.join(run.workspace, 'out/p.sarif'), 'utf8'));
    expect(sarifSchemaErrors(sarif)).toEqual([]);
    expect(fs.readFileSync(path.join(run.workspace, 'out/p.xml'), 'utf8')).toContain('<failure');
    expect(run.summary).toContain('<h3>High (1), fails the step</h3>');
  });

  it('passes below the threshold, with the finding still reported', () => {
    const run = runBundle(bundle, { 'stack.yaml': OPEN }, { 'severity-threshold': 'critical' });
    expect(run.status).toBe(0);
    expect(run.outputs).toMatchObject({ findings: '1', failed: '0' });
    expect(run.stdout).toMatch(/^::warning title=.*,file=stack.yaml,line=3/m);
  });

  it('honours allow-inline-suppressions: false', () => {
    const files = {
      'stack.yaml': OPEN.replace('  V:\n', '  V:\n    # imagepipe:skip=ebs-volume-unencrypted scratch\n'),
    };
    expect(runBundle(bundle, files, {}).status).toBe(0);
    const strict = runBundle(bundle, files, { 'allow-inline-suppressions': 'false' });
    expect(strict.status).toBe(1);
    expect(strict.summary).toContain('1 in-source suppression ignored');
  });

  it.each([
    [{ 'severity-threshold': 'urgent' }, /severity-threshold/],
    [{ path: 'nowhere' }, /"nowhere" for input 'path'/],
    [{ 'custom-rules': 'rules.yaml' }, /custom-rules/],
    [{ 'allow-inline-suppressions': 'yes' }, /allow-inline-suppressions/],
  ])('refuses bad input %j with one clear error line', (inputs, message) => {
    const run = runBundle(bundle, { 'stack.yaml': OPEN }, inputs);
    expect(run.status).toBe(1);
    const errors = run.stdout.split('\n').filter((l) => l.startsWith('::error::'));
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(message);
    expect(run.stdout + run.stderr).not.toMatch(/\n\s+at /);
  });

  it('reports a broken configuration file with its line', () => {
    const run = runBundle(
      bundle,
      { 'stack.yaml': OPEN, '.imagepipe/policy.yaml': 'rules:\n  no-such-rule: off\n' },
      {},
    );
    expect(run.status).toBe(1);
    expect(run.stdout).toMatch(/^::error::\.imagepipe\/policy.yaml:2: rules: unknown rule 'no-such-rule'/m);
  });

  // Needs dist/policy-as-code rebuilt with the guard-rules and cfn-guard-version inputs.
  it('runs Guard rules with the cfn-guard on PATH, annotating the line', () => {
    const { binary, controlTowerRules } = cfnGuard();
    const run = runBundle(
      bundle,
      {
        'infra/stack.yaml': OPEN,
        'guard/ebs.guard': fs.readFileSync(path.join(controlTowerRules, 'ec2/ct-ec2-pr-7.guard'), 'utf8'),
      },
      { 'guard-rules': 'guard/ebs.guard', 'sarif-file': 'p.sarif' },
      () => {},
      () => ({ PATH: `${path.dirname(binary)}${path.delimiter}${process.env.PATH}` }),
    );
    expect(run.status).toBe(1);
    expect(run.outputs).toMatchObject({ findings: '2', failed: '2' });
    expect(run.stdout).toMatch(
      /^::error title=high%3A \[CT.EC2.PR.7\]%3A Require an Amazon EBS volume .*,file=infra\/stack.yaml,line=3,endLine=3,col=3::V: Encrypted is missing\./m,
    );
    expect(run.stdout).toMatch(/^Using cfn-guard 3\.1\.1 from PATH/m);
    const sarif = JSON.parse(fs.readFileSync(path.join(run.workspace, 'p.sarif'), 'utf8'));
    expect(sarifSchemaErrors(sarif)).toEqual([]);
    expect(sarif.runs[0].results.map((r: any) => r.ruleId).sort()).toEqual([
      'ebs-volume-unencrypted',
      'guard:ec2_encrypted_volumes_check',
    ]);
    expect(run.summary).toContain('guard:ec2_encrypted_volumes_check');
  });

  it.each([
    [{ 'guard-rules': 'nope.guard' }, /"nope.guard" for input 'guard-rules': no such file or directory/],
    [
      { 'guard-rules': 'stack.yaml', 'cfn-guard-version': 'latest' },
      /"latest" for input 'cfn-guard-version'/,
    ],
    [
      { 'guard-rules': 'rules.guard', 'cfn-guard-version': '3.0.9' },
      /^::error::cfn-guard 3\.0\.9 for \S+ has no pinned SHA-256, so it will not be downloaded\. Put cfn-guard 3\.0\.9 on PATH before this step/,
    ],
  ])('refuses %j with one clear error line', (inputs, message) => {
    const run = runBundle(
      bundle,
      { 'stack.yaml': OPEN, 'rules.guard': 'rule r { Resources exists }\n' },
      inputs,
    );
    expect(run.status).toBe(1);
    const errors = run.stdout.split('\n').filter((l) => l.startsWith('::error::'));
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(message);
    expect(run.stdout + run.stderr).not.toMatch(/\n\s+at /);
  });
});
