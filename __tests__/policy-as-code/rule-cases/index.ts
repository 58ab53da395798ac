import { CLOUDTRAIL_CASES } from './aws-cloudtrail.js';
import { EBS_CASES } from './aws-ebs.js';
import { EC2_CASES } from './aws-ec2.js';
import { ECR_CASES } from './aws-ecr.js';
import { IAM_CASES } from './aws-iam.js';
import { KMS_CASES } from './aws-kms.js';
import { RDS_CASES } from './aws-rds.js';
import { S3_CASES } from './aws-s3.js';
import { SECURITY_GROUP_CASES } from './aws-security-group.js';
import { SERVICE_CASES } from './aws-services.js';
import { DOCKERFILE_CASES } from './dockerfile.js';
import { KUBERNETES_CASES } from './kubernetes.js';
import { PACKER_CASES } from './packer.js';
import type { RuleCase } from './types.js';
import { WORKFLOW_CASES } from './workflow.js';

export const ALL_CASES: RuleCase[] = [
  ...EBS_CASES,
  ...EC2_CASES,
  ...SECURITY_GROUP_CASES,
  ...S3_CASES,
  ...IAM_CASES,
  ...ECR_CASES,
  ...KMS_CASES,
  ...RDS_CASES,
  ...CLOUDTRAIL_CASES,
  ...SERVICE_CASES,
  ...PACKER_CASES,
  ...DOCKERFILE_CASES,
  ...KUBERNETES_CASES,
  ...WORKFLOW_CASES,
];
