/** The AWS rules, one file per service; each rule covers CloudFormation and Terraform (its `terraform` checks). */
import type { Rule } from '../../types.js';
import { CLOUDTRAIL_RULES } from './cloudtrail.js';
import { EBS_RULES } from './ebs.js';
import { EC2_RULES } from './ec2.js';
import { ECR_RULES } from './ecr.js';
import { EFS_RULES } from './efs.js';
import { ELB_RULES } from './elb.js';
import { IAM_RULES } from './iam.js';
import { IMAGEBUILDER_RULES } from './imagebuilder.js';
import { KMS_RULES } from './kms.js';
import { LOGS_RULES } from './logs.js';
import { RDS_RULES } from './rds.js';
import { S3_RULES } from './s3.js';
import { SECURITY_GROUP_RULES } from './security-group.js';
import { SNS_RULES } from './sns.js';
import { SQS_RULES } from './sqs.js';

export const AWS_RULES: Rule[] = [
  ...EBS_RULES,
  ...EC2_RULES,
  ...SECURITY_GROUP_RULES,
  ...S3_RULES,
  ...IAM_RULES,
  ...ECR_RULES,
  ...KMS_RULES,
  ...RDS_RULES,
  ...CLOUDTRAIL_RULES,
  ...SNS_RULES,
  ...SQS_RULES,
  ...EFS_RULES,
  ...IMAGEBUILDER_RULES,
  ...LOGS_RULES,
  ...ELB_RULES,
];
