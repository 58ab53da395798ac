import type { RuleCase } from './types.js';
import { jsonTemplate, lineOf, resource, RESOURCE_LINE, tf, TF_LINE } from './aws-template.js';

const template = (props: string) =>
  resource('AWS::EC2::LaunchTemplate', `      LaunchTemplateData:\n        ImageId: ami-12345678\n${props}`);

const ltJson = jsonTemplate({
  Lt: {
    Type: 'AWS::EC2::LaunchTemplate',
    Properties: {
      LaunchTemplateData: { MetadataOptions: { HttpTokens: 'optional', HttpEndpoint: 'enabled' } },
    },
  },
});

export const EC2_CASES: RuleCase[] = [
  {
    rule: 'launch-template-imdsv1',
    name: 'no MetadataOptions: the resource',
    file: 'lt.yaml',
    text: template(''),
    lines: [RESOURCE_LINE],
  },
  {
    rule: 'launch-template-imdsv1',
    name: 'MetadataOptions without HttpTokens, and optional in one branch',
    file: 'lt.yaml',
    text: resource(
      'AWS::EC2::LaunchTemplate',
      `      LaunchTemplateData:
        MetadataOptions:
          HttpPutResponseHopLimit: 2
`,
      `  Other:
    Type: AWS::EC2::LaunchTemplate
    Properties:
      LaunchTemplateData:
        MetadataOptions:
          HttpTokens: !If [Prod, required, optional]
`,
    ),
    lines: [15, 21],
  },
  {
    rule: 'launch-template-imdsv1',
    name: 'HttpTokens optional in JSON',
    file: 'lt.json',
    text: ltJson,
    lines: [lineOf(ltJson, '"HttpTokens"')],
  },
  {
    rule: 'launch-template-imdsv1',
    name: 'launch configuration without MetadataOptions',
    file: 'asg.yaml',
    text: resource(
      'AWS::AutoScaling::LaunchConfiguration',
      '      ImageId: ami-12345678\n      InstanceType: t3.micro',
    ),
    lines: [RESOURCE_LINE],
  },
  {
    rule: 'launch-template-imdsv1',
    name: 'HttpTokens required, or the endpoint disabled',
    file: 'lt.yaml',
    text: resource(
      'AWS::EC2::LaunchTemplate',
      `      LaunchTemplateData:
        MetadataOptions: {HttpTokens: required}
`,
      `  Off:
    Type: AWS::AutoScaling::LaunchConfiguration
    Properties:
      MetadataOptions:
        HttpEndpoint: disabled
`,
    ),
    lines: [],
  },
  {
    rule: 'instance-imdsv1',
    name: 'instance without MetadataOptions, and one with HttpTokens optional',
    file: 'ec2.yaml',
    text: resource(
      'AWS::EC2::Instance',
      '      ImageId: ami-12345678',
      `  Second:
    Type: AWS::EC2::Instance
    Properties:
      MetadataOptions:
        HttpTokens: optional
`,
    ),
    lines: [RESOURCE_LINE, 18],
  },
  {
    rule: 'instance-imdsv1',
    name: 'required, or launched from a template that decides',
    file: 'ec2.yaml',
    text: resource(
      'AWS::EC2::Instance',
      '      MetadataOptions: {HttpTokens: required}',
      `  FromTemplate:
    Type: AWS::EC2::Instance
    Properties:
      LaunchTemplate: {LaunchTemplateId: !Ref Lt, Version: "1"}
`,
    ),
    lines: [],
  },
  {
    rule: 'instance-public-ip',
    name: 'instance and launch template network interfaces, "true" and a parameter',
    file: 'ec2.yaml',
    text: resource(
      'AWS::EC2::Instance',
      `      NetworkInterfaces:
        - DeviceIndex: "0"
          AssociatePublicIpAddress: "true"
`,
      `  Lt:
    Type: AWS::EC2::LaunchTemplate
    Properties:
      LaunchTemplateData:
        NetworkInterfaces:
          - DeviceIndex: 0
            AssociatePublicIpAddress: !Ref Open
  Lc:
    Type: AWS::AutoScaling::LaunchConfiguration
    Properties:
      AssociatePublicIpAddress: true
`,
    ),
    lines: [15, 22, 26],
  },
  {
    rule: 'instance-public-ip',
    name: 'no public address, or an unknown one',
    file: 'ec2.yaml',
    text: resource(
      'AWS::EC2::Instance',
      `      NetworkInterfaces:
        - DeviceIndex: "0"
          AssociatePublicIpAddress: false
        - DeviceIndex: "1"
          AssociatePublicIpAddress: !Ref Free
        - DeviceIndex: "2"
`,
    ),
    lines: [],
  },
  // Terraform
  {
    rule: 'launch-template-imdsv1',
    name: 'Terraform: no metadata_options; http_tokens "optional" through a local',
    file: 'lt.tf',
    text: tf(`resource "aws_launch_template" "lt" {
  image_id = "ami-12345678"
}
locals {
  tokens = "optional"
}
resource "aws_launch_configuration" "lc" {
  metadata_options {
    http_tokens = local.tokens
  }
}
`),
    lines: [TF_LINE, 14],
  },
  {
    rule: 'launch-template-imdsv1',
    name: 'Terraform: tokens required, metadata endpoint disabled',
    file: 'lt.tf',
    text: tf(`resource "aws_launch_template" "lt" {
  metadata_options {
    http_endpoint = "enabled"
    http_tokens   = "required"
  }
}
resource "aws_launch_configuration" "lc" {
  metadata_options {
    http_endpoint = "disabled"
  }
}
`),
    lines: [],
  },
  {
    rule: 'instance-imdsv1',
    name: 'Terraform: no metadata_options, tokens optional, tokens not set',
    file: 'ec2.tf',
    text: tf(`resource "aws_instance" "none" {
  ami = "ami-12345678"
}
resource "aws_instance" "optional" {
  metadata_options {
    http_endpoint = "enabled"
    http_tokens   = "optional"
  }
}
resource "aws_instance" "unset" {
  metadata_options {
    http_put_response_hop_limit = 1
  }
}
`),
    lines: [TF_LINE, 12, 16],
  },
  {
    rule: 'instance-imdsv1',
    name: 'Terraform: required, disabled, unknown, or left to the launch template',
    file: 'ec2.tf',
    text: tf(`resource "aws_instance" "required" {
  metadata_options {
    http_tokens = "required"
  }
}
resource "aws_instance" "disabled" {
  metadata_options {
    http_endpoint = "disabled"
  }
}
resource "aws_instance" "unknown" {
  metadata_options {
    http_tokens = var.free
  }
}
resource "aws_instance" "templated" {
  launch_template {
    id = aws_launch_template.lt.id
  }
}
`),
    lines: [],
  },
  {
    rule: 'instance-public-ip',
    name: 'Terraform: instance, launch template interface ("true"), launch configuration (variable)',
    file: 'ec2.tf',
    text: tf(`resource "aws_instance" "web" {
  associate_public_ip_address = true
}
resource "aws_launch_template" "lt" {
  network_interfaces {
    associate_public_ip_address = "true"
  }
}
resource "aws_launch_configuration" "lc" {
  associate_public_ip_address = var.open
}
`),
    lines: [7, 11, 15],
  },
  {
    rule: 'instance-public-ip',
    name: 'Terraform: false, left to the subnet, unknown',
    file: 'ec2.tf',
    text: tf(`resource "aws_instance" "web" {
  associate_public_ip_address = false
}
resource "aws_instance" "subnet" {
  subnet_id = aws_subnet.private.id
}
resource "aws_launch_template" "lt" {
  network_interfaces {
    associate_public_ip_address = var.free
  }
}
`),
    lines: [],
  },
];
