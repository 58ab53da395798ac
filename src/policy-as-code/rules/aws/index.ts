/** The AWS rules, one file per service; each rule covers CloudFormation, and Terraform once attached. */
import type { Rule } from '../../types.js';
import { EBS_RULES } from './ebs.js';

export const AWS_RULES: Rule[] = [...EBS_RULES];
