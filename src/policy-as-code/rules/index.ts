/**
 * The built-in rules, gathered from each family. Terraform checks for the AWS rules are kept next
 * to the Terraform parser's vocabulary and attached here by rule id.
 */
import type { Rule } from '../types.js';
import { AWS_RULES } from './aws/index.js';

export const BUILTIN_RULES: readonly Rule[] = [...AWS_RULES];
