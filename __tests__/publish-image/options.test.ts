import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { parse as parseYaml } from 'yaml';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { InputError, UserError } from '../../src/core/errors.js';
import {
  optionsFrom,
  parseS3Location,
  parsePairs,
  provenanceFrom,
  type OptionContext,
} from '../../src/publish-image/options.js';
import { tmpDir, writeTree } from '../helpers/tmp.js';
import { errorOf } from '../helpers/errors.js';

const PEM = '-----BEGIN CERTIFICATE-----\nMIIBfake\n-----END CERTIFICATE-----\n';
const POLICY =
  '{"rules":[{"rulePriority":1,"selection":{"tagStatus":"any","countType":"imageCountMoreThan","countNumber":5},"action":{"type":"expire"}}]}';
const PROVENANCE = {
  repository: 'org/images',
  commit: 'abc123',
  runUrl: 'https://github.com/org/images/actions/runs/7',
};

let root: string;
let workspace: string;
beforeAll(() => {
  root = tmpDir('imagepipe-options-');
  workspace = path.join(root, 'ws');
  writeTree(workspace, {
    'certs/ca.pem': PEM,
    'certs/not-a-cert.pem': 'hello\n',
    'ecr/policy.json': POLICY,
    'ecr/broken.json': '{"rules": [',
    'docker/config.json': '{}',
  });
});
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

function context(env: Record<string, string | undefined> = {}): OptionContext {
  return { workspace, tempDir: path.join(root, 'tmp'), env, provenance: PROVENANCE };
}

/** `get` as the action and the CLI give it: trimmed, '' when unset; names it does not know are a test bug. */
const KNOWN = new Set(
  Object.keys(
    (
      parseYaml(fs.readFileSync(path.resolve('actions/publish-image/action.yml'), 'utf8')) as {
        inputs: object;
      }
    ).inputs,
  ),
);
function getter(inputs: Record<string, string>) {
  for (const name of Object.keys(inputs)) if (!KNOWN.has(name)) throw new Error(`unknown input ${name}`);
  return (name: string): string => {
    if (!KNOWN.has(name)) throw new Error(`optionsFrom read an input action.yml does not have: ${name}`);
    return (inputs[name] ?? '').trim();
  };
}
const parse = (inputs: Record<string, string>, env: Record<string, string | undefined> = {}) =>
  optionsFrom(getter(inputs), context(env));

const container = { source: 'oci:build/image:1.0', destinations: 'ghcr.io/org/app:1.0' };
const ami = { 'ami-id': 'ami-0123456789abcdef0', 'source-region': 'us-east-1' };

describe('optionsFrom: refused inputs', () => {
  const cases: Array<
    [
      string,
      Record<string, string>,
      Record<string, string>,
      string | RegExp,
      (typeof InputError | typeof UserError)?,
    ]
  > = [
    [
      'nothing to publish',
      {},
      {},
      "Nothing to publish: give 'source' and 'destinations' to push a container image, or 'ami-id' to publish an AMI (or both).",
      UserError,
    ],
    [
      'a source without destinations',
      { source: 'oci:build/image' },
      {},
      `Invalid value "" for input 'destinations': list at least one image reference to push the source to, one per line.`,
    ],
    [
      'a source with only blank destinations',
      { source: 'oci:build/image', destinations: ' \n , \n' },
      {},
      /input 'destinations': list at least one image reference/,
    ],
    [
      // Either message is fair here (the specific one is only reached when ami-id is given): both name source.
      'destinations without a source',
      { destinations: 'ghcr.io/org/app:1' },
      {},
      /'source'/,
      UserError,
    ],
    [
      'destinations without a source, even with an AMI',
      { destinations: 'ghcr.io/org/app:1', ...ami },
      {},
      `Invalid value "" for input 'source': give the image to push, such as oci:build/image:1.0 or docker-archive:image.tar.`,
    ],
    [
      'a username without a password',
      { ...container, 'registry-username': 'octo' },
      {},
      `Invalid value "" for input 'registry-password': registry-username and registry-password go together: give both or neither.`,
    ],
    [
      'a password without a username',
      { ...container, 'registry-password': 'secret-value' },
      {},
      `Invalid value "" for input 'registry-username': registry-username and registry-password go together: give both or neither.`,
    ],
    [
      'an insecure registry with a scheme',
      { ...container, 'insecure-registries': 'registry.local:5000\nhttp://other.local:5000' },
      {},
      `Invalid value "http://other.local:5000" for input 'insecure-registries': list hosts as host or host:port, without a scheme.`,
    ],
    [
      'an insecure registry with a path',
      { ...container, 'insecure-registries': 'registry.local:5000/team' },
      {},
      /"registry\.local:5000\/team" for input 'insecure-registries'/,
    ],
    [
      'a ca-file that is not PEM',
      { ...container, 'ca-file': 'certs/not-a-cert.pem' },
      {},
      `Invalid value "certs/not-a-cert.pem" for input 'ca-file': expected a PEM certificate (-----BEGIN CERTIFICATE-----).`,
    ],
    [
      'a missing ca-file',
      { ...container, 'ca-file': 'certs/absent.pem' },
      {},
      /Invalid value "certs\/absent\.pem" for input 'ca-file': no such file \(.*[/\\]ws[/\\]certs[/\\]absent\.pem\)/,
    ],
    [
      'an ECR lifecycle policy that is not JSON',
      { ...container, 'ecr-create-repository': 'true', 'ecr-lifecycle-policy': 'ecr/broken.json' },
      {},
      /^Invalid value "ecr\/broken\.json" for input 'ecr-lifecycle-policy': the file is not valid JSON \(.+\)\.$/,
    ],
    [
      'a missing ECR lifecycle policy',
      { ...container, 'ecr-create-repository': 'true', 'ecr-lifecycle-policy': 'ecr/absent.json' },
      {},
      /input 'ecr-lifecycle-policy': no such file/,
    ],
    [
      'ecr-create-repository that is not true or false',
      { ...container, 'ecr-create-repository': 'yes' },
      {},
      `Invalid value "yes" for input 'ecr-create-repository': use true or false.`,
    ],
    [
      'an unknown tag mutability',
      { ...container, 'ecr-create-repository': 'true', 'ecr-tag-mutability': 'immutable' },
      {},
      `Invalid value "immutable" for input 'ecr-tag-mutability': allowed values are IMMUTABLE, MUTABLE.`,
    ],
    [
      'ecr-scan-on-push that is not true or false',
      { ...container, 'ecr-create-repository': 'true', 'ecr-scan-on-push': 'True' },
      {},
      /"True" for input 'ecr-scan-on-push': use true or false/,
    ],
    [
      'the same destination twice, written two ways',
      { source: 'oci:build/image', destinations: 'alpine\ndocker.io/library/alpine:latest' },
      {},
      `Invalid value "docker.io/library/alpine:latest" for input 'destinations': each destination may be listed once.`,
    ],
    [
      'the same destination twice under index.docker.io',
      { source: 'oci:build/image', destinations: 'org/app:1, index.docker.io/org/app:1' },
      {},
      /"index\.docker\.io\/org\/app:1" for input 'destinations': each destination may be listed once/,
    ],
    [
      'a malformed destination',
      { source: 'oci:build/image', destinations: 'ghcr.io/org/app:1\nghcr.io/Org/App:1' },
      {},
      `Invalid value "ghcr.io/Org/App:1" for input 'destinations': "Org" is not a valid repository name component (lower-case letters, digits, and . _ __ - between them); give an image reference such as 123456789012.dkr.ecr.us-east-1.amazonaws.com/team/app:1.2.3, ghcr.io/org/app:v1 or org/app:latest.`,
    ],
    [
      'a destination with a scheme',
      { source: 'oci:build/image', destinations: 'https://ghcr.io/org/app:1' },
      {},
      /"https:\/\/ghcr\.io\/org\/app:1" for input 'destinations': leave out the URL scheme/,
    ],
    [
      'a malformed source',
      { source: 'build/image', destinations: 'ghcr.io/org/app:1' },
      {},
      /Invalid value "build\/image" for input 'source'/,
    ],
    [
      'an AMI without any region',
      { 'ami-id': 'ami-0123456789abcdef0' },
      {},
      `Invalid value "" for input 'source-region': set it, or set AWS_REGION (aws-actions/configure-aws-credentials does).`,
    ],
    [
      'an AMI with a bad source region',
      { 'ami-id': 'ami-0123456789abcdef0', 'source-region': 'useast1' },
      {},
      /^Invalid value "useast1" for input 'source-region': expected an AWS region/,
    ],
    [
      'a tag without =',
      { ...ami, tags: 'team=images\nnovalue' },
      {},
      `Invalid value "novalue" for input 'tags': write each entry as key=value, one per line.`,
    ],
    [
      'a tag without a key',
      { ...ami, tags: '=value' },
      {},
      /"=value" for input 'tags': write each entry as key=value/,
    ],
    [
      'a kms-key-ids entry without =',
      { ...ami, regions: 'us-east-1, eu-west-1', 'kms-key-ids': 'eu-west-1 alias/ami' },
      {},
      /"eu-west-1 alias\/ami" for input 'kms-key-ids': write each entry as region=key/,
    ],
    [
      'deprecate-after-days 0',
      { ...ami, 'deprecate-after-days': '0' },
      {},
      `Invalid value "0" for input 'deprecate-after-days': expected an integer from 1 to 3650.`,
    ],
    [
      'deprecate-after-days 3651',
      { ...ami, 'deprecate-after-days': '3651' },
      {},
      /"3651" for input 'deprecate-after-days': expected an integer from 1 to 3650/,
    ],
    [
      'deprecate-after-days not a number',
      { ...ami, 'deprecate-after-days': '30d' },
      {},
      /"30d" for input 'deprecate-after-days'/,
    ],
    [
      'timeout-minutes 0',
      { ...ami, 'timeout-minutes': '0' },
      {},
      /"0" for input 'timeout-minutes': expected an integer from 1 to 1440/,
    ],
    ['timeout-minutes 1441', { ...ami, 'timeout-minutes': '1441' }, {}, /"1441" for input 'timeout-minutes'/],
    [
      'encrypted that is not true or false',
      { ...ami, encrypted: 'TRUE' },
      {},
      /"TRUE" for input 'encrypted': use true or false/,
    ],
    [
      'a bad share account',
      { ...ami, 'share-accounts': '123456789012, 1234' },
      {},
      /"1234" for input 'share-accounts': expected a 12-digit AWS account id/,
    ],
    [
      'a bad share organization',
      { ...ami, 'share-organizations': 'o-abcd123456' },
      {},
      /"o-abcd123456" for input 'share-organizations'/,
    ],
    [
      'a bad share OU',
      { ...ami, 'share-ous': 'ou-ab12-cd345678' },
      {},
      /"ou-ab12-cd345678" for input 'share-ous'/,
    ],
  ];
  it.each(cases)('%s', (_label, inputs, env, message, kind = InputError) => {
    const error = errorOf(() => parse(inputs, env));
    expect(error).toBeInstanceOf(kind);
    if (typeof message === 'string') expect(error.message).toBe(message);
    else expect(error.message).toMatch(message);
  });

  it('refuses to send the input credentials to two registries', () => {
    const error = errorOf(() =>
      parse({
        ...container,
        destinations: 'ghcr.io/org/app:1\norg/app:1\n123456789012.dkr.ecr.us-east-1.amazonaws.com/a:1',
        'registry-username': 'octo',
        'registry-password': 'ghp_token',
      }),
    );
    expect(error.message).toBe(
      `Invalid value "octo" for input 'registry-username': these credentials would go to ghcr.io and docker.io; push to one registry other than ECR per step, or give the others' credentials through the Docker config.`,
    );
  });

  it('refuses a docker-config that is not a file', () => {
    const error = errorOf(() => parse({ ...container, 'docker-config': '~/.docker/config.json' }));
    expect(error.message).toMatch(
      /^Invalid value "~\/\.docker\/config\.json" for input 'docker-config': no such file/,
    );
  });

  it('never puts the registry password in a message', () => {
    const error = errorOf(() => parse({ ...container, 'registry-password': 'hunter2-very-secret' }));
    expect(error.message).not.toContain('hunter2');
  });
});

describe('optionsFrom: container options', () => {
  it('reads every container input', () => {
    const options = parse(
      {
        source: 'oci:build/image:1.0',
        destinations:
          '123456789012.dkr.ecr.us-east-1.amazonaws.com/team/app:1.0\nghcr.io/org/app:1.0, ghcr.io/org/tools',
        'registry-username': 'octo',
        'registry-password': 'ghp_token',
        'docker-config': 'docker/config.json',
        'insecure-registries': 'registry.local:5000, 10.0.0.5\n[::1]:5000',
        'ca-file': 'certs/ca.pem',
      },
      { DOCKER_CONFIG: '/should/not/be/used' },
    );
    expect(options.ami).toBeUndefined();
    expect(options.container).toEqual({
      source: { transport: 'oci', path: 'build/image', tag: '1.0', text: 'oci:build/image:1.0' },
      destinations: [
        {
          raw: '123456789012.dkr.ecr.us-east-1.amazonaws.com/team/app:1.0',
          ref: {
            registry: '123456789012.dkr.ecr.us-east-1.amazonaws.com',
            repository: 'team/app',
            tag: '1.0',
            digest: undefined,
          },
        },
        {
          raw: 'ghcr.io/org/app:1.0',
          ref: { registry: 'ghcr.io', repository: 'org/app', tag: '1.0', digest: undefined },
        },
        {
          raw: 'ghcr.io/org/tools',
          ref: { registry: 'ghcr.io', repository: 'org/tools', tag: 'latest', digest: undefined },
        },
      ],
      credentials: { username: 'octo', password: 'ghp_token', from: 'registry-username/registry-password' },
      dockerConfig: path.join(workspace, 'docker', 'config.json'),
      insecureRegistries: ['registry.local:5000', '10.0.0.5', '[::1]:5000'],
      ca: PEM,
      workspace,
      tempDir: path.join(root, 'tmp'),
    });
  });

  it('defaults: no credentials, the Docker config from DOCKER_CONFIG, no CA, no ECR settings', () => {
    const options = parse(
      { ...container, 'ecr-kms-key': 'alias/ignored', 'ecr-lifecycle-policy': 'ecr/broken.json' },
      { DOCKER_CONFIG: path.join(root, 'dockercfg') },
    );
    const c = options.container!;
    expect(c.credentials).toBeUndefined();
    expect(c.dockerConfig).toBe(path.join(root, 'dockercfg', 'config.json'));
    expect(c.insecureRegistries).toEqual([]);
    expect(c).not.toHaveProperty('ca');
    // ecr-create-repository is false by default: the ECR settings are not read at all.
    expect(c).not.toHaveProperty('ecrRepository');
  });

  it('ECR repository settings: IMMUTABLE, scanned on push, AES256 and no policy by default', () => {
    const options = parse({ ...container, 'ecr-create-repository': 'true' });
    expect(options.container!.ecrRepository).toEqual({ tagMutability: 'IMMUTABLE', scanOnPush: true });
  });

  it('ECR repository settings from every ecr-* input, with the policy file’s text', () => {
    const options = parse({
      ...container,
      'ecr-create-repository': 'true',
      'ecr-tag-mutability': 'MUTABLE',
      'ecr-scan-on-push': 'false',
      'ecr-kms-key': 'alias/images',
      'ecr-lifecycle-policy': 'ecr/policy.json',
    });
    expect(options.container!.ecrRepository).toEqual({
      tagMutability: 'MUTABLE',
      scanOnPush: false,
      kmsKey: 'alias/images',
      lifecyclePolicy: POLICY,
    });
  });

  it('accepts a digest-only destination and the same repository under another tag', () => {
    const digest = `sha256:${'b'.repeat(64)}`;
    const options = parse({
      source: 'oci:build/image',
      destinations: `ghcr.io/o/a:1\nghcr.io/o/a:2\nghcr.io/o/a@${digest}`,
    });
    expect(options.container!.destinations.map((d) => [d.ref.tag, d.ref.digest])).toEqual([
      ['1', undefined],
      ['2', undefined],
      [undefined, digest],
    ]);
  });
});

describe('optionsFrom: AMI options', () => {
  it('takes source-region from AWS_REGION, publishes only there by default, and waits 60 minutes', () => {
    const options = parse(
      { 'ami-id': 'ami-0123456789abcdef0' },
      { AWS_REGION: 'eu-west-1', AWS_DEFAULT_REGION: 'us-west-2' },
    );
    expect(options.container).toBeUndefined();
    expect(options.ami).toEqual({
      amiId: 'ami-0123456789abcdef0',
      sourceRegion: 'eu-west-1',
      regions: ['eu-west-1'],
      encrypted: false,
      kmsKeyIds: {},
      tags: {},
      provenance: PROVENANCE,
      shareAccounts: [],
      shareOrganizations: [],
      shareOus: [],
      shareSnapshots: false,
      timeoutMinutes: 60,
    });
  });

  it('falls back to AWS_DEFAULT_REGION, and prefers source-region to both', () => {
    expect(
      parse({ 'ami-id': 'ami-0123456789abcdef0' }, { AWS_DEFAULT_REGION: 'us-west-2' }).ami!.sourceRegion,
    ).toBe('us-west-2');
    expect(parse(ami, { AWS_REGION: 'eu-west-1' }).ami!.sourceRegion).toBe('us-east-1');
  });

  it('reads every AMI input', () => {
    const options = parse({
      ...ami,
      regions: 'us-east-1, eu-west-1\nap-southeast-2',
      'ami-name': 'golden-2024',
      encrypted: 'true',
      'kms-key-ids': 'eu-west-1=alias/ami\nap-southeast-2 = arn:aws:kms:ap-southeast-2:123456789012:key/k=1',
      tags: 'team=images, env = prod\nteam=platform',
      'share-accounts': '111111111111, 222222222222\n111111111111',
      'share-organizations': 'arn:aws:organizations::123456789012:organization/o-abcd123456',
      'share-snapshots': 'true',
      'share-ous': 'arn:aws:organizations::123456789012:ou/o-abcd123456/ou-ab12-cd345678',
      'deprecate-after-days': '90',
      'ssm-parameter': '/images/golden/latest',
      's3-bucket': 'ami-store',
      'timeout-minutes': '1440',
    });
    expect(options.ami).toEqual({
      amiId: 'ami-0123456789abcdef0',
      sourceRegion: 'us-east-1',
      regions: ['us-east-1', 'eu-west-1', 'ap-southeast-2'],
      encrypted: true,
      // Only the first = splits: a value may hold more.
      kmsKeyIds: {
        'eu-west-1': 'alias/ami',
        'ap-southeast-2': 'arn:aws:kms:ap-southeast-2:123456789012:key/k=1',
      },
      name: 'golden-2024',
      // Keys and values trimmed; a later key wins.
      tags: { team: 'platform', env: 'prod' },
      provenance: PROVENANCE,
      shareAccounts: ['111111111111', '222222222222'],
      shareOrganizations: ['arn:aws:organizations::123456789012:organization/o-abcd123456'],
      shareOus: ['arn:aws:organizations::123456789012:ou/o-abcd123456/ou-ab12-cd345678'],
      shareSnapshots: true,
      deprecateAfterDays: 90,
      ssmParameter: '/images/golden/latest',
      s3Bucket: 'ami-store',
      timeoutMinutes: 1440,
    });
  });

  it.each([
    ['1', 1],
    ['3650', 3650],
  ])('accepts deprecate-after-days %s (the bounds)', (raw, days) => {
    expect(parse({ ...ami, 'deprecate-after-days': raw }).ami!.deprecateAfterDays).toBe(days);
  });

  it('leaves deprecation out when deprecate-after-days is empty', () => {
    expect(parse(ami).ami).not.toHaveProperty('deprecateAfterDays');
  });

  it('reads the container and the AMI options together', () => {
    const options = parse({ ...container, ...ami });
    expect(options.container?.destinations).toHaveLength(1);
    expect(options.ami?.amiId).toBe('ami-0123456789abcdef0');
  });
});

describe('parsePairs', () => {
  it('reads key=value lines and comma-separated pairs, trimmed, the later key winning', () => {
    expect(parsePairs('tags', ' a = 1 ,b=2\n\nc=x=y\na=3 \n')).toEqual({ a: '3', b: '2', c: 'x=y' });
  });
  it('allows an empty value', () => {
    expect(parsePairs('tags', 'k=')).toEqual({ k: '' });
  });
  it('is empty for an empty input', () => {
    expect(parsePairs('tags', '')).toEqual({});
    expect(parsePairs('tags', ' \n , ')).toEqual({});
  });
  it.each(['novalue', '=value', 'a=1\njust-a-key'])('refuses %j, naming the input and the entry', (raw) => {
    const error = errorOf(() => parsePairs('kms-key-ids', raw));
    expect(error).toBeInstanceOf(InputError);
    expect(error.message).toMatch(
      /^Invalid value ".+" for input 'kms-key-ids': write each entry as key=value, one per line\.$/,
    );
    expect((error as InputError).value).toBe(raw.split('\n').at(-1));
  });
});

describe('provenanceFrom', () => {
  it('builds the run URL from GITHUB_SERVER_URL, GITHUB_REPOSITORY and GITHUB_RUN_ID, and keeps the commit', () => {
    expect(
      provenanceFrom({
        GITHUB_SERVER_URL: 'https://github.example.com',
        GITHUB_REPOSITORY: 'org/images',
        GITHUB_RUN_ID: '4242',
        GITHUB_SHA: 'd6cd1e2bd19e03a81132a23b2025920577f84e37',
      }),
    ).toEqual({
      repository: 'org/images',
      commit: 'd6cd1e2bd19e03a81132a23b2025920577f84e37',
      runUrl: 'https://github.example.com/org/images/actions/runs/4242',
    });
  });

  it('defaults the server to https://github.com', () => {
    expect(provenanceFrom({ GITHUB_REPOSITORY: 'o/r', GITHUB_RUN_ID: '1' }).runUrl).toBe(
      'https://github.com/o/r/actions/runs/1',
    );
  });

  it('leaves out what the environment does not say', () => {
    expect(provenanceFrom({})).toEqual({});
    expect(provenanceFrom({ GITHUB_REPOSITORY: 'o/r' })).toEqual({ repository: 'o/r' });
    expect(provenanceFrom({ GITHUB_RUN_ID: '1', GITHUB_SHA: 'abc' })).toEqual({ commit: 'abc' });
  });
});

describe('s3-bucket', () => {
  it.each([
    ['golden-images', { bucket: 'golden-images', prefix: '' }],
    ['golden-images/containers/base/', { bucket: 'golden-images', prefix: 'containers/base' }],
    ['s3://golden.images/x', { bucket: 'golden.images', prefix: 'x' }],
  ])('reads %j', (raw, expected) => {
    expect(parseS3Location('s3-bucket', raw)).toEqual(expected);
  });

  it.each(['Golden_Images', 's3://', 'ab', '-bucket', 'my..bucket', '192.168.1.1', 'a.-b'])(
    'refuses %j',
    (raw) => {
      expect(() => parseS3Location('s3-bucket', raw)).toThrow(/input 's3-bucket': give a bucket name/);
    },
  );

  it('keeps the container image in the bucket, guessing the region from AWS_REGION', () => {
    const options = parse(
      { ...container, 's3-bucket': 'golden-images/containers' },
      { AWS_REGION: 'eu-west-1' },
    );
    expect(options.container?.s3).toEqual({
      location: { bucket: 'golden-images', prefix: 'containers' },
      region: 'eu-west-1',
    });
  });
});

describe('file inputs', () => {
  it('says a ca-file that is a folder is a folder', () => {
    const error = errorOf(() => parse({ ...container, 'ca-file': '.' }));
    expect(error.message).toBe(`Invalid value "." for input 'ca-file': it is a folder; give the file.`);
  });

  it('matches insecure registries whatever their case', () => {
    const options = parse({
      ...container,
      destinations: 'LOCALHOST:5000/app:1',
      'insecure-registries': 'LocalHost:5000',
    });
    expect(options.container?.destinations[0]?.ref.registry).toBe('localhost:5000');
    expect(options.container?.insecureRegistries).toEqual(['localhost:5000']);
  });
});
