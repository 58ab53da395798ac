import { beforeAll, describe, expect, it } from '@jest/globals';
import {
  get,
  isMap,
  items,
  possibleAt,
  possibleStrings,
  toBool,
  toNumber,
  toPlain,
  toStr,
  UNKNOWN,
} from '../../src/policy-as-code/model.js';
import { linkModules, parseFile, prepareParsers } from '../../src/policy-as-code/parse/index.js';
import type { Doc } from '../../src/policy-as-code/types.js';

const TF = `variable "encrypt" {
  type    = bool
  default = false
}

variable "no_default" {}

locals {
  cidr = "0.0.0.0/0"
}

# A volume
resource "aws_ebs_volume" "data" {
  availability_zone = "eu-west-1a"
  size              = -1
  encrypted         = var.encrypt
  kms_key_id        = aws_kms_key.main.arn
  iops              = var.no_default
  type              = var.prod ? "io2" : "gp3"
  tags = {
    Name        = "data-\${var.env}"
    "team-name" = "platform"
  }
}

resource "aws_security_group" "web" {
  ingress {
    from_port   = 22
    to_port     = 22
    cidr_blocks = [local.cidr, "10.0.0.0/8"]
  }
  ingress {
    from_port   = 443
    to_port     = 443
    cidr_blocks = tolist(["0.0.0.0/0"])
  }
  dynamic "egress" {
    for_each = var.egress
    content {
      from_port = egress.value.port
      protocol  = "tcp"
    }
  }
}

resource "aws_iam_policy" "p" {
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = "*", Resource = "*" }]
  })
}

resource "aws_iam_policy" "heredoc" {
  policy = <<-EOT
    {"Statement": [{"Effect": "Allow", "Action": "s3:*", "Resource": "*"}]}
    EOT
}

data "aws_ami" "base" {
  most_recent = true
}

module "vpc" {
  source = "./vpc"
}
`;

let doc: Doc;
beforeAll(async () => {
  await prepareParsers();
  const { docs, errors } = parseFile('infra/main.tf', TF);
  expect(errors).toEqual([]);
  doc = docs[0]!;
});

const res = (name: string) => doc.resources.find((r) => r.name === name)!;

describe('Terraform HCL2', () => {
  it('finds resources, data sources, modules and variables with their positions', () => {
    expect(doc.format).toBe('terraform');
    expect(doc.resources.map((r) => `${r.block} ${r.type} ${r.name}`)).toEqual([
      'variable variable encrypt',
      'variable variable no_default',
      'resource aws_ebs_volume data',
      'resource aws_security_group web',
      'resource aws_iam_policy p',
      'resource aws_iam_policy heredoc',
      'data aws_ami base',
      'module module vpc',
    ]);
    expect(res('data').pos).toMatchObject({ line: 13, column: 1, endLine: 24 });
    expect(get(res('data').body, 'availability_zone')?.pos).toMatchObject({ line: 14, column: 23 });
  });

  it('reads literals: strings, numbers (negative too), booleans', () => {
    const body = res('data').body;
    expect(toStr(get(body, 'availability_zone'))).toBe('eu-west-1a');
    expect(toNumber(get(body, 'size'))).toBe(-1);
    expect(toBool(get(res('base').body, 'most_recent'))).toBe(true);
  });

  it('resolves var.x to its default and local.x to its value; unknown without a default', () => {
    const body = res('data').body;
    expect(possibleAt(body, doc, 'encrypted').map(toBool)).toEqual([false]);
    expect(possibleAt(body, doc, 'iops')).toEqual([UNKNOWN]);
    expect(possibleAt(body, doc, 'kms_key_id')).toEqual([UNKNOWN]);
    const ingress = items(get(res('web').body, 'ingress'));
    expect(possibleStrings(get(ingress[0], 'cidr_blocks'), doc)).toEqual(['0.0.0.0/0', '10.0.0.0/8']);
  });

  it('reads a conditional as both branches', () => {
    const values = possibleAt(res('data').body, doc, 'type');
    expect(values.map((v) => (v === UNKNOWN ? 'unknown' : toStr(v)))).toEqual(['io2', 'gp3']);
  });

  it('keeps templates with interpolation unknown and object keys, quoted or not', () => {
    const tags = get(res('data').body, 'tags');
    expect(isMap(tags) && tags.entries.map((e) => e.key)).toEqual(['Name', 'team-name']);
    expect(get(tags, 'Name')?.kind).toBe('expr');
  });

  it('lists repeated blocks and reads dynamic blocks by their label', () => {
    const ingress = get(res('web').body, 'ingress');
    expect(ingress?.kind).toBe('list');
    expect(items(ingress).map((i) => toNumber(get(i, 'from_port')))).toEqual([22, 443]);
    expect(possibleStrings(get(items(ingress)[1], 'cidr_blocks'), doc)).toEqual(['0.0.0.0/0']);
    const egress = get(res('web').body, 'egress');
    expect(toStr(get(egress, 'protocol'))).toBe('tcp');
    expect(get(egress, 'from_port')?.kind).toBe('expr');
  });

  it('reads jsonencode() as its object and a heredoc without interpolation as its text', () => {
    expect(toPlain(get(res('p').body, 'policy'), doc)).toEqual({
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }],
    });
    expect(toStr(get(res('heredoc').body, 'policy'))).toBe(
      '{"Statement": [{"Effect": "Allow", "Action": "s3:*", "Resource": "*"}]}\n',
    );
  });

  it('keeps comments for suppressions', () => {
    expect(doc.comments).toEqual([{ line: 12, column: 1, text: 'A volume' }]);
  });

  it('unescapes quoted strings as HCL does', () => {
    const { docs } = parseFile('e.tf', 'resource "x" "y" {\n  a = "q\\"\\\\ \\u00e9 $${lit}"\n}\n');
    expect(toStr(get(docs[0]!.resources[0]!.body, 'a'))).toBe('q"\\ é ${lit}');
  });
});

describe('Terraform syntax errors', () => {
  it('reports the first error with its line and yields no document', () => {
    const { docs, errors } = parseFile('bad.tf', 'resource "aws_s3_bucket" "b" {\n  bucket = \n}\n');
    expect(docs).toEqual([]);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({ file: 'bad.tf', format: 'terraform' });
    expect(errors[0]!.line).toBeGreaterThanOrEqual(2);
    expect(errors[0]!.message).toMatch(/unexpected|missing/);
  });

  it('reports an unclosed block', () => {
    const { errors } = parseFile('open.tf', 'resource "a" "b" {\n  x = 1\n');
    expect(errors).toHaveLength(1);
  });
});

describe('Terraform modules', () => {
  it('shares variables and resources across the files of a folder, not beyond it', () => {
    const vars = parseFile('m/variables.tf', 'variable "enc" {\n  default = false\n}\n').docs;
    const main = parseFile('m/main.tf', 'resource "aws_ebs_volume" "v" {\n  encrypted = var.enc\n}\n').docs;
    const other = parseFile('n/main.tf', 'resource "aws_ebs_volume" "w" {\n  encrypted = var.enc\n}\n').docs;
    linkModules([...vars, ...main, ...other]);
    const [m, n] = [main[0]!, other[0]!];
    expect(possibleAt(m.resources[0]!.body, m, 'encrypted').map(toBool)).toEqual([false]);
    expect(possibleAt(n.resources[0]!.body, n, 'encrypted')).toEqual([UNKNOWN]);
    expect(m.moduleResources?.map((r) => r.name)).toEqual(['enc', 'v']);
    expect(n.moduleResources?.map((r) => r.name)).toEqual(['w']);
  });
});
