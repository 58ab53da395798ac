import { beforeAll, describe, expect, it } from '@jest/globals';
import { get, possibleAt, toBool, toStr, UNKNOWN } from '../../src/policy-as-code/model.js';
import { linkModules, parseFile, prepareParsers } from '../../src/policy-as-code/parse/index.js';

beforeAll(() => prepareParsers());

const label = (r: { block?: string; type: string; name: string }) => `${r.block} ${r.type}.${r.name}`;

describe('Packer HCL2', () => {
  const HCL = `packer {
  required_plugins {
    amazon = { version = ">= 1.2.0", source = "github.com/hashicorp/amazon" }
  }
}

variable "region" {
  type    = string
  default = "eu-west-1"
}

local "ami_name" {
  expression = "golden-\${var.region}"
  sensitive  = false
}

source "amazon-ebs" "golden" {
  region       = var.region
  encrypt_boot = true
}

build {
  sources = ["source.amazon-ebs.golden"]
  provisioner "shell" {
    inline = ["echo hi"]
  }
}
`;

  it('reads sources as resources of the builder type, and variables', () => {
    const { docs, errors } = parseFile('images/golden.pkr.hcl', HCL);
    expect(errors).toEqual([]);
    const doc = docs[0]!;
    expect(doc.format).toBe('packer');
    expect(doc.resources.map(label)).toEqual(['variable variable.region', 'source amazon-ebs.golden']);
    const src = doc.resources[1]!;
    expect(src.pos).toMatchObject({ line: 17, column: 1, endLine: 20 });
    expect(possibleAt(src.body, doc, 'region').map(toStr)).toEqual(['eu-west-1']);
    expect(doc.params.get('local.ami_name')?.kind).toBe('expr');
  });

  it('shares variables declared in another file of the folder', () => {
    const vars = parseFile('img/variables.pkr.hcl', 'variable "enc" {\n  default = false\n}\n').docs;
    const main = parseFile(
      'img/main.pkr.hcl',
      'source "amazon-ebs" "x" {\n  encrypt_boot = var.enc\n}\n',
    ).docs;
    linkModules([...vars, ...main]);
    expect(possibleAt(main[0]!.resources[0]!.body, main[0]!, 'encrypt_boot').map(toBool)).toEqual([false]);
  });

  it('reports a syntax error with its line', () => {
    const { docs, errors } = parseFile('bad.pkr.hcl', 'source "amazon-ebs" "x" {\n  region = "a\n}\n');
    expect(docs).toEqual([]);
    expect(errors[0]).toMatchObject({ file: 'bad.pkr.hcl', format: 'packer' });
  });
});

describe('Packer legacy JSON', () => {
  const JSON_TEMPLATE = `{
  "variables": { "enc": "false", "home": "{{env \`HOME\`}}", "aws_secret_key": "" },
  "sensitive-variables": ["aws_secret_key"],
  "builders": [
    { "type": "amazon-ebs", "Encrypt_Boot": "{{user \`enc\`}}", "ami_name": "x-{{timestamp}}" },
    { "type": "docker", "name": "app", "image": "ubuntu:24.04" }
  ],
  "provisioners": [{ "type": "shell", "inline": ["true"] }]
}
`;

  it('reads builders by type and name, keys case-insensitively, user variables as references', () => {
    const { docs, errors } = parseFile('packer.json', JSON_TEMPLATE);
    expect(errors).toEqual([]);
    const doc = docs[0]!;
    expect(doc.format).toBe('packer');
    expect(doc.resources.map(label)).toEqual([
      'variable variable.enc',
      'variable variable.home',
      'variable variable.aws_secret_key',
      'builder amazon-ebs.amazon-ebs',
      'builder docker.app',
    ]);
    const ebs = doc.resources[3]!;
    expect(possibleAt(ebs.body, doc, 'encrypt_boot').map(toBool)).toEqual([false]);
    expect(possibleAt(ebs.body, doc, 'ami_name')).toEqual([UNKNOWN]);
    expect(ebs.pos.line).toBe(5);
    expect(toBool(get(doc.resources[2]!.body, 'sensitive'))).toBe(true);
  });

  it('reads HCL2 in JSON syntax (.pkr.json)', () => {
    const text = `{
  "variable": { "enc": { "default": false } },
  "source": { "amazon-ebs": { "golden": { "encrypt_boot": "\${var.enc}", "region": "eu-west-1" } } }
}
`;
    const doc = parseFile('golden.pkr.json', text).docs[0]!;
    expect(doc.resources.map(label)).toEqual(['source amazon-ebs.golden', 'variable variable.enc']);
    expect(possibleAt(doc.resources[0]!.body, doc, 'encrypt_boot').map(toBool)).toEqual([false]);
  });

  it('reads a .pkr.json file of variables alone, and no other .pkr.json', () => {
    const vars = parseFile('variables.pkr.json', '{"variable": {"conn": {"sensitive": true}}}').docs;
    expect(vars.map((d) => [d.format, d.resources.map(label)])).toEqual([
      ['packer', ['variable variable.conn']],
    ]);
    expect(toBool(get(vars[0]!.resources[0]!.body, 'sensitive'))).toBe(true);
    expect(parseFile('notes.pkr.json', '{"name": "x"}').docs).toEqual([]);
  });

  it('leaves other JSON alone and reports a broken template', () => {
    expect(parseFile('package.json', '{"name": "x", "builders": "no"}')).toEqual({ docs: [], errors: [] });
    const broken = parseFile('packer.json', '{\n  "builders": [\n    { "type": "amazon-ebs", }\n');
    expect(broken.docs).toEqual([]);
    expect(broken.errors[0]).toMatchObject({ format: 'packer' });
  });
});
