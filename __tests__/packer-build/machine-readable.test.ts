import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from '@jest/globals';
import {
  amisOf,
  imagesOf,
  inBuildOrder,
  lastRun,
  manifestFromArtifacts,
  parseManifest,
  summariseAmis,
} from '../../src/packer-build/artifacts.js';
import {
  diagnostics,
  MachineReadableReader,
  readMachineReadable,
  splitLine,
  unescapeField,
} from '../../src/packer-build/machine-readable.js';

const fixture = (name: string) =>
  fs.readFileSync(
    path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'fixtures', 'packer', name),
    'utf8',
  );

describe('machine-readable lines', () => {
  it('unescapes commas and newlines in data fields', () => {
    expect(unescapeField('a%!(PACKER_COMMA) b\\nc\\r')).toBe('a, b\nc\r');
    expect(
      splitLine('1764841930,amazon-ebs.golden,artifact,0,id,eu-west-1:ami-1%!(PACKER_COMMA)us-east-1:ami-2'),
    ).toEqual({
      time: 1764841930,
      target: 'amazon-ebs.golden',
      type: 'artifact',
      data: ['0', 'id', 'eu-west-1:ami-1,us-east-1:ami-2'],
    });
    expect(splitLine('==> not machine readable')).toBeUndefined();
  });

  it('relays ui lines as the text Packer would print, and other output as text', () => {
    const reader = new MachineReadableReader();
    expect(reader.push('1,,ui,message,    null.one: hello%!(PACKER_COMMA) world')).toEqual([
      { kind: 'ui', level: 'message', text: '    null.one: hello, world' },
    ]);
    expect(reader.push('1,,ui,say,\\n==> Builds finished.')).toEqual([
      { kind: 'ui', level: 'say', text: '\n==> Builds finished.' },
    ]);
    expect(reader.push('plugin says hi')).toEqual([{ kind: 'text', text: 'plugin says hi' }]);
    expect(reader.push('')).toEqual([]);
    expect(reader.push('1,,version,1.6.6')).toEqual([{ kind: 'version', version: '1.6.6' }]);
    expect(reader.version).toBe('1.6.6');
  });
});

describe('artifacts of a multi-region amazon-ebs build', () => {
  const reader = readMachineReadable(fixture('amazon-ebs-multi-region.txt'));

  it('lists each artifact once, though the manifest post-processor repeats it', () => {
    expect(reader.artifacts.map((a) => [a.build, a.builderId, a.id])).toEqual([
      [
        'amazon-ebs.golden',
        'mitchellh.amazonebs',
        'ap-southeast-2:ami-0c0ffee0c0ffee0c0,eu-west-1:ami-0fedcba9876543210,us-east-1:ami-0a1b2c3d4e5f60718',
      ],
      [
        'amazon-ebs.arm64',
        'mitchellh.amazonebs',
        'eu-west-1:ami-0aaaabbbbccccdddd,us-east-1:ami-0eeeeffff00001111',
      ],
      [
        'docker.app',
        'packer.docker',
        'sha256:4f9c2b1e0d8a7c6b5a4f3e2d1c0b9a8f7e6d5c4b3a2f1e0d9c8b7a6f5e4d3c2b',
      ],
      ['docker.app', 'packer.post-processor.docker-tag', 'registry.example.com/golden/app:1.4.0'],
    ]);
    expect(reader.artifacts[0]!.text).toBe(
      'AMIs were created:\nap-southeast-2: ami-0c0ffee0c0ffee0c0\neu-west-1: ami-0fedcba9876543210\nus-east-1: ami-0a1b2c3d4e5f60718\n',
    );
    expect(reader.errors).toEqual([]);
  });

  it('maps regions to AMIs, keeping the first build per region, and names the first AMI', () => {
    const summary = summariseAmis(reader.artifacts);
    expect(summary.amis).toEqual({
      'ap-southeast-2': 'ami-0c0ffee0c0ffee0c0',
      'eu-west-1': 'ami-0fedcba9876543210',
      'us-east-1': 'ami-0a1b2c3d4e5f60718',
    });
    expect(summary.first).toBe('ami-0c0ffee0c0ffee0c0');
    expect(summary.conflicts).toEqual(['eu-west-1', 'us-east-1']);
  });

  it('lists the container images of the docker builder and its post-processors', () => {
    expect(imagesOf(reader.artifacts)).toEqual([
      'sha256:4f9c2b1e0d8a7c6b5a4f3e2d1c0b9a8f7e6d5c4b3a2f1e0d9c8b7a6f5e4d3c2b',
      'registry.example.com/golden/app:1.4.0',
    ]);
  });

  it("names the AMI in the build's own region as the first, when the template says which that is", () => {
    const homes = new Map([['amazon-ebs.golden', 'eu-west-1']]);
    expect(summariseAmis(reader.artifacts, homes).first).toBe('ami-0fedcba9876543210');
    expect(summariseAmis(reader.artifacts, new Map([['amazon-ebs.golden', 'sa-east-1']])).first).toBe(
      'ami-0c0ffee0c0ffee0c0',
    );
  });

  it("orders the artifacts by the template's builds, keeping each build's own order", () => {
    const ordered = inBuildOrder(reader.artifacts, ['docker.app', 'amazon-ebs.arm64']);
    expect(ordered.map((a) => [a.build, a.builderId])).toEqual([
      ['docker.app', 'packer.docker'],
      ['docker.app', 'packer.post-processor.docker-tag'],
      ['amazon-ebs.arm64', 'mitchellh.amazonebs'],
      ['amazon-ebs.golden', 'mitchellh.amazonebs'],
    ]);
  });

  it('reads only region:ami pairs as AMIs, in every partition', () => {
    expect(amisOf('us-gov-west-1:ami-0123456789abcdef0,cn-north-1:ami-01234567')).toEqual([
      { region: 'us-gov-west-1', ami: 'ami-0123456789abcdef0' },
      { region: 'cn-north-1', ami: 'ami-01234567' },
    ]);
    expect(amisOf('File')).toEqual([]);
    expect(amisOf('us-east-1:snap-0123456789abcdef0')).toEqual([]);
    expect(amisOf('vol-1:ami-0123456789abcdef0')).toEqual([]);
  });
});

describe('captured from packer 1.6.6', () => {
  it('reads the null and file builders, their files, and drops the manifest copies', () => {
    const reader = readMachineReadable(fixture('null-file-manifest.txt'));
    expect(
      reader.artifacts.map((a) => ({ build: a.build, builderId: a.builderId, id: a.id, files: a.files })),
    ).toEqual([
      { build: 'file.two', builderId: 'packer.file', id: 'File', files: ['out.txt'] },
      { build: 'null.one', builderId: 'fnoeding.null', id: 'Null', files: [] },
    ]);
    expect(summariseAmis(reader.artifacts)).toEqual({ amis: {}, conflicts: [] });
  });

  it('reports a failed build with the build it belongs to', () => {
    const reader = readMachineReadable(fixture('failing-provisioner.txt'));
    expect(reader.artifacts).toEqual([]);
    expect(reader.errors).toEqual([
      { build: 'null.f', message: 'Script exited with non-zero exit status: 7.Allowed exit codes are: [0]' },
    ]);
  });

  it('finds the file and line of a template diagnostic', () => {
    const reader = readMachineReadable(fixture('bad-hcl.txt'));
    expect(reader.errors).toEqual([
      {
        file: 'badhcl.pkr.hcl',
        line: 2,
        message:
          'Invalid expression: Expected the start of an expression, but found an invalid expression token.',
      },
    ]);
    expect(reader.unplaced).toEqual([]);
  });

  it('keeps UI errors without a place apart, each in its own words', () => {
    const reader = readMachineReadable(fixture('unplaced-errors.txt'));
    expect(reader.errors).toEqual([]);
    expect(reader.unplaced).toEqual([
      {
        message:
          "Invalid argument value for -var variable: The received arg value for n is not compatible with the variable's type constraint: a number is required.",
      },
      {
        message:
          'Undefined -var variable: A "nope" variable was passed in the command line but was not found in known variables. To declare variable "nope", place this block in one of your .pkr files, such as variables.pkr.hcl',
      },
      {
        message:
          'Failed to initialize build "nope": error initializing builder \'nope\': Unknown builder nope',
      },
      {
        message:
          'Failed to parse template: Error parsing JSON: unexpected end of JSON input At line 2, column 1 (offset 14): 1: {"builders":[ 2: ^',
      },
    ]);
    expect(
      diagnostics('Error: A\n\nfirst\n\nError: B\n\n  on x.pkr.hcl line 3:\n   3: y\n\nsecond\n'),
    ).toEqual([{ message: 'A: first' }, { message: 'B: second', file: 'x.pkr.hcl', line: 3 }]);
  });

  it('skips a build that produced no artifact', () => {
    const reader = readMachineReadable(
      ['1,x.y,artifact-count,1', '1,x.y,artifact,0,nil', '1,x.y,artifact,0,end'].join('\n'),
    );
    expect(reader.artifacts).toEqual([]);
  });
});

describe('manifests', () => {
  it('names builds as the manifest post-processor does: the last part of an HCL2 name, a JSON name whole', () => {
    const artifact = (build: string) => ({
      build,
      builderId: 'fnoeding.null',
      id: 'Null',
      text: '',
      files: [],
      time: 1,
    });
    const hcl = manifestFromArtifacts(
      [artifact('release.null.a'), artifact('null.b')],
      'run',
      () => 0,
      new Map([['release.null.a', 'null']]),
    );
    expect(hcl.builds.map((b) => [b.name, b.builder_type])).toEqual([
      ['a', 'null'],
      ['b', 'null'],
    ]);
    const json = manifestFromArtifacts(
      [artifact('web.eu')],
      'run',
      () => 0,
      new Map([['web.eu', 'null']]),
      'json',
    );
    expect(json.builds.map((b) => [b.name, b.builder_type])).toEqual([['web.eu', 'null']]);
  });

  it("keeps only the last run's builds of a manifest the post-processor appended to", () => {
    const text = JSON.stringify({
      builds: [
        { name: 'old', packer_run_uuid: 'run-1' },
        { name: 'new', packer_run_uuid: 'run-2' },
      ],
      last_run_uuid: 'run-2',
    });
    const manifest = parseManifest(text)!;
    expect(lastRun(manifest).builds.map((b) => b.name)).toEqual(['new']);
    expect(parseManifest('{"builds": 3}')).toBeUndefined();
    expect(parseManifest('not json')).toBeUndefined();
  });

  it("makes one from the artifacts when the template's own cannot be read", () => {
    const reader = readMachineReadable(fixture('null-file-manifest.txt'));
    const manifest = manifestFromArtifacts(reader.artifacts, 'run-9', (f) => (f === 'out.txt' ? 1 : 0));
    expect(manifest).toEqual({
      builds: [
        {
          name: 'two',
          builder_type: 'file',
          build_time: 1796423592,
          files: [{ name: 'out.txt', size: 1 }],
          artifact_id: 'File',
          packer_run_uuid: 'run-9',
          custom_data: null,
        },
        {
          name: 'one',
          builder_type: 'null',
          build_time: 1796423592,
          files: null,
          artifact_id: 'Null',
          packer_run_uuid: 'run-9',
          custom_data: null,
        },
      ],
      last_run_uuid: 'run-9',
    });
  });
});
