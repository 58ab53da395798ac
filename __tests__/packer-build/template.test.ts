import * as path from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { UserError } from '../../src/core/errors.js';
import { inspectTemplate, substitute, templateFiles } from '../../src/packer-build/template.js';
import { tmpDir, writeTree } from '../helpers/tmp.js';

const HCL = `
packer {
  required_plugins {
    amazon = {
      version = ">= 1.2.0"
      source  = "github.com/hashicorp/amazon"
    }
  }
}

variable "db_password" {
  type      = string
  sensitive = true
}

variable "name" {
  type    = string
  default = "golden"
}

source "amazon-ebs" "golden" {
  region = "eu-west-1"
}

source "null" "check" {
  communicator = "none"
}

build {
  sources = ["source.amazon-ebs.golden", "source.null.check"]

  post-processor "manifest" {
    output = "out/\${var.name}-manifest.json"
  }

  post-processors {
    post-processor "checksum" {}
    post-processor "manifest" {
      output = var.where
    }
  }
}
`;

const LEGACY = JSON.stringify({
  variables: { api_token: '', out: 'legacy.json' },
  'sensitive-variables': ['api_token'],
  builders: [{ type: 'amazon-ebs', name: 'ebs-x86' }, { type: 'null' }],
  'post-processors': [
    'manifest',
    [{ type: 'manifest', output: 'dist/{{user `out`}}' }],
    { type: 'checksum' },
  ],
});

describe('inspectTemplate', () => {
  it('reads an HCL2 folder: sensitive variables, required plugins, builds and manifest outputs', async () => {
    const dir = tmpDir('pkr-');
    writeTree(dir, { 'golden.pkr.hcl': HCL, 'README.md': 'not a template' });
    const info = await inspectTemplate({ template: dir, shown: '.' });
    expect(info.kind).toBe('hcl2');
    expect(info.files).toEqual([path.join(dir, 'golden.pkr.hcl')]);
    expect([...info.sensitive]).toEqual(['db_password']);
    expect(info.requiredPlugins).toEqual(['amazon']);
    expect([...info.builderTypes]).toEqual([
      ['amazon-ebs.golden', 'amazon-ebs'],
      ['null.check', 'null'],
    ]);
    expect(info.manifests).toEqual([
      { raw: 'out/${var.name}-manifest.json', output: 'out/golden-manifest.json' },
      { raw: '${var.where}' },
    ]);
    const given = await inspectTemplate({
      template: dir,
      shown: '.',
      variables: new Map([
        ['name', 'x'],
        ['where', 'm.json'],
      ]),
    });
    expect(given.manifests.map((m) => m.output)).toEqual(['out/x-manifest.json', 'm.json']);
    expect(info.unreadable).toEqual([]);
  });

  it('reads a legacy JSON template: sensitive-variables, named builders, every post-processor form', async () => {
    const dir = tmpDir('pkr-');
    writeTree(dir, { 'image.json': LEGACY });
    const info = await inspectTemplate({ template: path.join(dir, 'image.json'), shown: 'image.json' });
    expect(info.kind).toBe('json');
    expect([...info.sensitive]).toEqual(['api_token']);
    expect(info.requiredPlugins).toEqual([]);
    expect([...info.builderTypes]).toEqual([
      ['ebs-x86', 'amazon-ebs'],
      ['null', 'null'],
    ]);
    expect(info.manifests.map((m) => m.output)).toEqual(['packer-manifest.json', 'dist/legacy.json']);
  });

  it('does not fail on a template that does not parse: packer will say why', async () => {
    const dir = tmpDir('pkr-');
    writeTree(dir, { 'bad.pkr.hcl': 'source "null" "x" {\n  communicator = \n}\n' });
    const info = await inspectTemplate({ template: path.join(dir, 'bad.pkr.hcl'), shown: 'bad.pkr.hcl' });
    expect(info.unreadable).toEqual([path.join(dir, 'bad.pkr.hcl')]);
    expect(info.manifests).toEqual([]);
  });
});

describe('builds, regions and variables', () => {
  it('names builds as packer does: type.name, build-name.type.name, nested and renamed sources', async () => {
    const dir = tmpDir('pkr-');
    writeTree(dir, {
      'sources.pkr.hcl': `variable "region" {
  default = "eu-west-1"
}

source "amazon-ebs" "golden" {
  region = var.region
}

source "null" "check" {
  communicator = "none"
}
`,
      'builds.pkr.hcl': `build {
  name    = "release"
  sources = ["source.amazon-ebs.golden"]

  source "amazon-ebs.golden" {
    name = "arm64"
  }
}

build {
  sources = ["source.null.check"]
}
`,
    });
    const info = await inspectTemplate({
      template: dir,
      shown: '.',
      variables: new Map([['region', 'us-east-2']]),
    });
    expect([...info.builderTypes]).toEqual([
      ['release.amazon-ebs.golden', 'amazon-ebs'],
      ['release.amazon-ebs.arm64', 'amazon-ebs'],
      ['null.check', 'null'],
    ]);
    expect(info.buildsKnown).toBe(true);
    expect([...info.regions]).toEqual([
      ['release.amazon-ebs.golden', 'us-east-2'],
      ['release.amazon-ebs.arm64', 'us-east-2'],
    ]);
  });

  it('says the builds are not all known when a source is an expression', async () => {
    const dir = tmpDir('pkr-');
    writeTree(dir, { 'b.pkr.hcl': 'build {\n  sources = local.sources\n}\n' });
    expect((await inspectTemplate({ template: dir, shown: '.' })).buildsKnown).toBe(false);
  });

  it('reads a .pkr.json file of variables alone: its sensitive flags count', async () => {
    const dir = tmpDir('pkr-');
    writeTree(dir, {
      'vars.pkr.json': JSON.stringify({
        variable: { conn: { sensitive: true }, region: { default: 'eu-west-1' } },
      }),
      'main.pkr.hcl': 'source "null" "x" {\n  communicator = "none"\n}\n',
    });
    const info = await inspectTemplate({ template: dir, shown: '.' });
    expect([...info.sensitive]).toEqual(['conn']);
    expect(info.unreadable).toEqual([]);
  });

  it('resolves variables as packer does: defaults, PKR_VAR_, auto var files, var files, then -var', async () => {
    const dir = tmpDir('pkr-');
    writeTree(dir, {
      'm.pkr.hcl': `variable "a" {
  default = "default"
}
variable "b" {
  default = "default"
}
variable "c" {
  default = "default"
}
variable "d" {
  default = "default"
}

build {
  post-processor "manifest" {
    output = "\${var.a}-\${var.b}-\${var.c}-\${var.d}.json"
  }
}
`,
      'z.auto.pkrvars.hcl': 'b = "auto"\nc = "auto"\nd = "auto"\n',
      'given.pkrvars.json': JSON.stringify({ c: 'file', d: 'file' }),
    });
    const info = await inspectTemplate({
      template: dir,
      shown: '.',
      env: { PKR_VAR_a: 'env', PKR_VAR_b: 'env' },
      varFiles: [path.join(dir, 'given.pkrvars.json')],
      variables: new Map([['d', 'var']]),
    });
    expect(info.manifests.map((m) => m.output)).toEqual(['env-auto-file-var.json']);
  });
});

describe('templateFiles', () => {
  it('names the input and the fix for a missing path, an empty folder, or another kind of file', () => {
    const dir = tmpDir('pkr-');
    writeTree(dir, { 'empty/README.md': '', 'notes.txt': '' });
    expect(() => templateFiles(path.join(dir, 'nope'), 'nope')).toThrow(
      new UserError(
        "The template nope does not exist (input 'template'). Give a .pkr.hcl file, a folder of them, or a JSON template, relative to the working directory.",
      ),
    );
    expect(() => templateFiles(path.join(dir, 'empty'), 'empty')).toThrow(/holds no Packer HCL2 files/);
    expect(() => templateFiles(path.join(dir, 'notes.txt'), 'notes.txt')).toThrow(/is not a Packer template/);
  });
});

describe('substitute', () => {
  it('replaces known variables and gives up on anything else', () => {
    const values = new Map([['a', '1']]);
    expect(substitute('x-${var.a}-{{user `a`}}', values)).toBe('x-1-1');
    expect(substitute('${var.b}', values)).toBeUndefined();
    expect(substitute('{{timestamp}}.json', values)).toBeUndefined();
    expect(substitute('${local.x}', values)).toBeUndefined();
  });
});
