import * as path from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { recordingReporter } from '../../src/core/reporter.js';
import { activeRules, loadPolicyConfig } from '../../src/policy-as-code/config.js';
import { BUILTIN_RULES } from '../../src/policy-as-code/rules/index.js';
import { runPolicy } from '../../src/policy-as-code/run-policy.js';
import { tmpDir, writeTree } from '../helpers/tmp.js';

const builtinIds = new Set(BUILTIN_RULES.map((r) => r.id));
const TEMPLATE =
  'AWSTemplateFormatVersion: "2010-09-09"\nResources:\n  V:\n    Type: AWS::EC2::Volume\n    Properties:\n      Size: 10\n      VolumeType: gp2\n';

function configFile(text: string): string {
  const dir = tmpDir('policy-config-');
  writeTree(dir, { 'policy.yaml': text });
  return path.join(dir, 'policy.yaml');
}

describe('loadPolicyConfig', () => {
  it('reads rule settings, excludes and the gate', () => {
    const config = loadPolicyConfig(
      configFile(
        'severity-threshold: medium\nallow-inline-suppressions: false\nexclude: [fixtures/**]\nrules:\n  ebs-volume-unencrypted: low\n',
      ),
      { builtinIds },
    );
    expect(config).toMatchObject({
      severityThreshold: 'medium',
      allowInlineSuppressions: false,
      exclude: ['fixtures/**'],
    });
    const rules = activeRules(BUILTIN_RULES, config);
    expect(rules.find((r) => r.id === 'ebs-volume-unencrypted')!.severity).toBe('low');
  });

  it('disables a rule with off', () => {
    const config = loadPolicyConfig(configFile('rules:\n  ebs-volume-unencrypted: off\n'), { builtinIds });
    expect(activeRules(BUILTIN_RULES, config).map((r) => r.id)).not.toContain('ebs-volume-unencrypted');
  });

  it.each([
    ['severity-treshold: high\n', /:1: unknown key 'severity-treshold'.*Did you mean 'severity-threshold'/],
    [
      'rules:\n  ebs-volume-unencrypt: off\n',
      /:2: rules: unknown rule 'ebs-volume-unencrypt'.*Did you mean 'ebs-volume-unencrypted'/,
    ],
    [
      'rules:\n  ebs-volume-unencrypted: urgent\n',
      /:2: rules.ebs-volume-unencrypted: unknown severity 'urgent'. Use one of critical, high, medium, low/,
    ],
    ['allow-inline-suppressions: "no"\n', /allow-inline-suppressions: must be true or false/],
    ['rules: [a\n', /is not valid YAML/],
    ['custom-rules:\n  - id: X\n', /custom rule X: id must be lower-case kebab-case/],
    ['custom-rules:\n  - id: ebs-volume-unencrypted\n', /id is already taken/],
    [
      'custom-rules:\n  - id: acme-x\n    title: t\n    severity: low\n    resource: AWS::EC2::Volume\n    path: Size\n    require: { bigger: 3 }\n',
      /unknown operator 'bigger'/,
    ],
    [
      'custom-rules:\n  - id: acme-x\n    title: t\n    severity: low\n    resource: Widget\n    path: Size\n    require: { exists: true }\n',
      /the format cannot be told from the resource types/,
    ],
  ])('refuses %j with a clear message', (text, message) => {
    expect(() => loadPolicyConfig(configFile(text), { builtinIds })).toThrow(message);
  });
});

describe('runPolicy with a configuration', () => {
  it('reports a rule excluded for a path as suppressed by the configuration', async () => {
    const dir = tmpDir('policy-run-');
    writeTree(dir, {
      'legacy/stack.yaml': TEMPLATE,
      'new/stack.yaml': TEMPLATE,
      '.imagepipe/policy.yaml': 'rules:\n  ebs-volume-unencrypted:\n    exclude: [legacy/**]\n',
    });
    const { result } = await runPolicy({ target: dir, workspace: dir, reporter: recordingReporter() });
    expect(result.findings.map((f) => [f.file, f.suppression?.via])).toEqual([
      ['legacy/stack.yaml', 'config'],
      ['new/stack.yaml', undefined],
    ]);
  });

  it('runs custom rules from the configuration and from files', async () => {
    const dir = tmpDir('policy-custom-');
    writeTree(dir, {
      'stack.yaml': TEMPLATE,
      '.imagepipe/policy.yaml': 'custom-rules:\n  - rules/acme.yaml\n',
      '.imagepipe/rules/acme.yaml':
        '- id: acme-volume-gp3\n  title: EBS volumes use gp3\n  severity: medium\n  resource: AWS::EC2::Volume\n  path: VolumeType\n  require: { equals: gp3 }\n',
      'more.yaml':
        'rules:\n  - id: acme-volume-small\n    title: Volumes stay under 8 GiB\n    severity: low\n    resource: [AWS::EC2::Volume]\n    path: Size\n    require: { less-or-equal: 8 }\n    message: Keep volumes small.\n',
    });
    const reporter = recordingReporter();
    const { result } = await runPolicy({
      target: dir,
      workspace: dir,
      customRules: [{ file: path.join(dir, 'more.yaml'), shown: 'more.yaml' }],
      reporter,
    });
    const custom = result.findings.filter((f) => f.ruleId.startsWith('acme-'));
    expect(custom.map((f) => [f.ruleId, f.pos.line, f.message])).toEqual([
      ['acme-volume-small', 6, 'Keep volumes small.'],
      ['acme-volume-gp3', 7, 'AWS::EC2::Volume V: VolumeType is "gp2", but must be equals "gp3".'],
    ]);
    expect(result.rules.find((r) => r.id === 'acme-volume-gp3')!.origin).toBe('custom');
  });
});
