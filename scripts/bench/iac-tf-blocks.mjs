// The resources of the generated Terraform modules (see iac-tf.mjs), written as HCL text the way
// people write it: nested blocks (root_block_device, metadata_options, ingress), dynamic blocks,
// count/for_each, conditionals, jsonencode() policies and heredocs, data "aws_iam_policy_document".
// `m.bad()` says, at the module's misconfiguration rate, where to get a setting wrong; `m.name()`
// gives a fresh resource name and records it for outputs.tf.

const cidr = (m) =>
  m.bad() ? '"0.0.0.0/0"' : m.r.pick(['"10.0.0.0/16"', 'var.vpc_cidr', '"172.16.0.0/12"']);
const bool = (m, good = true) => (m.bad() ? String(!good) : String(good));
const tags = (m, what) =>
  m.r.chance(0.6)
    ? `merge(local.common_tags, { Name = "\${local.name_prefix}-${what}" })`
    : 'local.common_tags';

function ingress(m) {
  const [port, proto] = m.bad()
    ? m.r.pick([
        [22, 'tcp'],
        [3389, 'tcp'],
        [0, '-1'],
        [5432, 'tcp'],
      ])
    : [m.r.pick([443, 8443, 80]), 'tcp'];
  const description = m.bad() && m.r.chance(0.5) ? '' : `\n    description = "Port ${port}"`;
  return `
  ingress {${description}
    from_port   = ${port}
    to_port     = ${port === 0 ? 0 : port}
    protocol    = "${proto}"
    cidr_blocks = [${cidr(m)}]
  }
`;
}

export function securityGroup(m) {
  const name = m.name('aws_security_group', m.r.pick(['web', 'app', 'db', 'bastion', 'lb']));
  const statics = Array.from({ length: m.r.between(1, 3) }, () => ingress(m)).join('');
  const dynamic = m.r.chance(0.5)
    ? `
  dynamic "ingress" {
    for_each = var.ingress_rules
    content {
      description = ingress.value.description
      from_port   = ingress.value.port
      to_port     = ingress.value.port
      protocol    = "tcp"
      cidr_blocks = ingress.value.cidr_blocks
    }
  }
`
    : '';
  return `resource "aws_security_group" "${name}" {
  name_prefix = "\${local.name_prefix}-${name}-"
  description = "${name} tier"
  vpc_id      = var.vpc_id
${statics}${dynamic}
  egress {
    description = "All outbound"
    from_port   = 0
    to_port     = 0
    protocol    = "-1"
    cidr_blocks = ["0.0.0.0/0"]
  }

  tags = ${tags(m, name)}

  lifecycle {
    create_before_destroy = true
  }
}
`;
}

const rootDevice = (m, block) => `
  ${block} {
    volume_size = ${m.r.pick([20, 30, 50])}
    volume_type = "gp3"
    encrypted   = ${m.bad() ? m.r.pick(['false', 'var.enable_encryption', 'local.is_prod']) : 'true'}${m.r.chance(0.4) ? '\n    kms_key_id  = var.kms_key_arn != "" ? var.kms_key_arn : null' : ''}
  }
`;

const metadata = (m) =>
  m.bad() && m.r.chance(0.6)
    ? m.r.chance(0.5)
      ? '\n  metadata_options {\n    http_tokens = "optional"\n  }\n'
      : ''
    : `
  metadata_options {
    http_endpoint               = "enabled"
    http_tokens                 = "required"
    http_put_response_hop_limit = ${m.r.pick([1, 2])}
  }
`;

export function instance(m) {
  const name = m.name('aws_instance', m.r.pick(['web', 'worker', 'bastion', 'runner']));
  const sg = m.pick('aws_security_group');
  const many = m.r.chance(0.5);
  return `resource "aws_instance" "${name}" {
  ${many ? 'count = var.create_instances ? var.instance_count : 0' : 'for_each = toset(var.availability_zones)'}

  ami                         = data.aws_ami.base.id
  instance_type               = local.is_prod ? "m6i.large" : var.instance_type
  subnet_id                   = ${many ? 'element(var.subnet_ids, count.index)' : 'var.subnet_ids[index(var.availability_zones, each.key)]'}
  vpc_security_group_ids      = [${sg ? `aws_security_group.${sg}.id` : 'var.default_security_group_id'}]
  associate_public_ip_address = ${bool(m, false)}
  monitoring                  = true
  iam_instance_profile        = var.instance_profile

  user_data = <<-EOT
    #!/bin/bash
    set -euo pipefail
    echo "\${var.project} ${name} (\${var.environment})" > /etc/motd
    systemctl enable --now amazon-ssm-agent
  EOT
${rootDevice(m, 'root_block_device')}${metadata(m)}
  tags = ${many ? `merge(local.common_tags, { Name = "\${local.name_prefix}-${name}-\${count.index}" })` : tags(m, name)}

  lifecycle {
    ignore_changes = [ami, user_data]
  }
}
`;
}

export function launchTemplate(m) {
  const name = m.name('aws_launch_template', m.r.pick(['web', 'batch', 'workers']));
  return `resource "aws_launch_template" "${name}" {
  name_prefix   = "\${local.name_prefix}-${name}-"
  image_id      = data.aws_ami.base.id
  instance_type = var.instance_type
${metadata(m)}
  block_device_mappings {
    device_name = "/dev/xvda"
${rootDevice(m, 'ebs').replace(/^ {2}/gm, '    ')}  }

  tag_specifications {
    resource_type = "instance"
    tags          = ${tags(m, name)}
  }
}
`;
}

export function bucket(m) {
  const name = m.name('aws_s3_bucket', m.r.pick(['artifacts', 'logs', 'data', 'backups', 'assets']));
  const parts = [
    `resource "aws_s3_bucket" "${name}" {
  bucket        = "\${local.name_prefix}-${name}-\${data.aws_caller_identity.current.account_id}"
  force_destroy = ${m.r.chance(0.2) ? 'true' : '!local.is_prod'}
  tags          = ${tags(m, name)}
}
`,
  ];
  if (!m.bad())
    parts.push(`resource "aws_s3_bucket_public_access_block" "${name}" {
  bucket                  = aws_s3_bucket.${name}.id
  block_public_acls       = true
  block_public_policy     = ${bool(m)}
  ignore_public_acls      = true
  restrict_public_buckets = true
}
`);
  if (!m.bad())
    parts.push(`resource "aws_s3_bucket_server_side_encryption_configuration" "${name}" {
  bucket = aws_s3_bucket.${name}.id

  rule {
    apply_server_side_encryption_by_default {
      sse_algorithm     = var.kms_key_arn == "" ? "AES256" : "aws:kms"
      kms_master_key_id = var.kms_key_arn == "" ? null : var.kms_key_arn
    }
    bucket_key_enabled = true
  }
}
`);
  parts.push(`resource "aws_s3_bucket_versioning" "${name}" {
  bucket = aws_s3_bucket.${name}.id
  versioning_configuration {
    status = ${m.bad() ? '"Suspended"' : 'local.is_prod ? "Enabled" : "Suspended"'}
  }
}
`);
  const principal = m.bad()
    ? 'type        = "*"\n      identifiers = ["*"]'
    : 'type        = "AWS"\n      identifiers = [for id in var.reader_account_ids : "arn:aws:iam::${id}:root"]';
  parts.push(`data "aws_iam_policy_document" "${name}" {
  statement {
    sid       = "Read"
    effect    = "Allow"
    actions   = ["s3:GetObject", "s3:ListBucket"]
    resources = [aws_s3_bucket.${name}.arn, "\${aws_s3_bucket.${name}.arn}/*"]

    principals {
      ${principal}
    }
  }

  statement {
    sid       = "DenyInsecureTransport"
    effect    = "Deny"
    actions   = ["s3:*"]
    resources = ["\${aws_s3_bucket.${name}.arn}/*"]

    principals {
      type        = "*"
      identifiers = ["*"]
    }

    condition {
      test     = "Bool"
      variable = "aws:SecureTransport"
      values   = ["false"]
    }
  }
}

resource "aws_s3_bucket_policy" "${name}" {
  bucket = aws_s3_bucket.${name}.id
  policy = data.aws_iam_policy_document.${name}.json
}
`);
  return parts.join('\n');
}

const actions = (m) =>
  m.bad() && m.r.chance(0.5)
    ? ['"*"', '"*"']
    : m.r.pick([
        ['["s3:GetObject", "s3:PutObject"]', '["arn:aws:s3:::${var.project}-*/*"]'],
        ['["sqs:SendMessage", "sqs:ReceiveMessage"]', '[for q in var.queue_names : "arn:aws:sqs:*:*:${q}"]'],
        ['["logs:CreateLogStream", "logs:PutLogEvents"]', '"arn:aws:logs:*:*:log-group:/${var.project}/*"'],
      ]);

export function iam(m) {
  const name = m.name('aws_iam_role', m.r.pick(['instance', 'task', 'lambda', 'deploy']));
  const trusted =
    m.bad() && m.r.chance(0.4)
      ? 'type        = "AWS"\n      identifiers = ["*"]'
      : `type        = "Service"\n      identifiers = ["${m.r.pick(['ec2', 'ecs-tasks', 'lambda'])}.amazonaws.com"]`;
  const [action, resource] = actions(m);
  const heredoc = m.r.chance(0.4);
  const policy = heredoc
    ? `<<-POLICY
    {
      "Version": "2012-10-17",
      "Statement": [
        {
          "Effect": "Allow",
          "Action": ${action},
          "Resource": ${resource.includes('for ') ? '"arn:aws:sqs:*:*:${var.project}-*"' : resource}
        }
      ]
    }
  POLICY`
    : `jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Sid      = "${name.replace(/_/g, '')}Access"
        Effect   = "Allow"
        Action   = ${action}
        Resource = ${resource}
      },
    ]
  })`;
  return `data "aws_iam_policy_document" "${name}_assume" {
  statement {
    actions = ["sts:AssumeRole"]

    principals {
      ${trusted}
    }
  }
}

resource "aws_iam_role" "${name}" {
  name               = "\${local.name_prefix}-${name}"
  assume_role_policy = data.aws_iam_policy_document.${name}_assume.json
  tags               = ${tags(m, name)}
}

resource "aws_iam_policy" "${name}" {
  name        = "\${local.name_prefix}-${name}"
  description = "What the ${name} role may do"
  policy      = ${policy}
}

resource "aws_iam_role_policy_attachment" "${name}" {
  role       = aws_iam_role.${name}.name
  policy_arn = aws_iam_policy.${name}.arn
}
`;
}
