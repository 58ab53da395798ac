// Generated Terraform modules for the policy bench: folders of 3–6 `.tf` files, variables.tf and
// main.tf in each, the others among network/compute/storage/iam/database/kms/queues/registry,
// locals, outputs and versions. Resources come from iac-tf-blocks.mjs; about 40% of the modules
// are clean, the others misconfigured at a rate of their own.
import { bucket, iam, instance, launchTemplate, securityGroup } from './iac-tf-blocks.mjs';

const bool = (m, good = true) => (m.bad() ? String(!good) : String(good));

function kms(m) {
  const name = m.name('aws_kms_key', m.r.pick(['data', 'logs', 'backup']));
  const rotation = m.bad() ? m.r.pick(['false', 'var.enable_key_rotation']) : 'true';
  return `resource "aws_kms_key" "${name}" {
  description             = "\${local.name_prefix} ${name} key"
  deletion_window_in_days = local.is_prod ? 30 : 7
  enable_key_rotation     = ${rotation}
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Sid       = "AccountAdmin"
      Effect    = "Allow"
      Principal = { AWS = ${m.bad() ? '"*"' : '"arn:aws:iam::${data.aws_caller_identity.current.account_id}:root"'} }
      Action    = "kms:*"
      Resource  = "*"
    }]
  })
}

resource "aws_kms_alias" "${name}" {
  name          = "alias/\${local.name_prefix}-${name}"
  target_key_id = aws_kms_key.${name}.key_id
}
`;
}

function database(m) {
  const name = m.name('aws_db_instance', m.r.pick(['main', 'reporting', 'orders']));
  const sg = m.pick('aws_security_group');
  return `resource "aws_db_subnet_group" "${name}" {
  name       = "\${local.name_prefix}-${name}"
  subnet_ids = var.subnet_ids
}

resource "aws_db_instance" "${name}" {
  identifier                  = "\${local.name_prefix}-${name}"
  engine                      = "postgres"
  engine_version              = "16.3"
  instance_class              = local.is_prod ? "db.r6g.large" : "db.t3.medium"
  allocated_storage           = 50
  max_allocated_storage       = 200
  storage_encrypted           = ${m.bad() ? m.r.pick(['false', 'var.enable_encryption']) : 'true'}
  kms_key_id                  = var.kms_key_arn != "" ? var.kms_key_arn : null
  publicly_accessible         = ${m.bad() && m.r.chance(0.5) ? 'true' : 'false'}
  username                    = var.db_username
  manage_master_user_password = true
  multi_az                    = local.is_prod
  backup_retention_period     = local.is_prod ? 14 : 1
  deletion_protection         = local.is_prod
  skip_final_snapshot         = !local.is_prod
  db_subnet_group_name        = aws_db_subnet_group.${name}.name
  vpc_security_group_ids      = [${sg ? `aws_security_group.${sg}.id` : 'var.default_security_group_id'}]
  tags                        = local.common_tags
}
`;
}

function queues(m) {
  const name = m.name('aws_sqs_queue', m.r.pick(['events', 'jobs', 'notifications']));
  const sse = m.bad()
    ? 'sqs_managed_sse_enabled = false'
    : m.r.pick(['sqs_managed_sse_enabled = true', 'kms_master_key_id = "alias/aws/sqs"']);
  return `resource "aws_sqs_queue" "${name}_dlq" {
  name                      = "\${local.name_prefix}-${name}-dlq"
  message_retention_seconds = 1209600
  ${sse}
}

resource "aws_sqs_queue" "${name}" {
  name                       = "\${local.name_prefix}-${name}"
  visibility_timeout_seconds = 60
  ${sse}
  redrive_policy = jsonencode({
    deadLetterTargetArn = aws_sqs_queue.${name}_dlq.arn
    maxReceiveCount     = 5
  })
}

resource "aws_sns_topic" "${name}" {
  name              = "\${local.name_prefix}-${name}"${m.bad() ? '' : '\n  kms_master_key_id = "alias/aws/sns"'}
}

resource "aws_sns_topic_subscription" "${name}" {
  topic_arn = aws_sns_topic.${name}.arn
  protocol  = "sqs"
  endpoint  = aws_sqs_queue.${name}.arn
}
`;
}

function registry(m) {
  const name = m.name('aws_ecr_repository', m.r.pick(['api', 'worker', 'frontend']));
  return `resource "aws_ecr_repository" "${name}" {
  name                 = "\${var.project}/${name}"
  image_tag_mutability = ${m.bad() ? '"MUTABLE"' : '"IMMUTABLE"'}

  image_scanning_configuration {
    scan_on_push = ${bool(m)}
  }

  encryption_configuration {
    encryption_type = "KMS"
  }
}

resource "aws_cloudtrail" "${name}" {
  count                         = var.enable_trail ? 1 : 0
  name                          = "\${local.name_prefix}-${name}"
  s3_bucket_name                = var.trail_bucket
  is_multi_region_trail         = ${bool(m)}
  enable_log_file_validation    = ${bool(m)}
  include_global_service_events = true
  kms_key_id                    = ${m.bad() ? 'null' : 'var.kms_key_arn'}
}
`;
}
const ROLES = {
  'network.tf': [securityGroup, securityGroup],
  'compute.tf': [instance, launchTemplate],
  'storage.tf': [bucket, bucket],
  'iam.tf': [iam, iam],
  'database.tf': [database],
  'kms.tf': [kms],
  'queues.tf': [queues],
  'registry.tf': [registry],
};

const VARIABLES = [
  ['project', 'string', (m) => `"svc${m.index % 89}"`],
  ['environment', 'string', (m) => `"${m.r.pick(['dev', 'staging', 'prod'])}"`],
  ['region', 'string', () => '"eu-west-1"'],
  ['vpc_id', 'string'],
  ['vpc_cidr', 'string', () => '"10.0.0.0/16"'],
  ['subnet_ids', 'list(string)', () => '[]'],
  ['availability_zones', 'list(string)', () => '["eu-west-1a", "eu-west-1b"]'],
  ['default_security_group_id', 'string', () => 'null'],
  ['instance_type', 'string', () => '"t3.small"'],
  ['instance_count', 'number', (m) => String(m.r.between(1, 4))],
  ['create_instances', 'bool', () => 'true'],
  ['instance_profile', 'string', () => 'null'],
  ['kms_key_arn', 'string', () => '""'],
  ['enable_encryption', 'bool', (m) => (m.bad() ? 'false' : 'true')],
  ['enable_key_rotation', 'bool', () => 'true'],
  ['enable_trail', 'bool', () => 'false'],
  ['trail_bucket', 'string', () => '""'],
  ['db_username', 'string', () => '"app"'],
  ['reader_account_ids', 'list(string)', () => '[]'],
  ['queue_names', 'list(string)', () => '["jobs"]'],
  ['tags', 'map(string)', () => '{}'],
];

function variables(m) {
  const blocks = VARIABLES.map(([name, type, def]) => {
    const validation =
      name === 'environment'
        ? '\n\n  validation {\n    condition     = contains(["dev", "staging", "prod"], var.environment)\n    error_message = "environment must be dev, staging or prod."\n  }'
        : '';
    const value = def ? `\n  default     = ${def(m)}` : '';
    return `variable "${name}" {\n  description = "The ${name.replace(/_/g, ' ')}"\n  type        = ${type}${value}${validation}\n}\n`;
  });
  const rules = m.bad()
    ? '{ description = "SSH", port = 22, cidr_blocks = ["0.0.0.0/0"] }'
    : '{ description = "HTTPS", port = 443, cidr_blocks = ["10.0.0.0/8"] }';
  blocks.push(`variable "ingress_rules" {
  description = "Extra ingress rules"
  type = list(object({
    description = string
    port        = number
    cidr_blocks = list(string)
  }))
  default = [
    ${rules},
  ]
}
`);
  return blocks.join('\n');
}

const LOCALS = `locals {
  name_prefix = "\${var.project}-\${var.environment}"
  is_prod     = var.environment == "prod"
  tier        = "%{if var.environment == "prod"}gold%{else}bronze%{endif}"
  common_tags = merge(var.tags, {
    Project     = var.project
    Environment = var.environment
    ManagedBy   = "terraform"
  })
  subnet_map = { for i, id in var.subnet_ids : i => id if id != "" }
}
`;

const MAIN = (m) => `# Module ${m.index}: ${m.roles.join(', ') || 'shared settings'}
data "aws_caller_identity" "current" {}

data "aws_ami" "base" {
  most_recent = true
  owners      = ["amazon"]

  filter {
    name   = "name"
    values = ["al2023-ami-*-x86_64"]
  }
}
${m.r.chance(0.3) ? `\nmodule "labels" {\n  source  = "cloudposse/label/null"\n  version = "0.25.0"\n  name    = var.project\n  stage   = var.environment\n}\n` : ''}`;

const VERSIONS = `terraform {
  required_version = ">= 1.5"

  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = "~> 5.40"
    }
  }
}

provider "aws" {
  region = var.region

  default_tags {
    tags = local.common_tags
  }
}
`;

function outputs(m) {
  return m.made
    .slice(0, 8)
    .map(([type, name]) => {
      const splat = type === 'aws_instance' || type === 'aws_cloudtrail' ? `[*]` : '';
      return `output "${type.replace(/^aws_/, '')}_${name}_id" {\n  value = ${type}.${name}${splat}.id\n}\n`;
    })
    .join('\n');
}

/** Module `index`: `[{ name, text }]` of `files` files (3–6 normally), from the corpus's PRNG `r`. */
export function tfModule(r, index, files) {
  const rate = r.chance(0.4) ? 0 : r.pick([0.05, 0.15, 0.3]);
  const made = [];
  const m = {
    r,
    index,
    made,
    bad: () => rate > 0 && r.next() < rate,
    name: (type, base) => {
      const taken = made.filter(([t, n]) => t === type && n.startsWith(base)).length;
      const name = taken ? `${base}_${taken + 1}` : base;
      made.push([type, name]);
      return name;
    },
    pick: (type) => made.filter(([t]) => t === type).map(([, n]) => n)[0],
  };
  const extra = ['locals.tf', 'outputs.tf', 'versions.tf', ...Object.keys(ROLES)];
  const chosen = [];
  while (chosen.length < files - 2) {
    const f = r.pick(extra);
    if (!chosen.includes(f)) chosen.push(f);
  }
  m.roles = chosen.filter((f) => ROLES[f]).map((f) => f.replace('.tf', ''));
  // network first, so instances and databases can refer to its security groups.
  const order = ['network.tf', ...Object.keys(ROLES)].filter((f, i, a) => a.indexOf(f) === i);
  const out = [];
  for (const f of order.filter((x) => chosen.includes(x))) {
    const blocks = ROLES[f].slice(0, r.between(1, ROLES[f].length)).map((make) => make(m));
    out.push({ name: f, text: blocks.join('\n') });
  }
  const main = MAIN(m) + (chosen.includes('locals.tf') ? '' : `\n${LOCALS}`);
  out.unshift({ name: 'main.tf', text: main }, { name: 'variables.tf', text: variables(m) });
  if (chosen.includes('locals.tf')) out.push({ name: 'locals.tf', text: LOCALS });
  if (chosen.includes('versions.tf')) out.push({ name: 'versions.tf', text: VERSIONS });
  if (chosen.includes('outputs.tf'))
    out.push({ name: 'outputs.tf', text: outputs(m) || '# Nothing to export\n' });
  return out.slice(0, files);
}
