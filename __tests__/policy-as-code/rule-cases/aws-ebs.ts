import type { RuleCase } from './types.js';

const volume = (props: string) => `AWSTemplateFormatVersion: "2010-09-09"
Parameters:
  Encrypt:
    Type: String
    Default: "false"
Resources:
  Data:
    Type: AWS::EC2::Volume
    Properties:
      AvailabilityZone: eu-west-1a
      Size: 20
${props}`;

export const EBS_CASES: RuleCase[] = [
  {
    rule: 'ebs-volume-unencrypted',
    name: 'no Encrypted: the resource',
    file: 'vol.yaml',
    text: volume(''),
    lines: [7],
  },
  {
    rule: 'ebs-volume-unencrypted',
    name: 'Encrypted "false" through a parameter default',
    file: 'vol.yaml',
    text: volume('      Encrypted: !Ref Encrypt\n'),
    lines: [12],
  },
  {
    rule: 'ebs-volume-unencrypted',
    name: 'encrypted',
    file: 'vol.yaml',
    text: volume('      Encrypted: true\n'),
    lines: [],
  },
  {
    rule: 'ebs-volume-unencrypted',
    name: 'encrypted in JSON',
    file: 'vol.json',
    text: JSON.stringify({
      Resources: { V: { Type: 'AWS::EC2::Volume', Properties: { Encrypted: 'true' } } },
    }),
    lines: [],
  },
];
