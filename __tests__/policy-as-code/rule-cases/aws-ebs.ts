import type { RuleCase } from './types.js';
import { jsonTemplate, lineOf, resource } from './aws-template.js';

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

/** Block device mappings at `indent`, one per entry: [device, Ebs properties or undefined]. */
const mappings = (indent: string, devices: Array<[string, string | undefined]>) =>
  devices
    .map(
      ([device, ebs]) =>
        `${indent}- DeviceName: ${device}\n` +
        (ebs === undefined
          ? `${indent}  NoDevice: {}\n`
          : `${indent}  Ebs:\n${indent}    VolumeSize: 8\n${ebs}`),
    )
    .join('');

const instanceJson = jsonTemplate({
  Web: {
    Type: 'AWS::EC2::Instance',
    Properties: {
      ImageId: 'ami-12345678',
      BlockDeviceMappings: [
        { DeviceName: '/dev/xvda', Ebs: { Encrypted: 'false' } },
        { DeviceName: '/dev/xvdb', Ebs: { Encrypted: true } },
      ],
    },
  },
});

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
  {
    rule: 'instance-ebs-unencrypted',
    name: 'a device without Encrypted, one encrypted, one with no EBS',
    file: 'ec2.yaml',
    text: resource(
      'AWS::EC2::Instance',
      '      ImageId: ami-12345678\n      BlockDeviceMappings:\n' +
        mappings('        ', [
          ['/dev/xvda', ''],
          ['/dev/xvdb', '            Encrypted: true\n'],
          ['/dev/xvdc', undefined],
        ]),
    ),
    // 15 DeviceName /dev/xvda, 16 Ebs:, 17 VolumeSize (the Ebs map starts there)
    lines: [17],
  },
  {
    rule: 'instance-ebs-unencrypted',
    name: 'Encrypted from a parameter default "false", and in one branch of Fn::If',
    file: 'ec2.yaml',
    text: resource(
      'AWS::EC2::Instance',
      '      BlockDeviceMappings:\n' +
        mappings('        ', [
          ['/dev/xvda', '            Encrypted: !Ref Flag\n'],
          ['/dev/xvdb', '            Encrypted: !If [Prod, true, false]\n'],
        ]),
    ),
    lines: [17, 21],
  },
  {
    rule: 'instance-ebs-unencrypted',
    name: 'JSON template with "false" as a string',
    file: 'ec2.json',
    text: instanceJson,
    lines: [lineOf(instanceJson, '"Encrypted": "false"')],
  },
  {
    rule: 'instance-ebs-unencrypted',
    name: 'every device encrypted, or encryption unknown',
    file: 'ec2.yaml',
    text: resource(
      'AWS::EC2::Instance',
      '      BlockDeviceMappings:\n' +
        mappings('        ', [
          ['/dev/xvda', '            Encrypted: "true"\n'],
          ['/dev/xvdb', '            Encrypted: !Ref Free\n'],
        ]),
    ),
    lines: [],
  },
  {
    rule: 'launch-template-ebs-unencrypted',
    name: 'Encrypted false in LaunchTemplateData',
    file: 'lt.yaml',
    text: resource(
      'AWS::EC2::LaunchTemplate',
      '      LaunchTemplateData:\n        BlockDeviceMappings:\n' +
        mappings('          ', [['/dev/xvda', '              Encrypted: false\n']]),
    ),
    lines: [18],
  },
  {
    rule: 'launch-template-ebs-unencrypted',
    name: 'encrypted',
    file: 'lt.yaml',
    text: resource(
      'AWS::EC2::LaunchTemplate',
      '      LaunchTemplateData:\n        BlockDeviceMappings:\n' +
        mappings('          ', [['/dev/xvda', '              Encrypted: true\n']]),
    ),
    lines: [],
  },
  {
    rule: 'launch-configuration-ebs-unencrypted',
    name: 'no Encrypted',
    file: 'asg.yaml',
    text: resource(
      'AWS::AutoScaling::LaunchConfiguration',
      '      ImageId: ami-12345678\n      InstanceType: t3.micro\n      BlockDeviceMappings:\n' +
        mappings('        ', [['/dev/xvda', '']]),
    ),
    lines: [18],
  },
  {
    rule: 'launch-configuration-ebs-unencrypted',
    name: 'encrypted',
    file: 'asg.yaml',
    text: resource(
      'AWS::AutoScaling::LaunchConfiguration',
      '      BlockDeviceMappings:\n' + mappings('        ', [['/dev/xvda', '            Encrypted: true\n']]),
    ),
    lines: [],
  },
];
