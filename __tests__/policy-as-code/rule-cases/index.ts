import { EBS_CASES } from './aws-ebs.js';
import type { RuleCase } from './types.js';

export const ALL_CASES: RuleCase[] = [...EBS_CASES];
