import { describe, expect, it } from '@jest/globals';
import { scanText } from '../../src/policy-as-code/scan.js';
import { BUILTIN_RULES } from '../../src/policy-as-code/rules/index.js';

const rules = BUILTIN_RULES;

function volume(name: string, extra = '') {
  return `  ${name}:\n    Type: AWS::EC2::Volume\n${extra}    Properties:\n      Size: 10\n`;
}

function template(body: string) {
  return `AWSTemplateFormatVersion: "2010-09-09"\nResources:\n${body}`;
}

function scan(text: string, allowInlineSuppressions = true) {
  return scanText('stack.yaml', text, rules, { allowInlineSuppressions }).findings;
}

describe('imagepipe:skip', () => {
  it('suppresses every finding of the resource it sits in, with its reason', () => {
    const findings = scan(
      template(
        volume('A', '    # imagepipe:skip=ebs-volume-unencrypted scratch disk, wiped per run\n') +
          volume('B'),
      ),
    );
    expect(findings.map((f) => [f.resource, f.suppression?.justification])).toEqual([
      ['AWS::EC2::Volume A', 'scratch disk, wiped per run'],
      ['AWS::EC2::Volume B', undefined],
    ]);
    expect(findings[0]!.suppression).toMatchObject({ kind: 'inSource', via: 'imagepipe:skip' });
  });

  it('applies to the resource on the line below it', () => {
    const findings = scan(
      template(`  # imagepipe:skip=ebs-volume-unencrypted: test fixture\n${volume('A')}`),
    );
    expect(findings[0]!.suppression?.justification).toBe('test fixture');
  });

  it('is not honoured without a reason, and says so', () => {
    const findings = scan(template(volume('A', '    # imagepipe:skip=ebs-volume-unencrypted\n')));
    const ids = findings.map((f) => [f.ruleId, Boolean(f.suppression)]);
    expect(ids).toEqual([
      ['ebs-volume-unencrypted', false],
      ['suppression-invalid', false],
    ]);
    expect(findings[1]!.message).toMatch(/has no reason/);
    expect(findings[1]!.pos.line).toBe(5);
  });

  it('reports a skip naming an unknown rule', () => {
    const findings = scan(template(volume('A', '    # imagepipe:skip=ebs-volume-unencrypt typo\n')));
    expect(findings.find((f) => f.ruleId === 'suppression-invalid')!.message).toMatch(/ebs-volume-unencrypt/);
    expect(findings.find((f) => f.ruleId === 'ebs-volume-unencrypted')!.suppression).toBeUndefined();
  });

  it('does not apply to another rule', () => {
    const findings = scan(template(volume('A', '    # imagepipe:skip=s3-public-acl not this one\n')));
    expect(findings.filter((f) => f.ruleId === 'ebs-volume-unencrypted' && !f.suppression)).toHaveLength(1);
  });

  it('is ignored, and counted, when inline suppressions are not allowed', () => {
    const result = scanText(
      'stack.yaml',
      template(volume('A', '    # imagepipe:skip=ebs-volume-unencrypted ok\n')),
      rules,
      {
        allowInlineSuppressions: false,
      },
    );
    expect(result.findings[0]!.suppression).toBeUndefined();
    expect(result.ignoredSuppressions).toBe(1);
  });

  it('is not read from inside a string', () => {
    const text = template(
      `  A:\n    Type: AWS::EC2::Volume\n    Properties:\n      Size: 10\n      Tags: [{ Key: n, Value: "# imagepipe:skip=ebs-volume-unencrypted x" }]\n`,
    );
    expect(scan(text)[0]!.suppression).toBeUndefined();
  });
});

describe('the forms of other tools', () => {
  it('honours cfn_nag rules_to_suppress by cfn_nag id', () => {
    const meta =
      '    Metadata:\n      cfn_nag:\n        rules_to_suppress:\n          - id: F1\n            reason: encrypted by the account default\n';
    const [f] = scan(template(volume('A', meta)));
    expect(f!.suppression).toEqual({
      kind: 'inSource',
      via: 'cfn_nag',
      justification: 'encrypted by the account default',
    });
  });

  it('honours Metadata.checkov.skip and #checkov:skip= by checkov id', () => {
    const meta =
      '    Metadata:\n      checkov:\n        skip:\n          - id: CKV_AWS_3\n            comment: default encryption\n';
    expect(scan(template(volume('A', meta)))[0]!.suppression).toMatchObject({
      via: 'checkov',
      justification: 'default encryption',
    });
    const comment = '    #checkov:skip=CKV_AWS_3:account default\n';
    expect(scan(template(volume('A', comment)))[0]!.suppression).toMatchObject({
      via: 'checkov:skip',
      justification: 'account default',
    });
  });

  it('ignores a checkov id that maps to no rule of ours', () => {
    expect(scan(template(volume('A', '    #checkov:skip=CKV_AWS_999:x\n')))[0]!.suppression).toBeUndefined();
  });

  it('honours kics-scan ignore-line for the next line only', () => {
    const text = `AWSTemplateFormatVersion: "2010-09-09"\nResources:\n  A:\n    Type: AWS::EC2::Volume\n    Properties:\n      # kics-scan ignore-line\n      Encrypted: false\n  B:\n    Type: AWS::EC2::Volume\n    Properties:\n      Encrypted: false\n`;
    const findings = scan(text);
    expect(findings.map((f) => [f.pos.line, f.suppression?.via])).toEqual([
      [7, 'kics-scan ignore-line'],
      [11, undefined],
    ]);
  });

  it('honours kics-scan ignore-block for the resource that follows', () => {
    const text = template(`  # kics-scan ignore-block\n${volume('A')}${volume('B')}`);
    expect(scan(text).map((f) => f.suppression?.via)).toEqual(['kics-scan ignore-block', undefined]);
  });
});
