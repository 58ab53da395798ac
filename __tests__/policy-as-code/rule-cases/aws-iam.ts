import type { RuleCase } from './types.js';
import { jsonTemplate, lineOf, resource } from './aws-template.js';

/** An AWS::IAM::ManagedPolicy whose statements start at line 15. */
const managed = (statements: string, more = '') =>
  resource(
    'AWS::IAM::ManagedPolicy',
    `      PolicyDocument:
        Statement:
${statements}`,
    more,
  );

/** An AWS::IAM::Role with a trust policy whose statements start at line 15. */
const role = (trust: string, more = '') =>
  resource(
    'AWS::IAM::Role',
    `      AssumeRolePolicyDocument:
        Statement:
${trust}${more}`,
  );

const roleJson = jsonTemplate({
  Role: {
    Type: 'AWS::IAM::Role',
    Properties: {
      AssumeRolePolicyDocument: {
        Statement: [
          { Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' },
        ],
      },
      Policies: [
        {
          PolicyName: 'admin',
          PolicyDocument: JSON.stringify({ Statement: { Effect: 'Allow', Action: '*', Resource: '*' } }),
        },
      ],
    },
  },
});

const ec2Trust = `          - Effect: Allow
            Principal: {Service: ec2.amazonaws.com}
            Action: sts:AssumeRole
`;

export const IAM_CASES: RuleCase[] = [
  {
    rule: 'iam-wildcard-action',
    name: '"*" and "s3:*" in a list, a parameter default',
    file: 'iam.yaml',
    text: managed(`          - Effect: Allow
            Action:
              - s3:*
              - ec2:DescribeInstances
            Resource: "*"
          - Effect: Allow
            Action: "*"
            Resource: arn:aws:s3:::data
          - Effect: Allow
            Action: !If [Prod, sqs:SendMessage, sqs:*]
            Resource: arn:aws:sqs:eu-west-1:123456789012:q
`),
    lines: [17, 21, 24],
  },
  {
    rule: 'iam-wildcard-action',
    name: 'inline role policy given as a JSON string',
    file: 'iam.json',
    text: roleJson,
    lines: [lineOf(roleJson, '"PolicyDocument"')],
  },
  {
    rule: 'iam-wildcard-action',
    name: 'prefix wildcards, and a Deny with *',
    file: 'iam.yaml',
    text: managed(`          - Effect: Allow
            Action: [s3:Get*, s3:List*]
            Resource: "*"
          - Effect: Deny
            Action: "*"
            Resource: "*"
            Condition: {Bool: {aws:MultiFactorAuthPresent: false}}
`),
    lines: [],
  },
  {
    rule: 'iam-wildcard-resource',
    name: 'write actions on "*"',
    file: 'iam.yaml',
    text: managed(`          - Effect: Allow
            Action: [s3:GetObject, s3:DeleteObject]
            Resource: "*"
          - Effect: Allow
            NotAction: iam:*
            Resource: ["*"]
`),
    lines: [17, 20],
  },
  {
    rule: 'iam-wildcard-resource',
    name: 'read-only actions on "*", writes on named resources',
    file: 'iam.yaml',
    text: managed(`          - Effect: Allow
            Action: [ec2:Describe*, s3:ListAllMyBuckets, cloudwatch:PutMetricData, sts:GetCallerIdentity]
            Resource: "*"
          - Effect: Allow
            Action: s3:PutObject
            Resource: !Sub arn:aws:s3:::\${AWS::StackName}/*
`),
    lines: [],
  },
  {
    rule: 'iam-not-action',
    name: 'Allow with NotAction in an inline user policy',
    file: 'iam.yaml',
    text: resource(
      'AWS::IAM::User',
      `      Policies:
        - PolicyName: almost-admin
          PolicyDocument:
            Statement:
              - Effect: Allow
                NotAction: [iam:*, organizations:*]
                Resource: "*"
`,
    ),
    lines: [18],
  },
  {
    rule: 'iam-not-action',
    name: 'Deny with NotAction',
    file: 'iam.yaml',
    text: managed(`          - Effect: Deny
            NotAction: [iam:*, sts:*]
            Resource: "*"
`),
    lines: [],
  },
  {
    rule: 'iam-full-admin',
    name: '"*" on "*", and through Fn::If in an AWS::IAM::Policy',
    file: 'iam.yaml',
    text: managed(
      `          - Effect: Allow
            Action: "*"
            Resource: "*"
`,
      `  Inline:
    Type: AWS::IAM::Policy
    Properties:
      PolicyName: p
      Roles: [r]
      PolicyDocument:
        Statement:
          - Effect: Allow
            Action: !If [Prod, "s3:GetObject", "*"]
            Resource: ["*"]
`,
    ),
    lines: [16, 26],
  },
  {
    rule: 'iam-full-admin',
    name: 'inline policy as a JSON string',
    file: 'iam.json',
    text: roleJson,
    lines: [lineOf(roleJson, '"PolicyDocument"')],
  },
  {
    rule: 'iam-full-admin',
    name: '"*" on a named resource, or a service wildcard on "*"',
    file: 'iam.yaml',
    text: managed(`          - Effect: Allow
            Action: "*"
            Resource: arn:aws:s3:::data
          - Effect: Allow
            Action: s3:*
            Resource: "*"
`),
    lines: [],
  },
  {
    rule: 'iam-trust-any-principal',
    name: 'Principal "*" and {AWS: "*"} with a condition that does not narrow',
    file: 'iam.yaml',
    text: role(`          - Effect: Allow
            Principal: "*"
            Action: sts:AssumeRole
          - Effect: Allow
            Principal: {AWS: "*"}
            Action: sts:AssumeRole
            Condition: {StringEquals: {sts:ExternalId: secret}}
`),
    lines: [16, 19],
  },
  {
    rule: 'iam-trust-any-principal',
    name: 'a service, and "*" narrowed to the organization',
    file: 'iam.yaml',
    text: role(
      ec2Trust,
      `          - Effect: Allow
            Principal: {AWS: "*"}
            Action: sts:AssumeRole
            Condition: {StringEquals: {aws:PrincipalOrgID: o-abc123}}
`,
    ),
    lines: [],
  },
  {
    rule: 'iam-user-inline-policy',
    name: 'user with Policies, AWS::IAM::Policy with Users',
    file: 'iam.yaml',
    text: resource(
      'AWS::IAM::User',
      `      Policies:
        - PolicyName: p
          PolicyDocument: {Statement: [{Effect: Allow, Action: s3:GetObject, Resource: "*"}]}
`,
      `  Inline:
    Type: AWS::IAM::Policy
    Properties:
      PolicyName: p
      Users: [!Ref R]
      PolicyDocument: {Statement: [{Effect: Allow, Action: s3:GetObject, Resource: "*"}]}
`,
    ),
    lines: [14, 20],
  },
  {
    rule: 'iam-user-inline-policy',
    name: 'a user in a group, a policy on a group',
    file: 'iam.yaml',
    text: resource(
      'AWS::IAM::User',
      '      Groups: [devs]\n      Policies: []',
      `  Inline:
    Type: AWS::IAM::Policy
    Properties:
      PolicyName: p
      Groups: [devs]
      PolicyDocument: {Statement: [{Effect: Allow, Action: s3:GetObject, Resource: "*"}]}
`,
    ),
    lines: [],
  },
];
