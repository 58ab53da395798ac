import type { RuleCase } from './types.js';
import { jsonTemplate, lineOf, resource, tf, TF_LINE } from './aws-template.js';

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
  // Terraform
  {
    rule: 'iam-wildcard-action',
    name: 'Terraform: jsonencode, a role inline_policy heredoc, a policy document',
    file: 'iam.tf',
    text: tf(`resource "aws_iam_policy" "p" {
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Effect   = "Allow"
        Action   = ["s3:*", "ec2:DescribeInstances"]
        Resource = "*"
      },
    ]
  })
}
resource "aws_iam_role" "r" {
  assume_role_policy = jsonencode({
    Statement = [{ Effect = "Allow", Principal = { Service = "ec2.amazonaws.com" }, Action = "sts:AssumeRole" }]
  })
  inline_policy {
    name   = "all"
    policy = <<-EOT
      {"Statement": {"Effect": "Allow", "Action": "*", "Resource": "arn:aws:s3:::data"}}
    EOT
  }
}
data "aws_iam_policy_document" "d" {
  statement {
    actions   = ["sqs:*"]
    resources = ["arn:aws:sqs:eu-west-1:123456789012:q"]
  }
}
`),
    lines: [12, 24, 31],
  },
  {
    rule: 'iam-wildcard-action',
    name: 'Terraform: prefix wildcards, a Deny, a policy read from a document, a resource policy statement',
    file: 'iam.tf',
    text: tf(`data "aws_iam_policy_document" "d" {
  statement {
    actions   = ["s3:Get*", "s3:List*"]
    resources = ["*"]
  }
  statement {
    effect    = "Deny"
    actions   = ["*"]
    resources = ["*"]
  }
  statement {
    actions   = ["s3:*"]
    resources = ["arn:aws:s3:::data/*"]
    principals {
      type        = "AWS"
      identifiers = ["arn:aws:iam::123456789012:root"]
    }
  }
}
resource "aws_iam_role_policy" "p" {
  role   = aws_iam_role.r.id
  policy = data.aws_iam_policy_document.d.json
}
`),
    lines: [],
  },
  {
    rule: 'iam-wildcard-resource',
    name: 'Terraform: write actions and NotAction on "*", in a role policy and a policy document',
    file: 'iam.tf',
    text: tf(`resource "aws_iam_role_policy" "p" {
  role = aws_iam_role.r.id
  policy = jsonencode({
    Statement = [
      { Effect = "Allow", Action = ["s3:GetObject", "s3:DeleteObject"], Resource = "*" },
      { Effect = "Allow", NotAction = "iam:*", Resource = ["*"] },
    ]
  })
}
data "aws_iam_policy_document" "d" {
  statement {
    actions   = ["ec2:TerminateInstances"]
    resources = ["*"]
  }
}
`),
    lines: [10, 11, 18],
  },
  {
    rule: 'iam-wildcard-resource',
    name: 'Terraform: read-only actions on "*", writes on named resources',
    file: 'iam.tf',
    text: tf(`data "aws_iam_policy_document" "d" {
  statement {
    actions   = ["ec2:Describe*", "s3:ListAllMyBuckets", "cloudwatch:PutMetricData"]
    resources = ["*"]
  }
  statement {
    actions   = ["s3:PutObject"]
    resources = ["\${aws_s3_bucket.b.arn}/*"]
  }
}
`),
    lines: [],
  },
  {
    rule: 'iam-not-action',
    name: 'Terraform: NotAction in a user policy, not_actions in a policy document',
    file: 'iam.tf',
    text: tf(`resource "aws_iam_user_policy" "u" {
  user = "alice"
  policy = jsonencode({
    Statement = [{ Effect = "Allow", NotAction = ["iam:*", "organizations:*"], Resource = "*" }]
  })
}
data "aws_iam_policy_document" "d" {
  statement {
    not_actions = ["iam:*"]
    resources   = ["*"]
  }
}
`),
    lines: [9, 14],
  },
  {
    rule: 'iam-not-action',
    name: 'Terraform: Deny with not_actions',
    file: 'iam.tf',
    text: tf(`data "aws_iam_policy_document" "d" {
  statement {
    effect      = "Deny"
    not_actions = ["iam:*", "sts:*"]
    resources   = ["*"]
  }
}
`),
    lines: [],
  },
  {
    rule: 'iam-full-admin',
    name: 'Terraform: "*" on "*" in a group policy, a policy document and one branch',
    file: 'iam.tf',
    text: tf(`resource "aws_iam_group_policy" "g" {
  group = "admins"
  policy = jsonencode({
    Statement = [{ Effect = "Allow", Action = "*", Resource = "*" }]
  })
}
data "aws_iam_policy_document" "d" {
  statement {
    actions   = ["*"]
    resources = ["*"]
  }
}
resource "aws_iam_policy" "cond" {
  policy = jsonencode({
    Statement = [{
      Effect   = "Allow"
      Action   = var.open ? "*" : "s3:GetObject"
      Resource = ["*"]
    }]
  })
}
`),
    lines: [9, 14, 22],
  },
  {
    rule: 'iam-full-admin',
    name: 'Terraform: "*" on a named resource, a service wildcard on "*"',
    file: 'iam.tf',
    text: tf(`data "aws_iam_policy_document" "d" {
  statement {
    actions   = ["*"]
    resources = ["arn:aws:s3:::data"]
  }
  statement {
    actions   = ["s3:*"]
    resources = ["*"]
  }
}
`),
    lines: [],
  },
  {
    rule: 'iam-trust-any-principal',
    name: 'Terraform: "*" in assume_role_policy, documents used as or shaped like a trust policy',
    file: 'iam.tf',
    text: tf(`resource "aws_iam_role" "open" {
  assume_role_policy = jsonencode({
    Statement = [
      { Effect = "Allow", Principal = "*", Action = "sts:AssumeRole" },
      {
        Effect    = "Allow"
        Principal = { AWS = "*" }
        Action    = "sts:AssumeRole"
        Condition = { StringEquals = { "sts:ExternalId" = "secret" } }
      },
    ]
  })
}
resource "aws_iam_role" "doc" {
  assume_role_policy = data.aws_iam_policy_document.trust.json
}
data "aws_iam_policy_document" "trust" {
  statement {
    actions = ["sts:AssumeRole", "sts:TagSession"]
    principals {
      type        = "AWS"
      identifiers = ["*"]
    }
  }
}
data "aws_iam_policy_document" "inferred" {
  statement {
    actions = ["sts:AssumeRole"]
    principals {
      type        = "*"
      identifiers = ["*"]
    }
  }
}
`),
    lines: [9, 12, 27, 36],
  },
  {
    rule: 'iam-trust-any-principal',
    name: 'Terraform: a service, "*" narrowed to the organization, a bucket policy document',
    file: 'iam.tf',
    text: tf(`resource "aws_iam_role" "svc" {
  assume_role_policy = data.aws_iam_policy_document.trust.json
}
data "aws_iam_policy_document" "trust" {
  statement {
    actions = ["sts:AssumeRole"]
    principals {
      type        = "Service"
      identifiers = ["ec2.amazonaws.com"]
    }
  }
  statement {
    actions = ["sts:AssumeRole"]
    principals {
      type        = "AWS"
      identifiers = ["*"]
    }
    condition {
      test     = "StringEquals"
      variable = "aws:PrincipalOrgID"
      values   = ["o-abc123"]
    }
  }
}
data "aws_iam_policy_document" "bucket" {
  statement {
    actions = ["s3:GetObject"]
    principals {
      type        = "*"
      identifiers = ["*"]
    }
  }
}
`),
    lines: [],
  },
  {
    rule: 'iam-user-inline-policy',
    name: 'Terraform: a user policy, a user attachment, a shared attachment with users',
    file: 'iam.tf',
    text: tf(`resource "aws_iam_user_policy" "u" {
  user   = aws_iam_user.alice.name
  policy = data.aws_iam_policy_document.p.json
}
resource "aws_iam_user_policy_attachment" "a" {
  user       = aws_iam_user.alice.name
  policy_arn = aws_iam_policy.p.arn
}
resource "aws_iam_policy_attachment" "shared" {
  name       = "shared"
  users      = [aws_iam_user.alice.name]
  policy_arn = aws_iam_policy.p.arn
}
`),
    lines: [TF_LINE, 10, 16],
  },
  {
    rule: 'iam-user-inline-policy',
    name: 'Terraform: a group policy, an attachment to groups only',
    file: 'iam.tf',
    text: tf(`resource "aws_iam_group_policy" "g" {
  group  = aws_iam_group.devs.name
  policy = data.aws_iam_policy_document.p.json
}
resource "aws_iam_policy_attachment" "shared" {
  name       = "shared"
  users      = []
  groups     = [aws_iam_group.devs.name]
  policy_arn = aws_iam_policy.p.arn
}
`),
    lines: [],
  },
];
