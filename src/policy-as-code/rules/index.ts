/**
 * The built-in rules, gathered from each family. An AWS rule carries its CloudFormation and its
 * Terraform check side by side (`rules/aws/*.ts`), so one id covers both.
 */
import type { Rule } from '../types.js';
import { AWS_RULES } from './aws/index.js';
import { DOCKERFILE_RULES } from './dockerfile.js';
import { KUBERNETES_RULES } from './kubernetes.js';
import { PACKER_RULES } from './packer.js';
import { WORKFLOW_RULES } from './workflow.js';

export const BUILTIN_RULES: readonly Rule[] = [
  ...AWS_RULES,
  ...PACKER_RULES,
  ...DOCKERFILE_RULES,
  ...KUBERNETES_RULES,
  ...WORKFLOW_RULES,
];
