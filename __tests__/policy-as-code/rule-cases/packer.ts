import { PLANTED } from '../../helpers/planted.js';
import type { RuleCase } from './types.js';

/** An HCL2 template with one amazon-ebs source whose body is `body` (starting on line 6). */
const ebs = (body: string, type = 'amazon-ebs') => `variable "encrypt" {
  default = false
}

source "${type}" "golden" {
${body}}

build {
  sources = ["source.${type}.golden"]
}
`;

/** A source that every other rule finds safe, so a case exercises one rule. */
const SAFE = `  region        = "eu-west-1"
  instance_type = "t3.micro"
  encrypt_boot  = true
  imds_support  = "v2.0"
  temporary_security_group_source_public_ip = true
  metadata_options {
    http_endpoint = "enabled"
    http_tokens   = "required"
  }
`;

/** A legacy JSON template with one builder (its settings start on line 4). */
const legacy = (builder: string, variables = '{}') => `{
  "variables": ${variables},
  "builders": [{
    "type": "amazon-ebs",
${builder}
    "region": "eu-west-1"
  }]
}
`;

const docker = (body: string) => `source "docker" "app" {
${body}  commit = true
}
`;

export const PACKER_CASES: RuleCase[] = [
  {
    rule: 'packer-encrypt-boot-off',
    name: 'HCL: no encrypt_boot, at the source header',
    file: 'golden.pkr.hcl',
    text: ebs(SAFE.replace('  encrypt_boot  = true\n', '')),
    lines: [5],
  },
  {
    rule: 'packer-encrypt-boot-off',
    name: 'HCL: encrypt_boot from a variable that defaults to false',
    file: 'golden.pkr.hcl',
    text: ebs(SAFE.replace('encrypt_boot  = true', 'encrypt_boot  = var.encrypt')),
    lines: [8],
  },
  {
    rule: 'packer-encrypt-boot-off',
    name: 'legacy JSON: "encrypt_boot": "false" through a user variable',
    file: 'packer.json',
    text: legacy('    "encrypt_boot": "{{user `enc`}}",', '{ "enc": "false" }'),
    lines: [5],
  },
  {
    rule: 'packer-encrypt-boot-off',
    name: 'HCL: encrypted, and amazon-instance (instance store) is not concerned',
    file: 'golden.pkr.hcl',
    text: ebs(SAFE) + ebs('  region = "eu-west-1"\n', 'amazon-instance').replace(/variable[^}]*}\n/, ''),
    lines: [],
  },
  {
    rule: 'packer-ami-public',
    name: 'HCL: ami_groups = ["all"], at the item',
    file: 'golden.pkr.hcl',
    text: ebs(`${SAFE}  ami_groups = ["all"]\n`),
    lines: [15],
  },
  {
    rule: 'packer-ami-public',
    name: 'legacy JSON: snapshot_groups all',
    file: 'packer.json',
    text: legacy('    "snapshot_groups": ["all"],'),
    lines: [5],
  },
  {
    rule: 'packer-ami-public',
    name: 'HCL: shared with accounts only',
    file: 'golden.pkr.hcl',
    text: ebs(`${SAFE}  ami_users = ["123456789012"]\n`),
    lines: [],
  },
  {
    rule: 'packer-build-instance-imdsv1',
    name: 'HCL: no metadata_options',
    file: 'golden.pkr.hcl',
    text: ebs(SAFE.replace(/ {2}metadata_options \{[^}]*\}\n/, '')),
    lines: [5],
  },
  {
    rule: 'packer-build-instance-imdsv1',
    name: 'HCL: http_tokens optional',
    file: 'golden.pkr.hcl',
    text: ebs(SAFE.replace('"required"', '"optional"')),
    lines: [13],
  },
  {
    rule: 'packer-build-instance-imdsv1',
    name: 'legacy JSON: metadata_options without http_tokens, at the block',
    file: 'packer.json',
    text: legacy('    "metadata_options": { "http_endpoint": "enabled" },'),
    lines: [5],
  },
  {
    rule: 'packer-build-instance-imdsv1',
    name: 'HCL: tokens required, or the endpoint disabled',
    file: 'golden.pkr.hcl',
    text:
      ebs(SAFE) +
      `source "amazon-ebs" "off" {\n  metadata_options {\n    http_endpoint = "disabled"\n  }\n}\n`,
    lines: [],
  },
  {
    rule: 'packer-ami-imdsv1',
    name: 'HCL: no imds_support',
    file: 'golden.pkr.hcl',
    text: ebs(SAFE.replace('  imds_support  = "v2.0"\n', '')),
    lines: [5],
  },
  {
    rule: 'packer-ami-imdsv1',
    name: 'legacy JSON: imds_support v1',
    file: 'packer.json',
    text: legacy('    "imds_support": "v1.0",'),
    lines: [5],
  },
  {
    rule: 'packer-ami-imdsv1',
    name: 'HCL: v2.0',
    file: 'golden.pkr.hcl',
    text: ebs(SAFE),
    lines: [],
  },
  {
    rule: 'packer-temporary-sg-open',
    name: 'HCL: nothing set, the default 0.0.0.0/0',
    file: 'golden.pkr.hcl',
    text: ebs(SAFE.replace('  temporary_security_group_source_public_ip = true\n', '')),
    lines: [5],
  },
  {
    rule: 'packer-temporary-sg-open',
    name: 'HCL: cidrs with ::/0, at the item',
    file: 'golden.pkr.hcl',
    text: ebs(
      SAFE.replace(
        '  temporary_security_group_source_public_ip = true\n',
        '  temporary_security_group_source_cidrs = [\n    "10.0.0.0/8",\n    "::/0",\n  ]\n',
      ),
    ),
    lines: [12],
  },
  {
    rule: 'packer-temporary-sg-open',
    name: 'legacy JSON: 0.0.0.0/0',
    file: 'packer.json',
    text: legacy('    "temporary_security_group_source_cidrs": ["0.0.0.0/0"],'),
    lines: [5],
  },
  {
    rule: 'packer-temporary-sg-open',
    name: 'HCL: own security group, narrow cidrs, session manager',
    file: 'golden.pkr.hcl',
    text:
      ebs(SAFE) +
      `source "amazon-ebs" "own" {\n  security_group_id = "sg-0123"\n}\n` +
      `source "amazon-ebs" "narrow" {\n  temporary_security_group_source_cidrs = ["203.0.113.0/24"]\n}\n` +
      `source "amazon-ebs" "ssm" {\n  ssh_interface = "session_manager"\n}\n`,
    lines: [],
  },
  {
    rule: 'packer-credentials-in-template',
    name: 'HCL: literal keys in the source and a secret variable default',
    file: 'golden.pkr.hcl',
    text:
      `variable "aws_secret_key" {\n  default   = "${PLANTED.awsSecret}"\n  sensitive = true\n}\n` +
      ebs(
        `${SAFE}  access_key   = "${PLANTED.awsKeyId}"\n  ssh_password = "${PLANTED.dbPassword}"\n`,
      ).replace(/variable[^}]*}\n/, ''),
    lines: [2, 16, 17],
  },
  {
    rule: 'packer-credentials-in-template',
    name: 'legacy JSON: a secret variable default',
    file: 'packer.json',
    text: legacy(
      '    "secret_key": "{{user `aws_secret_key`}}",',
      `{ "aws_secret_key": "${PLANTED.awsSecret}" }`,
    ),
    lines: [2],
  },
  {
    rule: 'packer-credentials-in-template',
    name: 'references, environment and empty defaults',
    file: 'packer.json',
    text: legacy(
      '    "access_key": "{{user `aws_access_key`}}",\n    "secret_key": "{{env `AWS_SECRET_ACCESS_KEY`}}",',
      '{ "aws_access_key": "", "ssh_password_file": "/run/secrets/pw" }',
    ),
    lines: [],
  },
  {
    rule: 'packer-docker-privileged',
    name: 'privileged = true',
    file: 'docker.pkr.hcl',
    text: docker('  image      = "ubuntu:24.04"\n  privileged = true\n'),
    lines: [3],
  },
  {
    rule: 'packer-docker-privileged',
    name: 'not privileged',
    file: 'docker.pkr.hcl',
    text: docker('  image = "ubuntu:24.04"\n  privileged = false\n'),
    lines: [],
  },
  {
    rule: 'packer-docker-image-latest',
    name: 'untagged and latest',
    file: 'docker.pkr.hcl',
    text: docker('  image = "ubuntu"\n') + docker('  image = "registry.example.com:5000/base:latest"\n'),
    lines: [2, 6],
  },
  {
    rule: 'packer-docker-image-latest',
    name: 'a version tag, a digest, a registry port without tag is still untagged',
    file: 'docker.pkr.hcl',
    text:
      docker('  image = "ubuntu:24.04"\n') +
      docker('  image = "ubuntu@sha256:0000000000000000000000000000000000000000000000000000000000000000"\n'),
    lines: [],
  },
  {
    rule: 'packer-block-device-unencrypted',
    name: 'HCL: launch mapping with encrypted = false',
    file: 'golden.pkr.hcl',
    text: ebs(
      `${SAFE}  launch_block_device_mappings {\n    device_name = "/dev/xvda"\n    encrypted   = false\n  }\n`,
    ),
    lines: [17],
  },
  {
    rule: 'packer-block-device-unencrypted',
    name: 'HCL: amazon-ebsvolume volume without encrypted',
    file: 'vol.pkr.hcl',
    text: `source "amazon-ebsvolume" "data" {\n  ebs_volumes {\n    device_name = "/dev/xvdf"\n    volume_size = 10\n  }\n}\n`,
    lines: [2],
  },
  {
    rule: 'packer-block-device-unencrypted',
    name: 'HCL: encrypted mappings, and an AMI mapping that inherits encrypt_boot',
    file: 'golden.pkr.hcl',
    text: ebs(
      `${SAFE}  launch_block_device_mappings {\n    device_name = "/dev/xvda"\n    encrypted   = true\n  }\n  ami_block_device_mappings {\n    device_name = "/dev/xvdb"\n  }\n`,
    ),
    lines: [],
  },
];
