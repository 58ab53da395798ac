import type { RuleCase } from './types.js';
import { resource, RESOURCE_LINE, tf, TF_LINE } from './aws-template.js';

const trail = (props: string) =>
  resource('AWS::CloudTrail::Trail', `      S3BucketName: trail-logs\n${props}`);

const good = `      IsLogging: true
      EnableLogFileValidation: true
      IsMultiRegionTrail: true
      KMSKeyId: alias/trail
`;

/** A Terraform trail `name` (its header on line 6 when first), with `props` after its bucket. */
const tfTrail = (props: string, name = 'main') => `resource "aws_cloudtrail" "${name}" {
  name           = "${name}"
  s3_bucket_name = "trail-logs"
${props}}
`;

const TF_SECURE = `  enable_log_file_validation = true
  is_multi_region_trail      = true
  kms_key_id                 = aws_kms_key.trail.arn
`;

export const CLOUDTRAIL_CASES: RuleCase[] = [
  {
    rule: 'cloudtrail-logging-off',
    name: 'IsLogging false through a parameter',
    file: 'trail.yaml',
    text: trail('      IsLogging: !Ref Flag'),
    lines: [14],
  },
  {
    rule: 'cloudtrail-logging-off',
    name: 'logging',
    file: 'trail.yaml',
    text: trail(good),
    lines: [],
  },
  {
    rule: 'cloudtrail-log-validation-off',
    name: 'absent, and false',
    file: 'trail.yaml',
    text: trail('      IsLogging: true'),
    lines: [RESOURCE_LINE],
  },
  {
    rule: 'cloudtrail-log-validation-off',
    name: 'false in one branch',
    file: 'trail.yaml',
    text: trail('      IsLogging: true\n      EnableLogFileValidation: !If [Prod, true, false]'),
    lines: [15],
  },
  {
    rule: 'cloudtrail-log-validation-off',
    name: 'validating',
    file: 'trail.yaml',
    text: trail(good),
    lines: [],
  },
  {
    rule: 'cloudtrail-unencrypted',
    name: 'no KMSKeyId',
    file: 'trail.yaml',
    text: trail('      IsLogging: true'),
    lines: [RESOURCE_LINE],
  },
  {
    rule: 'cloudtrail-unencrypted',
    name: 'a KMS key',
    file: 'trail.yaml',
    text: trail(good),
    lines: [],
  },
  {
    rule: 'cloudtrail-not-multi-region',
    name: 'absent, and "false"',
    file: 'trail.yaml',
    text: trail('      IsLogging: true\n      IsMultiRegionTrail: "false"'),
    lines: [15],
  },
  {
    rule: 'cloudtrail-not-multi-region',
    name: 'every region',
    file: 'trail.yaml',
    text: trail(good),
    lines: [],
  },
  // Terraform
  {
    rule: 'cloudtrail-logging-off',
    name: 'Terraform: enable_logging false',
    file: 'trail.tf',
    text: tf(tfTrail('  enable_logging = false\n')),
    lines: [9],
  },
  {
    rule: 'cloudtrail-logging-off',
    name: 'Terraform: logging by default, or unknown',
    file: 'trail.tf',
    text: tf(tfTrail('') + tfTrail('  enable_logging = var.free\n', 'other')),
    lines: [],
  },
  {
    rule: 'cloudtrail-log-validation-off',
    name: 'Terraform: validation left to its false default, and "false"',
    file: 'trail.tf',
    text: tf(tfTrail('') + tfTrail('  enable_log_file_validation = "false"\n', 'other')),
    lines: [TF_LINE, 13],
  },
  {
    rule: 'cloudtrail-log-validation-off',
    name: 'Terraform: validation on',
    file: 'trail.tf',
    text: tf(tfTrail(TF_SECURE)),
    lines: [],
  },
  {
    rule: 'cloudtrail-unencrypted',
    name: 'Terraform: no kms_key_id',
    file: 'trail.tf',
    text: tf(tfTrail('  is_multi_region_trail = true\n')),
    lines: [TF_LINE],
  },
  {
    rule: 'cloudtrail-unencrypted',
    name: 'Terraform: a KMS key',
    file: 'trail.tf',
    text: tf(tfTrail(TF_SECURE)),
    lines: [],
  },
  {
    rule: 'cloudtrail-not-multi-region',
    name: 'Terraform: one region by default, and false through a variable',
    file: 'trail.tf',
    text: tf(tfTrail('') + tfTrail('  is_multi_region_trail = var.flag\n', 'other')),
    lines: [TF_LINE, 13],
  },
  {
    rule: 'cloudtrail-not-multi-region',
    name: 'Terraform: every region',
    file: 'trail.tf',
    text: tf(tfTrail(TF_SECURE)),
    lines: [],
  },
];
