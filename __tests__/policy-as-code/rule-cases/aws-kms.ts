import type { RuleCase } from './types.js';
import { jsonTemplate, lineOf, resource, RESOURCE_LINE, tf, TF_LINE } from './aws-template.js';

const key = (props: string, more = '') => resource('AWS::KMS::Key', props, more);

const keyJson = jsonTemplate({
  Key: {
    Type: 'AWS::KMS::Key',
    Properties: {
      EnableKeyRotation: true,
      KeyPolicy: {
        Statement: [
          {
            Effect: 'Allow',
            Principal: { AWS: 'arn:aws:iam::123456789012:root' },
            Action: 'kms:*',
            Resource: '*',
          },
          { Effect: 'Allow', Principal: { AWS: ['*'] }, Action: 'kms:Decrypt', Resource: '*' },
        ],
      },
    },
  },
});

export const KMS_CASES: RuleCase[] = [
  {
    rule: 'kms-rotation-off',
    name: 'absent, and false through a parameter',
    file: 'kms.yaml',
    text: key(
      '      Description: data',
      `  Second:
    Type: AWS::KMS::Key
    Properties:
      EnableKeyRotation: !Ref Flag
`,
    ),
    lines: [RESOURCE_LINE, 17],
  },
  {
    rule: 'kms-rotation-off',
    name: 'rotating, asymmetric, HMAC and imported keys',
    file: 'kms.yaml',
    text: key(
      '      EnableKeyRotation: true',
      `  Signing:
    Type: AWS::KMS::Key
    Properties:
      KeySpec: RSA_2048
      KeyUsage: SIGN_VERIFY
  Mac:
    Type: AWS::KMS::Key
    Properties:
      KeySpec: HMAC_256
      KeyUsage: GENERATE_VERIFY_MAC
  Imported:
    Type: AWS::KMS::Key
    Properties:
      Origin: EXTERNAL
`,
    ),
    lines: [],
  },
  {
    rule: 'kms-policy-wildcard-principal',
    name: '{AWS: ["*"]} in JSON',
    file: 'kms.json',
    text: keyJson,
    lines: [lineOf(keyJson, '"*"', 2) + 0],
  },
  {
    rule: 'kms-policy-wildcard-principal',
    name: 'Principal "*" without a condition',
    file: 'kms.yaml',
    text: key(`      KeyPolicy:
        Statement:
          - Effect: Allow
            Principal: "*"
            Action: kms:Decrypt
            Resource: "*"
`),
    lines: [16],
  },
  {
    rule: 'kms-policy-wildcard-principal',
    name: 'the account root, and "*" limited to the caller account and a service',
    file: 'kms.yaml',
    text: key(`      KeyPolicy:
        Statement:
          - Effect: Allow
            Principal: {AWS: !Sub "arn:aws:iam::\${AWS::AccountId}:root"}
            Action: kms:*
            Resource: "*"
          - Effect: Allow
            Principal: {AWS: "*"}
            Action: [kms:Encrypt, kms:Decrypt]
            Resource: "*"
            Condition:
              StringEquals:
                kms:CallerAccount: !Ref AWS::AccountId
                kms:ViaService: ec2.eu-west-1.amazonaws.com
`),
    lines: [],
  },
  // Terraform
  {
    rule: 'kms-rotation-off',
    name: 'Terraform: rotation left to its false default, false through a variable',
    file: 'kms.tf',
    text: tf(`resource "aws_kms_key" "none" {
  description = "data"
}
resource "aws_kms_key" "off" {
  enable_key_rotation = var.flag
}
`),
    lines: [TF_LINE, 10],
  },
  {
    rule: 'kms-rotation-off',
    name: 'Terraform: rotating; asymmetric, HMAC and custom key store keys cannot rotate',
    file: 'kms.tf',
    text: tf(`resource "aws_kms_key" "rotating" {
  enable_key_rotation = true
}
resource "aws_kms_key" "signing" {
  customer_master_key_spec = "RSA_2048"
  key_usage                = "SIGN_VERIFY"
}
resource "aws_kms_key" "hmac" {
  customer_master_key_spec = "HMAC_256"
  key_usage                = "GENERATE_VERIFY_MAC"
}
resource "aws_kms_key" "hsm" {
  custom_key_store_id = aws_kms_custom_key_store.hsm.id
}
`),
    lines: [],
  },
  {
    rule: 'kms-policy-wildcard-principal',
    name: 'Terraform: a key policy with {AWS = "*"}, a key policy resource reading a document',
    file: 'kms.tf',
    text: tf(`resource "aws_kms_key" "k" {
  policy = jsonencode({
    Statement = [{ Effect = "Allow", Principal = { AWS = "*" }, Action = "kms:*", Resource = "*" }]
  })
}
resource "aws_kms_key_policy" "kp" {
  key_id = aws_kms_key.k.id
  policy = data.aws_iam_policy_document.key.json
}
data "aws_iam_policy_document" "key" {
  statement {
    actions   = ["kms:Decrypt", "s3:GetObject"]
    resources = ["*"]
    principals {
      type        = "AWS"
      identifiers = ["*"]
    }
  }
}
`),
    lines: [8, 21],
  },
  {
    rule: 'kms-policy-wildcard-principal',
    name: 'Terraform: the account root, and "*" narrowed to the caller account',
    file: 'kms.tf',
    text: tf(`data "aws_iam_policy_document" "key" {
  statement {
    actions   = ["kms:*"]
    resources = ["*"]
    principals {
      type        = "AWS"
      identifiers = ["arn:aws:iam::\${data.aws_caller_identity.current.account_id}:root"]
    }
  }
  statement {
    actions   = ["kms:Decrypt"]
    resources = ["*"]
    principals {
      type        = "AWS"
      identifiers = ["*"]
    }
    condition {
      test     = "StringEquals"
      variable = "kms:CallerAccount"
      values   = [data.aws_caller_identity.current.account_id]
    }
  }
}
`),
    lines: [],
  },
];
