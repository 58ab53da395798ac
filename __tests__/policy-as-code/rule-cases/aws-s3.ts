import type { RuleCase } from './types.js';
import { jsonTemplate, lineOf, resource, RESOURCE_LINE, tf, TF_LINE } from './aws-template.js';

const bucket = (props: string, more = '') => resource('AWS::S3::Bucket', props, more);

/** A bucket policy whose statements start at line 16. */
const bucketPolicy = (statements: string) =>
  resource(
    'AWS::S3::BucketPolicy',
    `      Bucket: !Ref Data
      PolicyDocument:
        Statement:
${statements}`,
  );

const policyJsonString = jsonTemplate({
  Policy: {
    Type: 'AWS::S3::BucketPolicy',
    Properties: {
      Bucket: 'data',
      PolicyDocument: JSON.stringify({
        Statement: [
          {
            Effect: 'Allow',
            Principal: { AWS: '*' },
            Action: 's3:GetObject',
            Resource: 'arn:aws:s3:::data/*',
          },
        ],
      }),
    },
  },
});

const aclJson = jsonTemplate({
  B: { Type: 'AWS::S3::Bucket', Properties: { AccessControl: 'PublicReadWrite' } },
});

const fullyBlocked = `      PublicAccessBlockConfiguration:
        BlockPublicAcls: true
        BlockPublicPolicy: true
        IgnorePublicAcls: true
        RestrictPublicBuckets: true
`;

/** A Terraform public access block on `bucket` with all four settings on. */
const tfBlocked = (name: string, bucket: string) => `resource "aws_s3_bucket_public_access_block" "${name}" {
  bucket                  = ${bucket}
  block_public_acls       = true
  block_public_policy     = true
  ignore_public_acls      = true
  restrict_public_buckets = true
}
`;

export const S3_CASES: RuleCase[] = [
  {
    rule: 's3-public-acl',
    name: 'PublicRead, and AuthenticatedRead through a branch',
    file: 's3.yaml',
    text: bucket(
      '      AccessControl: PublicRead',
      `  Other:
    Type: AWS::S3::Bucket
    Properties:
      AccessControl: !If [Prod, Private, AuthenticatedRead]
`,
    ),
    lines: [13, 17],
  },
  {
    rule: 's3-public-acl',
    name: 'PublicReadWrite in JSON',
    file: 's3.json',
    text: aclJson,
    lines: [lineOf(aclJson, '"AccessControl"')],
  },
  {
    rule: 's3-public-acl',
    name: 'private and log delivery ACLs',
    file: 's3.yaml',
    text: bucket(
      '      AccessControl: Private',
      `  Logs:
    Type: AWS::S3::Bucket
    Properties:
      AccessControl: LogDeliveryWrite
`,
    ),
    lines: [],
  },
  {
    rule: 's3-public-policy',
    name: 'Principal "*" and {AWS: ["*"]} without a condition',
    file: 's3.yaml',
    text: bucketPolicy(`          - Effect: Allow
            Principal: "*"
            Action: s3:GetObject
            Resource: arn:aws:s3:::data/*
          - Sid: Everyone
            Effect: Allow
            Principal:
              AWS:
                - arn:aws:iam::123456789012:root
                - "*"
            Action: s3:PutObject
            Resource: arn:aws:s3:::data/*
`),
    lines: [17, 25],
  },
  {
    rule: 's3-public-policy',
    name: 'a policy given as a JSON string',
    file: 's3.json',
    text: policyJsonString,
    lines: [lineOf(policyJsonString, '"PolicyDocument"')],
  },
  {
    rule: 's3-public-policy',
    name: 'a condition that names the callers, a Deny, an IfExists condition and named principals',
    file: 's3.yaml',
    text: bucketPolicy(`          - Effect: Allow
            Principal: "*"
            Action: s3:GetObject
            Resource: arn:aws:s3:::data/*
            Condition:
              StringEquals:
                aws:SourceVpce: vpce-1a2b3c4d
          - Effect: Deny
            Principal: "*"
            Action: s3:*
            Resource: arn:aws:s3:::data/*
            Condition:
              Bool:
                aws:SecureTransport: false
          - Effect: Allow
            Principal: {AWS: arn:aws:iam::123456789012:role/reader}
            Action: s3:GetObject
            Resource: arn:aws:s3:::data/*
`),
    lines: [],
  },
  {
    rule: 's3-public-policy',
    name: 'a condition that does not narrow the callers',
    file: 's3.yaml',
    text: bucketPolicy(`          - Effect: Allow
            Principal: {AWS: "*"}
            Action: s3:GetObject
            Resource: arn:aws:s3:::data/*
            Condition:
              StringEqualsIfExists:
                aws:SourceVpce: vpce-1a2b3c4d
              IpAddress:
                aws:SourceIp: 0.0.0.0/0
`),
    lines: [17],
  },
  {
    rule: 's3-public-access-block-off',
    name: 'no configuration: the resource',
    file: 's3.yaml',
    text: bucket('      BucketName: data'),
    lines: [RESOURCE_LINE],
  },
  {
    rule: 's3-public-access-block-off',
    name: 'a flag false through a parameter, one left out',
    file: 's3.yaml',
    text: bucket(`      PublicAccessBlockConfiguration:
        BlockPublicAcls: true
        BlockPublicPolicy: !Ref Flag
        IgnorePublicAcls: true
`),
    lines: [15],
  },
  {
    rule: 's3-public-access-block-off',
    name: 'all four on',
    file: 's3.yaml',
    text: bucket(fullyBlocked),
    lines: [],
  },
  {
    rule: 's3-unencrypted',
    name: 'no BucketEncryption',
    file: 's3.yaml',
    text: bucket(fullyBlocked),
    lines: [RESOURCE_LINE],
  },
  {
    rule: 's3-unencrypted',
    name: 'SSE-KMS default encryption',
    file: 's3.yaml',
    text: bucket(`      BucketEncryption:
        ServerSideEncryptionConfiguration:
          - ServerSideEncryptionByDefault: {SSEAlgorithm: aws:kms}
            BucketKeyEnabled: true
`),
    lines: [],
  },
  {
    rule: 's3-versioning-off',
    name: 'no versioning, and suspended',
    file: 's3.yaml',
    text: bucket(
      '      BucketName: data',
      `  Old:
    Type: AWS::S3::Bucket
    Properties:
      VersioningConfiguration:
        Status: Suspended
`,
    ),
    lines: [RESOURCE_LINE, 18],
  },
  {
    rule: 's3-versioning-off',
    name: 'enabled',
    file: 's3.yaml',
    text: bucket('      VersioningConfiguration: {Status: Enabled}'),
    lines: [],
  },
  {
    rule: 's3-access-logging-off',
    name: 'a bucket without logging; its log bucket is exempt',
    file: 's3.yaml',
    text: bucket(
      '      BucketName: data',
      `  Logged:
    Type: AWS::S3::Bucket
    Properties:
      LoggingConfiguration:
        DestinationBucketName: !Ref Logs
        LogFilePrefix: logged/
  Logs:
    Type: AWS::S3::Bucket
    Properties:
      OwnershipControls:
        Rules: [{ObjectOwnership: BucketOwnerPreferred}]
`,
    ),
    lines: [RESOURCE_LINE],
  },
  {
    rule: 's3-access-logging-off',
    name: 'logging configured',
    file: 's3.yaml',
    text: bucket('      LoggingConfiguration:\n        DestinationBucketName: central-logs\n'),
    lines: [],
  },
  // Terraform
  {
    rule: 's3-public-acl',
    name: 'Terraform: v3 acl and grant, v4 aws_s3_bucket_acl (canned in a branch, and a grant)',
    file: 's3.tf',
    text: tf(`resource "aws_s3_bucket" "v3" {
  bucket = "site"
  acl    = "public-read"
}
resource "aws_s3_bucket" "grants" {
  grant {
    type        = "Group"
    uri         = "http://acs.amazonaws.com/groups/global/AllUsers"
    permissions = ["READ"]
  }
}
resource "aws_s3_bucket_acl" "v4" {
  bucket = aws_s3_bucket.v3.id
  acl    = var.open ? "private" : "authenticated-read"
}
resource "aws_s3_bucket_acl" "policy" {
  bucket = aws_s3_bucket.v3.id
  access_control_policy {
    grant {
      grantee {
        type = "Group"
        uri  = "http://acs.amazonaws.com/groups/global/AuthenticatedUsers"
      }
      permission = "READ"
    }
    owner {
      id = data.aws_canonical_user_id.current.id
    }
  }
}
`),
    lines: [8, 13, 19, 27],
  },
  {
    rule: 's3-public-acl',
    name: 'Terraform: private and log delivery ACLs, a grant to an account',
    file: 's3.tf',
    text: tf(`resource "aws_s3_bucket" "a" {
  acl = "private"
}
resource "aws_s3_bucket_acl" "logs" {
  bucket = aws_s3_bucket.a.id
  acl    = "log-delivery-write"
}
resource "aws_s3_bucket" "b" {
  grant {
    id          = data.aws_canonical_user_id.current.id
    type        = "CanonicalUser"
    permissions = ["FULL_CONTROL"]
  }
}
`),
    lines: [],
  },
  {
    rule: 's3-public-policy',
    name: 'Terraform: jsonencode, a heredoc on a v3 bucket, a policy document for S3 actions',
    file: 's3.tf',
    text: tf(`resource "aws_s3_bucket_policy" "p" {
  bucket = aws_s3_bucket.b.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = "*"
      Action    = "s3:GetObject"
      Resource  = "arn:aws:s3:::data/*"
    }]
  })
}
resource "aws_s3_bucket" "legacy" {
  policy = <<EOF
{"Statement": [{"Effect": "Allow", "Principal": {"AWS": "*"}, "Action": "s3:GetObject", "Resource": "arn:aws:s3:::legacy/*"}]}
EOF
}
data "aws_iam_policy_document" "public" {
  statement {
    actions   = ["s3:GetObject"]
    resources = ["arn:aws:s3:::data/*"]
    principals {
      type        = "*"
      identifiers = ["*"]
    }
  }
}
`),
    lines: [12, 19, 29],
  },
  {
    rule: 's3-public-policy',
    name: 'Terraform: a policy document the module uses as a bucket policy',
    file: 's3.tf',
    text: tf(`resource "aws_s3_bucket_policy" "p" {
  bucket = aws_s3_bucket.b.id
  policy = data.aws_iam_policy_document.p.json
}
data "aws_iam_policy_document" "p" {
  statement {
    sid       = "Everyone"
    actions   = ["s3:GetObject", "kms:Decrypt"]
    resources = ["*"]
    principals {
      type        = "AWS"
      identifiers = ["arn:aws:iam::123456789012:root", "*"]
    }
    condition {
      test     = "StringEqualsIfExists"
      variable = "aws:SourceVpce"
      values   = ["vpce-1a2b3c4d"]
    }
  }
}
`),
    lines: [17],
  },
  {
    rule: 's3-public-policy',
    name: 'Terraform: narrowed by a condition (also an unknown one), a Deny, named principals',
    file: 's3.tf',
    text: tf(`resource "aws_s3_bucket_policy" "p" {
  bucket = aws_s3_bucket.b.id
  policy = jsonencode({
    Statement = [
      {
        Effect    = "Allow"
        Principal = "*"
        Action    = "s3:GetObject"
        Resource  = "arn:aws:s3:::data/*"
        Condition = { StringEquals = { "aws:SourceVpce" = "vpce-1a2b3c4d" } }
      },
      {
        Effect    = "Deny"
        Principal = "*"
        Action    = "s3:*"
        Resource  = "arn:aws:s3:::data/*"
        Condition = { Bool = { "aws:SecureTransport" = "false" } }
      },
    ]
  })
}
data "aws_iam_policy_document" "org" {
  statement {
    actions = ["s3:GetObject"]
    principals {
      type        = "*"
      identifiers = ["*"]
    }
    condition {
      test     = "StringEquals"
      variable = "aws:PrincipalOrgID"
      values   = [var.free]
    }
  }
  statement {
    actions = ["s3:GetObject"]
    principals {
      type        = "AWS"
      identifiers = ["*"]
    }
    condition {
      test     = "StringEquals"
      variable = var.free
      values   = ["x"]
    }
  }
  statement {
    effect  = "Deny"
    actions = ["s3:*"]
    principals {
      type        = "*"
      identifiers = ["*"]
    }
  }
  statement {
    actions = ["s3:GetObject"]
    principals {
      type        = "AWS"
      identifiers = ["arn:aws:iam::123456789012:role/reader"]
    }
  }
}
`),
    lines: [],
  },
  {
    rule: 's3-public-access-block-off',
    name: 'Terraform: a bucket without a block, a block with a flag false and one missing, a block on another bucket',
    file: 's3.tf',
    text: tf(`resource "aws_s3_bucket" "data" {
  bucket = "data"
}
resource "aws_s3_bucket" "logs" {
  bucket = "logs"
}
resource "aws_s3_bucket_public_access_block" "logs" {
  bucket              = aws_s3_bucket.logs.id
  block_public_acls   = true
  block_public_policy = var.flag
  ignore_public_acls  = true
}
resource "aws_s3_bucket" "named" {
  bucket = "named"
}
${tfBlocked('elsewhere', '"someone-elses"')}`),
    lines: [TF_LINE, 15, 18],
  },
  {
    rule: 's3-public-access-block-off',
    name: 'Terraform: blocks by reference and by name; a data source is not ours',
    file: 's3.tf',
    text: tf(`resource "aws_s3_bucket" "a" {
  bucket = "a"
}
${tfBlocked('a', 'aws_s3_bucket.a.id')}resource "aws_s3_bucket" "b" {
  bucket = "b-bucket"
}
${tfBlocked('b', '"b-bucket"')}data "aws_s3_bucket" "existing" {
  bucket = "existing"
}
`),
    lines: [],
  },
  {
    rule: 's3-public-access-block-off',
    name: "Terraform: a block whose bucket cannot be attributed may be this bucket's",
    file: 's3.tf',
    text: tf(`resource "aws_s3_bucket" "c" {
  bucket_prefix = "c-"
}
${tfBlocked('c', 'module.names.bucket_id')}`),
    lines: [],
  },
  {
    rule: 's3-public-access-block-off',
    name: 'Terraform: an account-wide block with all four on',
    file: 's3.tf',
    text: tf(`resource "aws_s3_bucket" "c" {
  bucket = "c"
}
resource "aws_s3_account_public_access_block" "account" {
  block_public_acls       = true
  block_public_policy     = true
  ignore_public_acls      = true
  restrict_public_buckets = true
}
`),
    lines: [],
  },
  {
    rule: 's3-unencrypted',
    name: 'Terraform: a bucket without default encryption (another has its companion)',
    file: 's3.tf',
    text: tf(`resource "aws_s3_bucket" "plain" {
  bucket = "plain"
}
resource "aws_s3_bucket" "other" {
  bucket = "other"
}
resource "aws_s3_bucket_server_side_encryption_configuration" "other" {
  bucket = aws_s3_bucket.other.id
  rule {
    apply_server_side_encryption_by_default {
      sse_algorithm = "aws:kms"
    }
  }
}
`),
    lines: [TF_LINE],
  },
  {
    rule: 's3-unencrypted',
    name: 'Terraform: v3 inline encryption, v4 companion',
    file: 's3.tf',
    text: tf(`resource "aws_s3_bucket" "v3" {
  server_side_encryption_configuration {
    rule {
      apply_server_side_encryption_by_default {
        sse_algorithm = "aws:kms"
      }
    }
  }
}
resource "aws_s3_bucket" "v4" {
  bucket = "v4"
}
resource "aws_s3_bucket_server_side_encryption_configuration" "v4" {
  bucket = aws_s3_bucket.v4.bucket
  rule {
    apply_server_side_encryption_by_default {
      sse_algorithm = "aws:kms"
    }
    bucket_key_enabled = true
  }
}
`),
    lines: [],
  },
  {
    rule: 's3-versioning-off',
    name: 'Terraform: no versioning, v3 enabled false, v4 Suspended',
    file: 's3.tf',
    text: tf(`resource "aws_s3_bucket" "none" {
  bucket = "none"
}
resource "aws_s3_bucket" "v3" {
  versioning {
    enabled = false
  }
}
resource "aws_s3_bucket" "v4" {
  bucket = "v4"
}
resource "aws_s3_bucket_versioning" "v4" {
  bucket = aws_s3_bucket.v4.id
  versioning_configuration {
    status = "Suspended"
  }
}
`),
    lines: [TF_LINE, 11, 20],
  },
  {
    rule: 's3-versioning-off',
    name: 'Terraform: v3 and v4 enabled',
    file: 's3.tf',
    text: tf(`resource "aws_s3_bucket" "v3" {
  versioning {
    enabled = true
  }
}
resource "aws_s3_bucket" "v4" {
  bucket = "v4"
}
resource "aws_s3_bucket_versioning" "v4" {
  bucket = aws_s3_bucket.v4.id
  versioning_configuration {
    status = "Enabled"
  }
}
`),
    lines: [],
  },
  {
    rule: 's3-access-logging-off',
    name: 'Terraform: a bucket without logging; logged ones (v3, v4) and their log bucket are not',
    file: 's3.tf',
    text: tf(`resource "aws_s3_bucket" "data" {
  bucket = "data"
}
resource "aws_s3_bucket" "logged" {
  bucket = "logged"
}
resource "aws_s3_bucket_logging" "logged" {
  bucket        = aws_s3_bucket.logged.id
  target_bucket = aws_s3_bucket.logs.id
  target_prefix = "logged/"
}
resource "aws_s3_bucket" "logs" {
  bucket = "logs"
}
resource "aws_s3_bucket" "v3" {
  logging {
    target_bucket = aws_s3_bucket.logs.id
  }
}
`),
    lines: [TF_LINE],
  },
  {
    rule: 's3-access-logging-off',
    name: 'Terraform: log delivery buckets (v3 and v4 ACLs), logging whose bucket cannot be attributed',
    file: 's3.tf',
    text: tf(`resource "aws_s3_bucket" "v3logs" {
  acl = "log-delivery-write"
}
resource "aws_s3_bucket" "v4logs" {
  bucket = "v4logs"
}
resource "aws_s3_bucket_acl" "v4logs" {
  bucket = aws_s3_bucket.v4logs.id
  acl    = "log-delivery-write"
}
resource "aws_s3_bucket" "data" {
  bucket = "data"
}
resource "aws_s3_bucket_logging" "each" {
  for_each      = toset(["data"])
  bucket        = each.value
  target_bucket = aws_s3_bucket.v4logs.id
}
`),
    lines: [],
  },
];
