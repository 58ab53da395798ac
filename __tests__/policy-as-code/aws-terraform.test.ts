import { describe, expect, it } from '@jest/globals';
import { checkDoc } from '../../src/policy-as-code/engine.js';
import { get } from '../../src/policy-as-code/model.js';
import { linkModules, parseFile, prepareParsers } from '../../src/policy-as-code/parse/index.js';
import { conditionNarrows, UNKNOWN_KEY } from '../../src/policy-as-code/rules/aws-helpers.js';
import {
  documentStatements,
  hasCompanion,
  mayReference,
  referencesTo,
} from '../../src/policy-as-code/rules/aws-terraform.js';
import { BUILTIN_RULES } from '../../src/policy-as-code/rules/index.js';
import type { Doc } from '../../src/policy-as-code/types.js';

// The HCL grammar loads asynchronously, once; the documents below are parsed at collection time.
await prepareParsers();

function tfDoc(text: string, file = 'm/main.tf'): Doc {
  const { docs, errors } = parseFile(file, text);
  expect(errors).toEqual([]);
  return docs[0]!;
}

/** Parses files as one scan (folders are modules) and returns `rule-id file:line` findings. */
function scan(files: Record<string, string>, ruleIds: string[]): string[] {
  const docs = Object.entries(files).flatMap(([file, text]) => parseFile(file, text).docs);
  linkModules(docs);
  const rules = BUILTIN_RULES.filter((r) => ruleIds.includes(r.id));
  return docs.flatMap((d) => checkDoc(d, rules).map((f) => `${f.ruleId} ${f.file}:${f.pos.line}`)).sort();
}

const BUCKETS = `variable "name" {}
variable "known" { default = "named" }
resource "aws_s3_bucket" "a" {
  bucket = "alpha"
}
resource "aws_s3_bucket" "b" {
  bucket = var.known
}
resource "aws_s3_bucket" "generated" {
  bucket_prefix = "gen-"
}
resource "aws_s3_bucket" "unknown" {
  bucket = var.name
}
`;

describe('mayReference', () => {
  const doc = tfDoc(
    `${BUCKETS}resource "x" "refs" {
  ref_a      = aws_s3_bucket.a.id
  ref_index  = aws_s3_bucket.a[0].arn
  ref_other  = aws_s3_bucket.b.id
  ref_data   = data.aws_s3_bucket.a.id
  ref_module = module.s3.bucket_id
  ref_each   = each.value
  ref_local  = local.bucket
  ref_cond   = var.known == "" ? aws_s3_bucket.b.id : aws_s3_bucket.a.id
  lit_alpha  = "alpha"
  lit_arn    = "arn:aws:s3:::alpha"
  lit_named  = "named"
  lit_other  = "omega"
  ref_free   = var.name
}
locals {
  bucket = aws_s3_bucket.a.bucket
}
`,
  );
  const [a, b, generated, unknown] = ['a', 'b', 'generated', 'unknown'].map((n) =>
    doc.resources.find((r) => r.type === 'aws_s3_bucket' && r.name === n)!,
  );
  const refs = doc.resources.find((r) => r.name === 'refs')!;
  const may = (attr: string, target = a!) => mayReference(get(refs.body, attr), doc, target!, 'bucket');

  it('matches a reference to the resource, with or without an index, through locals and branches', () => {
    expect([may('ref_a'), may('ref_index'), may('ref_local'), may('ref_cond')]).toEqual([
      true,
      true,
      true,
      true,
    ]);
  });

  it('does not match a reference to another bucket of the same type', () => {
    expect(may('ref_other')).toBe(false);
    expect(may('ref_a', b)).toBe(false);
  });

  it('takes what cannot be attributed as a possible reference: data sources, modules, each, unknown variables', () => {
    expect([may('ref_data'), may('ref_module'), may('ref_each'), may('ref_free')]).toEqual([
      true,
      true,
      true,
      true,
    ]);
  });

  it('matches literal names and ARNs against the known bucket name only', () => {
    expect([may('lit_alpha'), may('lit_arn'), may('lit_other')]).toEqual([true, true, false]);
    expect([may('lit_named', b), may('lit_alpha', b)]).toEqual([true, false]);
    // A generated name cannot be written as a literal; an unknown one may be anything.
    expect([may('lit_alpha', generated), may('lit_alpha', unknown)]).toEqual([false, true]);
  });

  it('finds companions of the module only among resource blocks', () => {
    const d = tfDoc(`resource "aws_s3_bucket" "a" {
  bucket = "alpha"
}
data "aws_s3_bucket_public_access_block" "x" {
  bucket = aws_s3_bucket.a.id
}
`);
    expect(hasCompanion(d, d.resources[0]!, ['aws_s3_bucket_public_access_block'])).toBe(false);
  });
});

describe('aws_iam_policy_document', () => {
  const doc = tfDoc(`data "aws_iam_policy_document" "trust" {
  statement {
    sid     = "Assume"
    actions = ["sts:AssumeRole"]
    principals {
      type        = "AWS"
      identifiers = ["arn:aws:iam::123456789012:root"]
    }
    principals {
      type        = "*"
      identifiers = ["*"]
    }
    condition {
      test     = "StringEquals"
      variable = "aws:PrincipalOrgID"
      values   = ["o-abc123"]
    }
  }
  statement {
    effect    = "Deny"
    actions   = ["s3:*"]
    resources = ["*"]
  }
}
resource "aws_iam_role" "r" {
  assume_role_policy = data.aws_iam_policy_document.trust.json
}
`);
  const data = doc.resources.find((r) => r.block === 'data')!;

  it('reads statement blocks as IAM statements, effect Allow by default, principals merged', () => {
    const [assume, deny] = documentStatements(data, doc);
    expect(assume!.principals).toBe(true);
    expect(assume!.statement.entries.map((e) => e.key)).toEqual([
      'Sid',
      'Action',
      'Effect',
      'Principal',
      'Condition',
    ]);
    const principal = get(assume!.statement, 'Principal');
    expect(principal?.kind === 'map' && principal.entries.map((e) => e.key)).toEqual(['AWS']);
    expect(get(principal, 'AWS')?.kind === 'list' && get(principal, 'AWS')).toMatchObject({
      items: [{ value: 'arn:aws:iam::123456789012:root' }, { value: '*', pos: { line: 11 } }],
    });
    expect(conditionNarrows(assume!.statement, doc)).toBe(true);
    expect(deny!.principals).toBe(false);
    expect(get(deny!.statement, 'Effect')).toMatchObject({ value: 'Deny' });
  });

  it('knows what the module uses it as', () => {
    expect(referencesTo(doc, data)).toEqual(['aws_iam_role.assume_role_policy']);
    expect([...documentStatements(data, doc)[0]!.uses]).toEqual(['trust']);
  });

  it('gives an unknown condition key the benefit of the doubt', () => {
    const d = tfDoc(`data "aws_iam_policy_document" "p" {
  statement {
    actions = ["s3:GetObject"]
    principals {
      type        = "*"
      identifiers = ["*"]
    }
    condition {
      test     = var.test
      variable = "aws:SourceVpce"
      values   = ["vpce-1"]
    }
  }
}
`);
    const st = documentStatements(d.resources[0]!, d)[0]!.statement;
    expect(get(st, 'Condition')).toMatchObject({ entries: [{ key: UNKNOWN_KEY }] });
    expect(conditionNarrows(st, d)).toBe(true);
  });
});

describe('Terraform modules across files', () => {
  it('finds a bucket companion in another file of the folder, not in another folder', () => {
    const findings = scan(
      {
        'app/main.tf': 'resource "aws_s3_bucket" "data" {\n  bucket = "data"\n}\n',
        'app/s3.tf': `resource "aws_s3_bucket_public_access_block" "data" {
  bucket                  = aws_s3_bucket.data.id
  block_public_acls       = true
  block_public_policy     = true
  ignore_public_acls      = true
  restrict_public_buckets = var.restrict
}
`,
        'app/variables.tf': 'variable "restrict" {\n  default = false\n}\n',
        'other/main.tf': 'resource "aws_s3_bucket" "data" {\n  bucket = "data2"\n}\n',
      },
      ['s3-public-access-block-off'],
    );
    // The block in app/s3.tf is reported (its flag is false through app/variables.tf) where it
    // is; the bucket in app/ has its block; the bucket in other/ has none.
    expect(findings).toEqual([
      's3-public-access-block-off app/s3.tf:6',
      's3-public-access-block-off other/main.tf:1',
    ]);
  });

  it('reports a trust policy document used by a role in another file, on the document', () => {
    const findings = scan(
      {
        'iam/role.tf':
          'resource "aws_iam_role" "r" {\n  assume_role_policy = data.aws_iam_policy_document.t.json\n}\n',
        'iam/policies.tf': `data "aws_iam_policy_document" "t" {
  statement {
    actions = ["sts:AssumeRole", "s3:ListBucket"]
    principals {
      type        = "AWS"
      identifiers = ["*"]
    }
  }
}
`,
      },
      ['iam-trust-any-principal', 's3-public-policy'],
    );
    expect(findings).toEqual(['iam-trust-any-principal iam/policies.tf:6']);
  });

  it('reports values from variables and locals of another file where the resource refers to them', () => {
    const findings = scan(
      {
        'net/variables.tf': `variable "cidrs" {
  default = ["10.0.0.0/8", "0.0.0.0/0"]
}
variable "principals" {
  default = ["*"]
}
locals {
  policy = {
    Statement = [{ Effect = "Allow", Principal = "*", Action = "s3:GetObject", Resource = "*" }]
  }
}
`,
        'net/main.tf': `resource "aws_security_group_rule" "ssh" {
  type        = "ingress"
  from_port   = 22
  to_port     = 22
  protocol    = "tcp"
  cidr_blocks = var.cidrs
}
resource "aws_s3_bucket_policy" "p" {
  bucket = "x"
  policy = jsonencode(local.policy)
}
data "aws_iam_policy_document" "d" {
  statement {
    actions = ["s3:GetObject"]
    principals {
      type        = "AWS"
      identifiers = var.principals
    }
  }
}
`,
      },
      ['sg-ssh-open', 's3-public-policy'],
    );
    expect(findings).toEqual([
      's3-public-policy net/main.tf:10',
      's3-public-policy net/main.tf:17',
      'sg-ssh-open net/main.tf:6',
    ]);
  });
});
