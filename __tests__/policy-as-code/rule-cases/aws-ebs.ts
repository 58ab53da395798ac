import type { RuleCase } from './types.js';
import { jsonTemplate, lineOf, resource, tf, TF_LINE } from './aws-template.js';

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
  // Terraform
  {
    rule: 'ebs-volume-unencrypted',
    name: 'Terraform: encrypted missing, false through a variable, false in one branch',
    file: 'ebs.tf',
    text: tf(`resource "aws_ebs_volume" "none" {
  availability_zone = "eu-west-1a"
}
resource "aws_ebs_volume" "var" {
  availability_zone = "eu-west-1a"
  encrypted         = var.flag
}
resource "aws_ebs_volume" "cond" {
  encrypted = var.open ? true : "false"
}
`),
    lines: [TF_LINE, 11, 14],
  },
  {
    rule: 'ebs-volume-unencrypted',
    name: 'Terraform: encrypted, as a string, unknown; a data source is not ours',
    file: 'ebs.tf',
    text: tf(`resource "aws_ebs_volume" "a" {
  encrypted = true
}
resource "aws_ebs_volume" "b" {
  encrypted = "true"
}
resource "aws_ebs_volume" "c" {
  encrypted = var.free
}
resource "aws_ebs_volume" "d" {
  encrypted = data.aws_ebs_default_kms_key.current.key_arn != ""
}
data "aws_ebs_volume" "existing" {
  most_recent = true
}
`),
    lines: [],
  },
  {
    rule: 'instance-ebs-unencrypted',
    name: 'Terraform: root device without encrypted, an EBS device false through a variable',
    file: 'ec2.tf',
    text: tf(`resource "aws_instance" "web" {
  ami           = "ami-12345678"
  instance_type = "t3.micro"
  root_block_device {
    volume_size = 20
  }
  ebs_block_device {
    device_name = "/dev/xvdb"
    encrypted   = var.flag
  }
  ebs_block_device {
    device_name = "/dev/xvdc"
    encrypted   = true
  }
  ephemeral_block_device {
    device_name  = "/dev/xvdd"
    virtual_name = "ephemeral0"
  }
}
`),
    lines: [9, 14],
  },
  {
    rule: 'instance-ebs-unencrypted',
    name: 'Terraform: every device encrypted, or no device blocks at all',
    file: 'ec2.tf',
    text: tf(`resource "aws_instance" "web" {
  root_block_device {
    encrypted = true
  }
  ebs_block_device {
    device_name = "/dev/xvdb"
    encrypted   = "true"
  }
}
resource "aws_instance" "plain" {
  ami = "ami-12345678"
}
`),
    lines: [],
  },
  {
    rule: 'launch-template-ebs-unencrypted',
    name: 'Terraform: ebs encrypted "false", and missing; an instance store mapping',
    file: 'lt.tf',
    text: tf(`resource "aws_launch_template" "lt" {
  image_id = "ami-12345678"
  block_device_mappings {
    device_name = "/dev/xvda"
    ebs {
      volume_size = 20
      encrypted   = "false"
    }
  }
  block_device_mappings {
    device_name  = "/dev/xvdb"
    virtual_name = "ephemeral0"
  }
  block_device_mappings {
    device_name = "/dev/xvdc"
    ebs {
      volume_size = 20
    }
  }
}
`),
    lines: [12, 21],
  },
  {
    rule: 'launch-template-ebs-unencrypted',
    name: 'Terraform: encrypted',
    file: 'lt.tf',
    text: tf(`resource "aws_launch_template" "lt" {
  block_device_mappings {
    device_name = "/dev/xvda"
    ebs {
      encrypted = "true"
    }
  }
}
`),
    lines: [],
  },
  {
    rule: 'launch-configuration-ebs-unencrypted',
    name: 'Terraform: root device false; a suppressed device holds no volume',
    file: 'asg.tf',
    text: tf(`resource "aws_launch_configuration" "lc" {
  image_id      = "ami-12345678"
  instance_type = "t3.micro"
  root_block_device {
    encrypted = false
  }
  ebs_block_device {
    device_name = "/dev/xvdb"
    no_device   = true
  }
}
`),
    lines: [10],
  },
  {
    rule: 'launch-configuration-ebs-unencrypted',
    name: 'Terraform: encrypted',
    file: 'asg.tf',
    text: tf(`resource "aws_launch_configuration" "lc" {
  root_block_device {
    encrypted = true
  }
}
`),
    lines: [],
  },
];
