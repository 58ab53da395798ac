/** The packer-build engine with the real packer 1.6.6: HCL2 and JSON templates, null and file builders, manifests. */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { UserError } from '../../src/core/errors.js';
import { recordingReporter } from '../../src/core/reporter.js';
import { findOnPath } from '../../src/core/tools.js';
import { runPackerBuild, unformattedFiles, type BuildOptions } from '../../src/packer-build/build.js';
import { nullBuild, slowScript } from '../helpers/packer.js';
import { tmpDir, writeTree } from '../helpers/tmp.js';

const PACKER = findOnPath('packer')!;

const HCL = `variable "greeting" {
  type    = string
  default = "hello, world"
}

variable "db_password" {
  type      = string
  default   = ""
  sensitive = true
}

source "null" "check" {
  communicator = "none"
}

source "file" "motd" {
  content = "welcome"
  target  = "out/motd.txt"
}

build {
  sources = ["source.null.check", "source.file.motd"]

  provisioner "shell-local" {
    inline = ["echo \${var.greeting} \${var.db_password}"]
  }

  post-processor "manifest" {
    output = "manifests/\${var.greeting}.json"
  }
}
`;

const LEGACY = JSON.stringify(
  {
    variables: { api_token: '' },
    'sensitive-variables': ['api_token'],
    builders: [
      { type: 'file', name: 'readme', content: 'built by {{user `api_token`}}', target: 'README.out' },
      { type: 'null', communicator: 'none' },
    ],
    provisioners: [{ type: 'shell-local', inline: ['echo token is {{user `api_token`}}'] }],
    'post-processors': ['manifest'],
  },
  null,
  2,
);

function options(
  dir: string,
  more: Partial<BuildOptions> = {},
): BuildOptions & { reporter: ReturnType<typeof recordingReporter> } {
  return {
    packer: PACKER,
    version: '1.6.6',
    template: dir,
    templateShown: '.',
    cwd: dir,
    workspace: dir,
    ...more,
    reporter: recordingReporter(),
  };
}

describe('an HCL2 folder with the null and file builders and a manifest post-processor', () => {
  it('runs every step, captures both artifacts once, and keeps only this run in the manifest', async () => {
    const dir = tmpDir('pkr-build-');
    writeTree(dir, {
      'golden.pkr.hcl': HCL,
      // An earlier run's builds, which the post-processor appends to.
      'manifests/hi.json': JSON.stringify({
        builds: [{ name: 'check', builder_type: 'null', packer_run_uuid: 'an-earlier-run' }],
        last_run_uuid: 'an-earlier-run',
      }),
    });
    const masked: string[] = [];
    const opts = options(dir, {
      variables: [
        ['greeting', 'hi'],
        ['db_password', 'correct-horse-battery'],
      ],
      mask: (v) => masked.push(v),
      manifestFile: path.join(dir, 'build/manifest.json'),
    });
    const result = await runPackerBuild(opts);
    expect(result.failure).toBeUndefined();
    expect(result.steps.map((s) => [s.name, s.status, s.note])).toEqual([
      ['init', 'skipped', 'packer 1.6.6 has no init (it came with 1.7.0); its plugins are built in'],
      ['fmt-check', 'passed', undefined],
      ['validate', 'passed', undefined],
      ['build', 'passed', '2 artifacts'],
    ]);
    expect(result.artifacts.map((a) => [a.build, a.builderId, a.id, a.files]).sort()).toEqual([
      ['file.motd', 'packer.file', 'File', ['out/motd.txt']],
      ['null.check', 'fnoeding.null', 'Null', []],
    ]);
    expect(fs.readFileSync(path.join(dir, 'out/motd.txt'), 'utf8')).toBe('welcome');
    expect(result.amis).toEqual({});
    expect(result.amiId).toBeUndefined();

    // The manifest: this run's two builds, not the earlier one, read from the template's own file.
    expect(result.manifest?.source).toBe('template');
    expect(result.manifest?.from).toBe(path.join(dir, 'manifests/hi.json'));
    const written = JSON.parse(fs.readFileSync(path.join(dir, 'build/manifest.json'), 'utf8'));
    expect(written.builds.map((b: any) => b.name).sort()).toEqual(['check', 'motd']);
    expect(written.builds.every((b: any) => b.packer_run_uuid === written.last_run_uuid)).toBe(true);
    expect(written.last_run_uuid).not.toBe('an-earlier-run');
    const appended = JSON.parse(fs.readFileSync(path.join(dir, 'manifests/hi.json'), 'utf8'));
    expect(appended.builds).toHaveLength(3);

    // The sensitive value is masked and never reaches the log; the plain one does.
    expect(masked).toEqual(['correct-horse-battery']);
    const log = opts.reporter.lines.join('\n');
    expect(log).not.toContain('correct-horse-battery');
    expect(log).toContain('null.check: hi ***');
    expect(opts.reporter.lines).toEqual(
      expect.arrayContaining([
        'group: packer fmt -check .',
        'group: packer validate .',
        'group: packer build .',
      ]),
    );
  });

  it('builds only what -only names and passes var-files', async () => {
    const dir = tmpDir('pkr-build-');
    writeTree(dir, {
      'golden.pkr.hcl': HCL,
      'vars/ci.pkrvars.hcl': 'greeting = "from-file"\n',
      'manifests/.keep': '',
    });
    const result = await runPackerBuild(
      options(dir, { only: ['null.check'], varFiles: [path.join(dir, 'vars/ci.pkrvars.hcl')] }),
    );
    expect(result.failure).toBeUndefined();
    expect(result.artifacts.map((a) => a.build)).toEqual(['null.check']);
    expect(fs.existsSync(path.join(dir, 'manifests/from-file.json'))).toBe(true);
  });

  it('stops after the checks when build is off, and makes no manifest', async () => {
    const dir = tmpDir('pkr-build-');
    writeTree(dir, { 'golden.pkr.hcl': HCL });
    const result = await runPackerBuild(options(dir, { build: false, fmtCheck: false }));
    expect(result.steps.map((s) => [s.name, s.status])).toEqual([
      ['init', 'skipped'],
      ['fmt-check', 'skipped'],
      ['validate', 'passed'],
      ['build', 'skipped'],
    ]);
    expect(result.manifest).toBeUndefined();
    expect(fs.existsSync(path.join(dir, 'out'))).toBe(false);
  });
});

describe('a legacy JSON template', () => {
  it('builds it, skips fmt (HCL2 only), masks sensitive-variables, and names builds as the template does', async () => {
    const dir = tmpDir('pkr-build-');
    writeTree(dir, { 'image.json': LEGACY });
    const masked: string[] = [];
    const opts = options(dir, {
      template: path.join(dir, 'image.json'),
      templateShown: 'image.json',
      variables: [['api_token', 'tok-123456']],
      mask: (v) => masked.push(v),
    });
    const result = await runPackerBuild(opts);
    expect(result.failure).toBeUndefined();
    expect(result.steps.find((s) => s.name === 'fmt-check')).toMatchObject({
      status: 'skipped',
      note: 'packer fmt formats .pkr.hcl files only',
    });
    expect(result.artifacts.map((a) => a.build).sort()).toEqual(['null', 'readme']);
    expect(masked).toEqual(['tok-123456']);
    expect(opts.reporter.lines.join('\n')).not.toContain('tok-123456');
    expect(opts.reporter.lines.join('\n')).toContain('token is ***');
    // The template's manifest post-processor (the bare "manifest" form) wrote packer-manifest.json.
    expect(result.manifest?.source).toBe('template');
    expect(result.manifest?.manifest.builds.map((b) => [b.name, b.builder_type]).sort()).toEqual([
      ['null', 'null'],
      ['readme', 'file'],
    ]);
  });

  it('makes the manifest from the artifacts when the template has no manifest post-processor', async () => {
    const dir = tmpDir('pkr-build-');
    const template = JSON.parse(LEGACY);
    delete template['post-processors'];
    writeTree(dir, { 'image.json': JSON.stringify(template) });
    const result = await runPackerBuild(
      options(dir, {
        template: path.join(dir, 'image.json'),
        templateShown: 'image.json',
        manifestFile: path.join(dir, 'm.json'),
      }),
    );
    expect(result.manifest?.source).toBe('artifacts');
    const written = JSON.parse(fs.readFileSync(path.join(dir, 'm.json'), 'utf8'));
    const readme = written.builds.find((b: any) => b.name === 'readme');
    expect(readme).toMatchObject({
      builder_type: 'file',
      artifact_id: 'File',
      files: [{ name: 'README.out', size: 9 }],
    });
  });
});

describe('failures', () => {
  it('a failing provisioner fails the build step, with the error annotated at the template', async () => {
    const dir = tmpDir('pkr-build-');
    writeTree(dir, {
      'fail.pkr.hcl': nullBuild('f', { inline: ['echo about to fail', 'exit 7'] }),
    });
    const opts = options(dir);
    const result = await runPackerBuild(opts);
    expect(result.steps.find((s) => s.name === 'build')).toMatchObject({ status: 'failed', note: 'exit 1' });
    expect(result.failure).toBe(
      'packer build failed (exit 1): null.f: Script exited with non-zero exit status: 7.Allowed exit codes are: [0].',
    );
    expect(opts.reporter.annotations).toEqual([
      {
        level: 'error',
        title: 'packer build: null.f',
        message: 'Script exited with non-zero exit status: 7.Allowed exit codes are: [0]',
        file: 'fail.pkr.hcl',
      },
    ]);
    expect(result.artifacts).toEqual([]);
    expect(result.manifest?.manifest.builds).toEqual([]);
  });

  it('bad HCL fails validate, annotated at its file and line, and nothing is built', async () => {
    const dir = tmpDir('pkr-build-');
    writeTree(dir, { 'packer/bad.pkr.hcl': 'source "null" "x" {\n  communicator = \n}\n' });
    const opts = options(path.join(dir, 'packer'), {
      workspace: dir,
      templateShown: 'packer',
      fmtCheck: false,
    });
    const result = await runPackerBuild(opts);
    expect(result.steps.map((s) => [s.name, s.status])).toEqual([
      ['init', 'skipped'],
      ['fmt-check', 'skipped'],
      ['validate', 'failed'],
      ['build', 'skipped'],
    ]);
    expect(result.steps[3]!.note).toBe('an earlier step failed');
    expect(opts.reporter.annotations).toEqual([
      expect.objectContaining({ level: 'error', file: 'packer/bad.pkr.hcl', line: 2 }),
    ]);
    expect(result.failure).toMatch(
      /^packer validate failed \(exit 1\): Invalid expression: .* \(bad\.pkr\.hcl line 2\)\.$/,
    );
  });

  it('unformatted files fail fmt-check, each named and annotated, before anything else runs', async () => {
    const dir = tmpDir('pkr-build-');
    writeTree(dir, {
      'a.pkr.hcl': 'source "null" "x" {\ncommunicator="none"\n}\n',
      'b.pkr.hcl': 'build {\n  sources=["source.null.x"]\n}\n',
      'c.pkr.hcl': 'variable "ok" {\n  default = "1"\n}\n',
    });
    const opts = options(dir);
    const result = await runPackerBuild(opts);
    expect(result.unformatted).toEqual(['a.pkr.hcl', 'b.pkr.hcl']);
    expect(result.failure).toBe(
      '2 files not formatted: a.pkr.hcl, b.pkr.hcl. Run `packer fmt .` and commit the result, or set fmt-check: false.',
    );
    expect(opts.reporter.annotations.map((a) => a.file)).toEqual(['a.pkr.hcl', 'b.pkr.hcl']);
    expect(result.steps.filter((s) => s.status === 'skipped').map((s) => s.name)).toEqual([
      'init',
      'validate',
      'build',
    ]);
  });

  it('reads the file names packer fmt -check prints, once each', () => {
    expect(unformattedFiles('x/a.pkr.hcl\nx/b.pkrvars.hcl\nx/a.pkr.hcl\n')).toEqual([
      'x/a.pkr.hcl',
      'x/b.pkrvars.hcl',
    ]);
  });

  it('a build that runs out of time is interrupted, cleans up, and says so', async () => {
    const dir = tmpDir('pkr-build-');
    writeTree(dir, {
      'slow.sh': slowScript(1, 30),
      'slow.pkr.hcl': nullBuild('s', { script: 'slow.sh' }),
    });
    fs.chmodSync(path.join(dir, 'slow.sh'), 0o755);
    const result = await runPackerBuild(options(dir, { timeoutMs: 2000 }));
    expect(result.cancelled).toBe('timeout');
    expect(result.steps.find((s) => s.name === 'build')).toMatchObject({
      status: 'cancelled',
      note: 'timed out',
    });
    expect(result.failure).toBe(
      'packer build ran out of time after 2.0 s (timeout-minutes); packer was interrupted and cleaned up.',
    );
    expect(fs.readFileSync(path.join(dir, 'marks'), 'utf8')).toBe('started\ninterrupted\ncleaned\n');
  }, 60_000);
});

describe('secrets', () => {
  it("masks a sensitive value in every form packer prints it, and a .pkr.json file's sensitive variables", async () => {
    const dir = tmpDir('pkr-build-');
    writeTree(dir, {
      'vars.pkr.json': JSON.stringify({
        variable: { conn: { type: 'string', default: '', sensitive: true } },
      }),
      'echo.pkr.hcl': `source "null" "e" {
  communicator = "none"
}

build {
  sources = ["source.null.e"]

  provisioner "shell-local" {
    inline = ["echo conn=\${var.conn}", "echo plain=\${var.token_ttl}"]
  }
}

variable "token_ttl" {
  type    = string
  default = ""
}
`,
    });
    const masked: string[] = [];
    const secret = 'hunter2,with-a-comma';
    const opts = options(dir, {
      fmtCheck: false,
      variables: [
        ['conn', secret],
        ['token_ttl', '3600'],
      ],
      mask: (v) => masked.push(v),
    });
    const result = await runPackerBuild(opts);
    expect(result.failure).toBeUndefined();
    // Packer prints the comma as %!(PACKER_COMMA); neither form, nor any part, reaches the log.
    expect(masked).toEqual([secret]);
    const log = opts.reporter.lines.join('\n');
    expect(log).toContain('null.e: conn=***');
    expect(log).not.toMatch(/hunter2|with-a-comma/);
    // A secret-sounding name with a plain value is not masked: 3600 stays readable.
    expect(log).toContain('null.e: plain=3600');
  });

  it('masks every value when a template file cannot be read, and says why', async () => {
    const dir = tmpDir('pkr-build-');
    writeTree(dir, { 'bad.pkr.hcl': 'variable "region" {\n  default = \n}\n' });
    const masked: string[] = [];
    const opts = options(dir, {
      fmtCheck: false,
      variables: [
        ['region', 'eu-west-1'],
        ['count', '1'],
      ],
      mask: (v) => masked.push(v),
    });
    const result = await runPackerBuild(opts);
    expect(result.steps.find((s) => s.name === 'validate')?.status).toBe('failed');
    expect(masked).toEqual(['eu-west-1']);
    expect(opts.reporter.lines).toContain(
      'warning: Could not read bad.pkr.hcl before running packer, so which variables it marks sensitive is unknown: every variables value is masked, but for numbers, booleans and values under 6 characters.',
    );
  });
});

describe('what packer and its plugins are given', () => {
  it("neither the action's inputs (github-token, variables) nor the runner's runtime token, but AWS settings", async () => {
    const dir = tmpDir('pkr-build-');
    writeTree(dir, {
      'env.pkr.hcl': nullBuild('e', {
        inline: ['echo inputs=$(env | grep -c ^INPUT_) runtime=$ACTIONS_RUNTIME_TOKEN. region=$AWS_REGION'],
      }),
    });
    const env = {
      ...process.env,
      'INPUT_GITHUB-TOKEN': 'ghs_from_the_runner',
      INPUT_VARIABLES: 'password=from-the-runner',
      ACTIONS_RUNTIME_TOKEN: 'runtime-token',
      AWS_REGION: 'eu-west-1',
    };
    const opts = options(dir, { env });
    expect((await runPackerBuild(opts)).failure).toBeUndefined();
    expect(opts.reporter.lines).toContain('    null.e: inputs=0 runtime=. region=eu-west-1');
  });

  it('skips fmt-check for a .pkr.json template, which packer fmt cannot read', async () => {
    const dir = tmpDir('pkr-build-');
    writeTree(dir, {
      'golden.pkr.json': JSON.stringify({
        source: { null: { j: { communicator: 'none' } } },
        build: { sources: ['source.null.j'] },
      }),
    });
    const result = await runPackerBuild(options(dir));
    expect(result.failure).toBeUndefined();
    expect(result.steps[1]).toMatchObject({
      name: 'fmt-check',
      status: 'skipped',
      note: 'packer fmt formats .pkr.hcl files only',
    });
    expect(result.artifacts.map((a) => a.build)).toEqual(['null.j']);
  });
});

describe('errors without a place', () => {
  it('a -var packer refuses fails validate with its own words, annotated at the template', async () => {
    const dir = tmpDir('pkr-build-');
    writeTree(dir, {
      'n.pkr.hcl': `variable "count" {
  type = number
}

source "null" "n" {
  communicator = "none"
}

build {
  sources = ["source.null.n"]
}
`,
    });
    const opts = options(dir, { variables: [['count', 'many']] });
    const result = await runPackerBuild(opts);
    expect(result.failure).toBe(
      "packer validate failed (exit 1): Invalid argument value for -var variable: The received arg value for count is not compatible with the variable's type constraint: a number is required.",
    );
    expect(opts.reporter.annotations).toEqual([
      {
        level: 'error',
        title: 'packer',
        file: 'n.pkr.hcl',
        message:
          "Invalid argument value for -var variable: The received arg value for count is not compatible with the variable's type constraint: a number is required.",
      },
    ]);
  });
});

describe('which builds run', () => {
  const NAMED = `source "null" "one" {
  communicator = "none"
}

source "null" "two" {
  communicator = "none"
}

build {
  name    = "golden"
  sources = ["source.null.one", "source.null.two"]
}
`;

  it('refuses an only that names no build, before packer runs, listing the builds there are', async () => {
    const dir = tmpDir('pkr-build-');
    writeTree(dir, { 'named.pkr.hcl': NAMED });
    await expect(runPackerBuild(options(dir, { only: ['golden.null.one', 'null.two'] }))).rejects.toThrow(
      new UserError(
        'only names no build of .: null.two. Its builds are golden.null.one, golden.null.two (HCL2 names a build type.name, or build-name.type.name inside a build block with a name; globs such as amazon-ebs.* work too).',
      ),
    );
    const picked = await runPackerBuild(options(dir, { only: ['*.null.two'] }));
    expect(picked.failure).toBeUndefined();
    expect(picked.artifacts.map((a) => a.build)).toEqual(['golden.null.two']);
  });

  it("matches a JSON template's names exactly, as packer does, {{user}} variables resolved", async () => {
    const dir = tmpDir('pkr-build-');
    const builders = [
      { type: 'null', name: 'first', communicator: 'none' },
      { type: 'null', name: '{{user `second`}}', communicator: 'none' },
    ];
    writeTree(dir, { 'image.json': JSON.stringify({ variables: { second: 'web' }, builders }) });
    const json = (more: Partial<BuildOptions>) =>
      options(dir, { template: path.join(dir, 'image.json'), templateShown: 'image.json', ...more });
    await expect(runPackerBuild(json({ only: ['f*'] }))).rejects.toThrow(
      "only names no build of image.json: f*. Its builds are first, web (a JSON template names each build by its builder's name, else its type, and packer matches them exactly).",
    );
    const web = await runPackerBuild(json({ only: ['web'] }));
    expect(web.artifacts.map((a) => a.build)).toEqual(['web']);
    const renamed = await runPackerBuild(json({ only: ['api'], variables: [['second', 'api']] }));
    expect(renamed.artifacts.map((a) => a.build)).toEqual(['api']);
  });

  it("lists artifacts in the template's build order, whatever order packer finishes them in", async () => {
    const dir = tmpDir('pkr-build-');
    const builders = ['c', 'a', 'd', 'b'].map((name) => ({ type: 'null', name, communicator: 'none' }));
    writeTree(dir, { 'image.json': JSON.stringify({ builders }) });
    for (let i = 0; i < 3; i++) {
      const result = await runPackerBuild(
        options(dir, { template: path.join(dir, 'image.json'), templateShown: 'image.json' }),
      );
      expect(result.artifacts.map((a) => a.build)).toEqual(['c', 'a', 'd', 'b']);
    }
  });
});

describe('variables', () => {
  const TEMPLATE = `variable "greeting" {
  type    = string
  default = "default"
}

variable "manifest" {
  type    = string
  default = "default-manifest.json"
}

source "file" "f" {
  content = var.greeting
  target  = "greeting.txt"
}

build {
  sources = ["source.file.f"]

  post-processor "manifest" {
    output = var.manifest
  }
}
`;

  it('finds the manifest where var-files, auto var files and PKR_VAR_ put it; -var beats a var file', async () => {
    const dir = tmpDir('pkr-build-');
    writeTree(dir, {
      'golden.pkr.hcl': TEMPLATE,
      'a.auto.pkrvars.hcl': 'manifest = "from-auto.json"\n',
      'ci.pkrvars.hcl': 'greeting = "from-file"\n',
    });
    const result = await runPackerBuild(
      options(dir, {
        varFiles: [path.join(dir, 'ci.pkrvars.hcl')],
        variables: [['greeting', 'from-var']],
        env: { ...process.env, PKR_VAR_manifest: 'from-env.json' },
      }),
    );
    expect(result.failure).toBeUndefined();
    expect(fs.readFileSync(path.join(dir, 'greeting.txt'), 'utf8')).toBe('from-var');
    // The auto var file beats the environment, as in Packer.
    expect(fs.existsSync(path.join(dir, 'from-auto.json'))).toBe(true);
    expect(result.manifest).toMatchObject({ source: 'template', from: path.join(dir, 'from-auto.json') });

    const json = tmpDir('pkr-build-');
    writeTree(json, {
      'golden.pkr.hcl': TEMPLATE,
      'm.json': JSON.stringify({ manifest: 'from-json-var-file.json' }),
    });
    const viaJson = await runPackerBuild(options(json, { varFiles: [path.join(json, 'm.json')] }));
    expect(viaJson.manifest).toMatchObject({
      source: 'template',
      from: path.join(json, 'from-json-var-file.json'),
    });
  });
});

describe('a timeout packer does not heed', () => {
  it('kills what is still running once the grace period is over, and says what may be left behind', async () => {
    const dir = tmpDir('pkr-build-');
    writeTree(dir, {
      // The shell that runs the script ignores SIGINT, and so does all it starts: packer waits for it.
      'stuck.sh': '#!/bin/sh\necho started >> marks\nsleep 30\n',
      'stuck.pkr.hcl': nullBuild('s', {
        script: 'stuck.sh',
        executeCommand: ['/bin/sh', '-c', "trap '' INT; {{.Vars}} {{.Script}}"],
      }),
    });
    fs.chmodSync(path.join(dir, 'stuck.sh'), 0o755);
    const started = Date.now();
    const result = await runPackerBuild(options(dir, { timeoutMs: 1500, cleanupGraceMs: 1000 }));
    expect(Date.now() - started).toBeLessThan(25_000);
    expect(result.failure).toBe(
      'packer build ran out of time after 1.5 s (timeout-minutes); packer was interrupted, and what was still running 1.0 s later was killed: check for resources it left behind.',
    );
  }, 60_000);
});

describe('init', () => {
  it('with packer 1.6.6, a template that declares required_plugins fails at once, saying what to change', async () => {
    const dir = tmpDir('pkr-init-');
    writeTree(dir, {
      'golden.pkr.hcl': `packer {
  required_plugins {
    amazon = {
      version = ">= 1.2.0"
      source  = "github.com/hashicorp/amazon"
    }
  }
}
`,
    });
    const result = await runPackerBuild(options(dir));
    expect(result.failure).toBe(
      'The template declares required_plugins (amazon), but packer 1.6.6 has no init and does not know required_plugins (both came with 1.7.0). Set packer-version to 1.7.0 or later (for example >=1.7.0), or put a newer packer on PATH.',
    );
    expect(result.steps.map((s) => [s.name, s.status])).toEqual([
      ['init', 'failed'],
      ['fmt-check', 'skipped'],
      ['validate', 'skipped'],
      ['build', 'skipped'],
    ]);
  });
});

describe('init, with a stand-in packer 1.7.0 (the first with init)', () => {
  const PLUGINS = `packer {
  required_plugins {
    amazon = {
      version = ">= 1.2.0"
      source  = "github.com/hashicorp/amazon"
    }
  }
}

source "null" "n" {
  communicator = "none"
}

build {
  sources = ["source.null.n"]
}
`;
  /** Logs each call with the token it was given; `init` exits with STUB_INIT_EXIT. */
  function stub(dir: string): { packer: string; calls: () => string[] } {
    const log = path.join(dir, 'calls.log');
    const packer = path.join(dir, 'bin', 'packer');
    writeTree(dir, {
      'bin/packer': `#!/bin/sh
echo "$1 token=\${PACKER_GITHUB_API_TOKEN:-none}" >> '${log}'
case "$1" in
  init) [ -n "$STUB_INIT_EXIT" ] && echo "1,,ui,error,Failed getting the amazon plugin" && exit "$STUB_INIT_EXIT"; exit 0 ;;
esac
exit 0
`,
    });
    fs.chmodSync(packer, 0o755);
    return { packer, calls: () => fs.readFileSync(log, 'utf8').trim().split('\n') };
  }

  const cases: Array<[string, 'auto' | 'true' | 'false', string, string[]]> = [
    [
      'auto, with required_plugins',
      'auto',
      PLUGINS,
      ['init token=ghs_x', 'fmt token=none', 'validate token=none', 'build token=none'],
    ],
    [
      'auto, without required_plugins',
      'auto',
      PLUGINS.slice(PLUGINS.indexOf('source')),
      ['fmt token=none', 'validate token=none', 'build token=none'],
    ],
    [
      'true, without required_plugins',
      'true',
      PLUGINS.slice(PLUGINS.indexOf('source')),
      ['init token=ghs_x', 'fmt token=none', 'validate token=none', 'build token=none'],
    ],
    ['false', 'false', PLUGINS, ['fmt token=none', 'validate token=none', 'build token=none']],
  ];
  it.each(cases)('init %s; the GitHub token reaches init alone', async (_name, init, template, calls) => {
    const dir = tmpDir('pkr-init-');
    writeTree(dir, { 'golden.pkr.hcl': template });
    const { packer, calls: seen } = stub(dir);
    const opts = options(dir, { packer, version: '1.7.0', init, githubToken: 'ghs_x' });
    const result = await runPackerBuild(opts);
    expect(result.failure).toBeUndefined();
    expect(seen()).toEqual(calls);
  });

  it('a failing init stops the run before the checks', async () => {
    const dir = tmpDir('pkr-init-');
    writeTree(dir, { 'golden.pkr.hcl': PLUGINS });
    const { packer, calls } = stub(dir);
    const opts = options(dir, { packer, version: '1.7.0', env: { ...process.env, STUB_INIT_EXIT: '1' } });
    const result = await runPackerBuild(opts);
    expect(result.failure).toBe('packer init failed (exit 1): see the log of the init step.');
    expect(result.steps.map((s) => [s.name, s.status])).toEqual([
      ['init', 'failed'],
      ['fmt-check', 'skipped'],
      ['validate', 'skipped'],
      ['build', 'skipped'],
    ]);
    expect(calls()).toEqual(['init token=none']);
    expect(opts.reporter.lines).toContain('Failed getting the amazon plugin');
  });
});
