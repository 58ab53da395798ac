import { describe, expect, it } from '@jest/globals';
import {
  customRule,
  parsePath,
  type CustomRuleSpec,
  type Requirement,
} from '../../src/policy-as-code/custom.js';
import { checkDoc } from '../../src/policy-as-code/engine.js';
import { parseFile } from '../../src/policy-as-code/parse/index.js';

function rule(path: string, require: Requirement[], resources = ['AWS::EC2::Instance']) {
  const spec: CustomRuleSpec = {
    id: 'acme-test',
    title: 'A custom rule for tests',
    severity: 'medium',
    format: 'cloudformation',
    resources,
    path: parsePath(path)!,
    pathText: path,
    require,
  };
  return customRule(spec);
}

const TEMPLATE = `AWSTemplateFormatVersion: "2010-09-09"
Parameters:
  Type:
    Type: String
    Default: t2.micro
Conditions:
  Big: !Equals [a, b]
Resources:
  I:
    Type: AWS::EC2::Instance
    Properties:
      InstanceType: !Ref Type
      Monitoring: !If [Big, true, "false"]
      BlockDeviceMappings:
        - DeviceName: /dev/xvda
          Ebs: { Encrypted: true, VolumeSize: 100 }
        - DeviceName: /dev/xvdb
          Ebs: { VolumeSize: 20 }
`;

function lines(r: ReturnType<typeof rule>) {
  const doc = parseFile('t.yaml', TEMPLATE).docs[0]!;
  return checkDoc(doc, [r]).map((f) => f.pos.line);
}

describe('parsePath', () => {
  it('reads keys, wildcards, indexes and quoted keys', () => {
    expect(parsePath('A.B[*].C[0]["x.y"]')).toEqual(['A', 'B', '*', 'C', 0, 'x.y']);
    expect(parsePath('A..B')).toBeUndefined();
    expect(parsePath('')).toBeUndefined();
  });
});

describe('custom rules', () => {
  it('resolves a parameter default', () => {
    expect(lines(rule('InstanceType', [{ op: 'one-of', value: ['t3.micro', 't3.small'] }]))).toEqual([12]);
    expect(lines(rule('InstanceType', [{ op: 'matches', value: /^t2\./ }]))).toEqual([]);
  });

  it('reports when one branch of a condition breaks the requirement', () => {
    expect(lines(rule('Monitoring', [{ op: 'equals', value: true }]))).toEqual([13]);
  });

  it('checks every list item with [*], pointing at the item when the attribute is absent', () => {
    expect(lines(rule('BlockDeviceMappings[*].Ebs.Encrypted', [{ op: 'equals', value: true }]))).toEqual([
      18,
    ]);
    expect(
      lines(rule('BlockDeviceMappings[*].Ebs.VolumeSize', [{ op: 'less-or-equal', value: 50 }])),
    ).toEqual([16]);
  });

  it('treats an absent attribute as breaking positive requirements and meeting negative ones', () => {
    expect(lines(rule('IamInstanceProfile', [{ op: 'exists', value: undefined }]))).toEqual([9]);
    expect(lines(rule('IamInstanceProfile', [{ op: 'not-equals', value: 'x' }]))).toEqual([]);
    expect(lines(rule('KeyName', [{ op: 'absent', value: undefined }]))).toEqual([]);
  });

  it('does not report a value that cannot be known', () => {
    const text = TEMPLATE.replace('!Ref Type', '!GetAtt Other.Type');
    const doc = parseFile('t.yaml', text).docs[0]!;
    expect(checkDoc(doc, [rule('InstanceType', [{ op: 'equals', value: 'x' }])])).toEqual([]);
  });
});
