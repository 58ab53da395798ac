import { describe, expect, it } from '@jest/globals';
import { get } from '../../src/policy-as-code/model.js';
import { parseFile } from '../../src/policy-as-code/parse/index.js';
import {
  conditionNarrows,
  isReadOnlyAction,
  isWildcardAction,
  mapItems,
  mayAllow,
  policyDocuments,
  statements,
  stringsAt,
  wildcardPrincipals,
} from '../../src/policy-as-code/rules/aws-helpers.js';
import type { Doc, MapNode } from '../../src/policy-as-code/types.js';

function template(props: string): { doc: Doc; body: MapNode } {
  const text = `Parameters:
  Act: {Type: String, Default: "s3:*"}
  Free: {Type: String}
Conditions:
  Prod: !Equals [!Ref AWS::Region, eu-west-1]
Resources:
  P:
    Type: AWS::IAM::ManagedPolicy
    Properties:
${props}`;
  const { docs, errors } = parseFile('t.yaml', text);
  expect(errors).toEqual([]);
  const doc = docs[0]!;
  return { doc, body: doc.resources[0]!.body };
}

describe('action patterns', () => {
  it.each([
    ['*', true],
    ['s3:*', true],
    ['ec2-instance-connect:*', true],
    ['s3:Get*', false],
    ['s3:GetObject', false],
  ])('isWildcardAction(%s) is %s', (action, expected) => {
    expect(isWildcardAction(action)).toBe(expected);
  });

  it.each([
    ['s3:GetObject', true],
    ['ec2:Describe*', true],
    ['dynamodb:BatchGetItem', true],
    ['cloudwatch:PutMetricData', true],
    ['s3:G*', false],
    ['s3:*', false],
    ['*', false],
    ['s3:PutObject', false],
    ['iam:PassRole', false],
    ['s3:*Object', false],
  ])('isReadOnlyAction(%s) is %s', (action, expected) => {
    expect(isReadOnlyAction(action)).toBe(expected);
  });
});

describe('policy documents', () => {
  it('reads statements as a single map, a list, and through Fn::If', () => {
    const { doc, body } = template(`      PolicyDocument:
        Statement:
          - !If
            - Prod
            - {Effect: Allow, Action: s3:GetObject, Resource: "*"}
            - {Effect: Allow, Action: !Ref Act, Resource: "*"}
          - Effect: Deny
            Action: "*"
            Resource: "*"
`);
    const [policy] = policyDocuments(get(body, 'PolicyDocument'), doc);
    const sts = statements(policy!, doc);
    expect(sts).toHaveLength(3);
    expect(sts.map((s) => mayAllow(s, doc))).toEqual([true, true, false]);
    expect(stringsAt(get(sts[1], 'Action'), doc).map((a) => a.value)).toEqual(['s3:*']);
  });

  it('parses a JSON string and a Fn::Sub of JSON, keeping placeholders as text', () => {
    const { doc, body } =
      template(`      PolicyDocument: !Sub '{"Statement": {"Effect": "Allow", "Principal": "\${Who}", "Action": "*", "Resource": "arn:aws:s3:::\${B}/*"}}'
      Other: '{"Statement": [{"Effect": "Allow", "Principal": {"AWS": ["*"]}, "Action": "s3:GetObject"}]}'
      Broken: '{"Statement": ['
`);
    const sub = statements(policyDocuments(get(body, 'PolicyDocument'), doc)[0]!, doc);
    expect(stringsAt(get(sub[0], 'Principal'), doc).map((p) => p.value)).toEqual(['${Who}']);
    expect(wildcardPrincipals(sub[0]!, doc)).toEqual([]);
    const other = statements(policyDocuments(get(body, 'Other'), doc)[0]!, doc);
    expect(wildcardPrincipals(other[0]!, doc).map((p) => p.pos.line)).toEqual([11]);
    expect(policyDocuments(get(body, 'Broken'), doc)).toEqual([]);
  });

  it('tells conditions that name the callers from ones that do not', () => {
    const { doc, body } = template(`      Statements:
        - Condition: {StringEquals: {aws:PrincipalOrgID: o-abc}}
        - Condition: {StringEqualsIfExists: {aws:PrincipalOrgID: o-abc}}
        - Condition: {IpAddress: {aws:SourceIp: 0.0.0.0/0}}
        - Condition: {Bool: {aws:SecureTransport: true}}
        - Condition: !If [Prod, {StringEquals: {aws:SourceVpce: vpce-1}}, !Ref AWS::NoValue]
        - Condition: {StringEquals: {kms:CallerAccount: !Ref AWS::AccountId}}
        - Condition: {StringLike: {aws:PrincipalArn: "*"}}
        - Effect: Allow
`);
    const sts = mapItems(get(body, 'Statements'), doc);
    expect(sts.map((s) => conditionNarrows(s, doc))).toEqual([
      true,
      false,
      false,
      false,
      false,
      true,
      false,
      false,
    ]);
  });
});
