import type { RuleCase } from './types.js';
import { resource, RESOURCE_LINE } from './aws-template.js';

const trail = (props: string) =>
  resource('AWS::CloudTrail::Trail', `      S3BucketName: trail-logs\n${props}`);

const good = `      IsLogging: true
      EnableLogFileValidation: true
      IsMultiRegionTrail: true
      KMSKeyId: alias/trail
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
];
