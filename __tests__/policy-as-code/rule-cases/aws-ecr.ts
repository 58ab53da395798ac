import type { RuleCase } from './types.js';
import { jsonTemplate, lineOf, resource, RESOURCE_LINE, tf, TF_LINE } from './aws-template.js';

const repo = (props: string, more = '') => resource('AWS::ECR::Repository', props, more);

const policyJson = jsonTemplate({
  Repo: {
    Type: 'AWS::ECR::Repository',
    Properties: {
      ImageTagMutability: 'IMMUTABLE',
      RepositoryPolicyText: JSON.stringify({
        Statement: [{ Effect: 'Allow', Principal: '*', Action: ['ecr:BatchGetImage', 'ecr:PutImage'] }],
      }),
    },
  },
});

export const ECR_CASES: RuleCase[] = [
  {
    rule: 'ecr-tags-mutable',
    name: 'absent, MUTABLE, and through a branch',
    file: 'ecr.yaml',
    text: repo(
      '      RepositoryName: app',
      `  Second:
    Type: AWS::ECR::Repository
    Properties:
      ImageTagMutability: MUTABLE
  Third:
    Type: AWS::ECR::Repository
    Properties:
      ImageTagMutability: !If [Prod, IMMUTABLE, MUTABLE]
`,
    ),
    lines: [RESOURCE_LINE, 17, 21],
  },
  {
    rule: 'ecr-tags-mutable',
    name: 'immutable, with or without exclusions, and unknown',
    file: 'ecr.yaml',
    text: repo(
      '      ImageTagMutability: IMMUTABLE',
      `  Second:
    Type: AWS::ECR::Repository
    Properties:
      ImageTagMutability: IMMUTABLE_WITH_EXCLUSION
  Third:
    Type: AWS::ECR::Repository
    Properties:
      ImageTagMutability: !Ref Free
`,
    ),
    lines: [],
  },
  {
    rule: 'ecr-scan-on-push-off',
    name: 'no scanning configuration, and "false"',
    file: 'ecr.yaml',
    text: repo(
      '      RepositoryName: app',
      `  Second:
    Type: AWS::ECR::Repository
    Properties:
      ImageScanningConfiguration:
        ScanOnPush: "false"
`,
    ),
    lines: [RESOURCE_LINE, 18],
  },
  {
    rule: 'ecr-scan-on-push-off',
    name: 'scan on push, or registry-level scanning',
    file: 'ecr.yaml',
    text: repo(
      '      ImageScanningConfiguration: {ScanOnPush: true}',
      `  Registry:
    Type: AWS::ECR::RegistryScanningConfiguration
    Properties:
      ScanType: ENHANCED
      Rules:
        - ScanFrequency: CONTINUOUS_SCAN
          RepositoryFilters: [{Filter: "*", FilterType: WILDCARD}]
  Unscanned:
    Type: AWS::ECR::Repository
    Properties:
      RepositoryName: other
`,
    ),
    lines: [],
  },
  {
    rule: 'ecr-policy-public',
    name: 'Principal "*" in a JSON string policy',
    file: 'ecr.json',
    text: policyJson,
    lines: [lineOf(policyJson, '"RepositoryPolicyText"')],
  },
  {
    rule: 'ecr-policy-public',
    name: '{AWS: "*"} in a YAML policy',
    file: 'ecr.yaml',
    text: repo(`      RepositoryPolicyText:
        Statement:
          - Sid: pull
            Effect: Allow
            Principal: {AWS: "*"}
            Action: [ecr:BatchGetImage, ecr:GetDownloadUrlForLayer]
`),
    lines: [17],
  },
  {
    rule: 'ecr-policy-public',
    name: 'named accounts, and "*" narrowed to the organization',
    file: 'ecr.yaml',
    text: repo(`      RepositoryPolicyText:
        Statement:
          - Effect: Allow
            Principal: {AWS: [arn:aws:iam::123456789012:root]}
            Action: ecr:BatchGetImage
          - Effect: Allow
            Principal: "*"
            Action: ecr:BatchGetImage
            Condition:
              ForAllValues:StringEquals:
                aws:PrincipalOrgID: [o-abc123]
`),
    lines: [],
  },
  // Terraform
  {
    rule: 'ecr-tags-mutable',
    name: 'Terraform: mutability left to its MUTABLE default, and set',
    file: 'ecr.tf',
    text: tf(`resource "aws_ecr_repository" "default" {
  name = "app"
}
resource "aws_ecr_repository" "mutable" {
  name                 = "app2"
  image_tag_mutability = "MUTABLE"
}
`),
    lines: [TF_LINE, 11],
  },
  {
    rule: 'ecr-tags-mutable',
    name: 'Terraform: immutable, with exclusions, unknown',
    file: 'ecr.tf',
    text: tf(`resource "aws_ecr_repository" "a" {
  image_tag_mutability = "IMMUTABLE"
}
resource "aws_ecr_repository" "b" {
  image_tag_mutability = "IMMUTABLE_WITH_EXCLUSION"
}
resource "aws_ecr_repository" "c" {
  image_tag_mutability = var.free
}
`),
    lines: [],
  },
  {
    rule: 'ecr-scan-on-push-off',
    name: 'Terraform: no scanning configuration, scan_on_push false',
    file: 'ecr.tf',
    text: tf(`resource "aws_ecr_repository" "none" {
  name = "a"
}
resource "aws_ecr_repository" "off" {
  image_scanning_configuration {
    scan_on_push = false
  }
}
`),
    lines: [TF_LINE, 11],
  },
  {
    rule: 'ecr-scan-on-push-off',
    name: 'Terraform: scan on push',
    file: 'ecr.tf',
    text: tf(`resource "aws_ecr_repository" "a" {
  image_scanning_configuration {
    scan_on_push = true
  }
}
`),
    lines: [],
  },
  {
    rule: 'ecr-scan-on-push-off',
    name: 'Terraform: registry-level scanning in the module',
    file: 'ecr.tf',
    text: tf(`resource "aws_ecr_repository" "a" {
  name = "a"
}
resource "aws_ecr_registry_scanning_configuration" "registry" {
  scan_type = "ENHANCED"
  rule {
    scan_frequency = "CONTINUOUS_SCAN"
    repository_filter {
      filter      = "*"
      filter_type = "WILDCARD"
    }
  }
}
`),
    lines: [],
  },
  {
    rule: 'ecr-policy-public',
    name: 'Terraform: a repository policy with {AWS = ["*"]}, a pull policy document',
    file: 'ecr.tf',
    text: tf(`resource "aws_ecr_repository_policy" "p" {
  repository = aws_ecr_repository.app.name
  policy = jsonencode({
    Statement = [{
      Sid       = "Pull"
      Effect    = "Allow"
      Principal = { AWS = ["*"] }
      Action    = ["ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer"]
    }]
  })
}
data "aws_iam_policy_document" "pull" {
  statement {
    actions = ["ecr:BatchGetImage"]
    principals {
      type        = "*"
      identifiers = ["*"]
    }
  }
}
`),
    lines: [12, 22],
  },
  {
    rule: 'ecr-policy-public',
    name: 'Terraform: an account, and everyone in the organization',
    file: 'ecr.tf',
    text: tf(`resource "aws_ecr_repository_policy" "p" {
  repository = aws_ecr_repository.app.name
  policy = jsonencode({
    Statement = [
      { Effect = "Allow", Principal = { AWS = "arn:aws:iam::123456789012:root" }, Action = "ecr:BatchGetImage" },
      {
        Effect    = "Allow"
        Principal = "*"
        Action    = "ecr:BatchGetImage"
        Condition = { StringEquals = { "aws:PrincipalOrgID" = "o-abc123" } }
      },
    ]
  })
}
`),
    lines: [],
  },
];
