/**
 * The publish engine end to end: a umoci-built image pushed to real registries, ECR through its
 * API (mocked) and the TLS + htpasswd registry standing in for its endpoint, credentials from a
 * Docker config, and an AMI published alongside.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import {
  CreateRepositoryCommand,
  DescribeRepositoriesCommand,
  ECRClient,
  GetAuthorizationTokenCommand,
  PutLifecyclePolicyCommand,
} from '@aws-sdk/client-ecr';
import { HeadObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parsePairs } from '../../src/publish-image/options.js';
import {
  failuresOf,
  publish,
  type ContainerOptions,
  type PublishDeps,
} from '../../src/publish-image/publish.js';
import { parseReference } from '../../src/publish-image/reference.js';
import { parseSource } from '../../src/publish-image/source.js';
import { umociImage } from '../helpers/oci.js';
import { startRegistry, type TestRegistry } from '../helpers/registry.js';
import { amiOptions, FakeAws, worldWithSource } from './ami-fake.js';

const ECR = '123456789012.dkr.ecr.eu-west-1.amazonaws.com';
const user = { username: 'AWS', password: 'ecr-password-from-the-token' };
const ecrMock = mockClient(ECRClient);
const s3Mock = mockClient(S3Client);

let work: string;
let plain: TestRegistry;
let secure: TestRegistry;
let digest: string;
let layout: string;

beforeAll(async () => {
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'imagepipe-publish-'));
  [plain, secure] = await Promise.all([startRegistry(), startRegistry({ tls: true, auth: user })]);
  layout = path.join(work, 'layout');
  digest = umociImage(layout, '1.0', [
    { 'etc/motd': 'golden\n' },
    { 'opt/app/run.sh': '#!/bin/sh\necho hi\n' },
  ]).digest;
});
afterAll(async () => {
  await Promise.all([plain.stop(), secure.stop()]);
  fs.rmSync(work, { recursive: true, force: true });
});
beforeEach(() => {
  ecrMock.reset();
  s3Mock.reset();
});

function container(destinations: string[], extra: Partial<ContainerOptions> = {}): ContainerOptions {
  return {
    source: parseSource('source', `oci:${layout}:1.0`),
    destinations: destinations.map((raw) => ({ raw, ref: parseReference('destinations', raw) })),
    dockerConfig: path.join(work, 'no-such-config.json'),
    insecureRegistries: [plain.host],
    workspace: work,
    tempDir: work,
    ...extra,
  };
}

function deps(secrets: string[] = [], warnings: string[] = []): PublishDeps {
  return {
    aws: async () => ({
      ecr: (region) => new ECRClient({ region }),
      s3: (region) => new S3Client({ region }),
      ec2: () => {
        throw new Error('no EC2 in this test');
      },
      ssm: () => {
        throw new Error('no SSM in this test');
      },
    }),
    log: () => {},
    warn: (m) => warnings.push(m),
    secret: (s) => secrets.push(s),
  };
}

const skopeoDigest = (ref: string, ...flags: string[]) =>
  execFileSync('skopeo', ['inspect', ...flags, '--format', '{{.Digest}}', `docker://${ref}`], {
    encoding: 'utf8',
  }).trim();

describe('publish: ECR', () => {
  it('gets the password from GetAuthorizationToken, creates the repository to standard, masks the password and pushes', async () => {
    ecrMock.on(GetAuthorizationTokenCommand).resolves({
      authorizationData: [
        { authorizationToken: Buffer.from(`${user.username}:${user.password}`).toString('base64') },
      ],
    });
    ecrMock
      .on(DescribeRepositoriesCommand)
      .rejects(Object.assign(new Error('not found'), { name: 'RepositoryNotFoundException' }));
    ecrMock.on(CreateRepositoryCommand).resolves({});
    ecrMock.on(PutLifecyclePolicyCommand).resolves({});
    const secrets: string[] = [];
    const policy =
      '{"rules":[{"rulePriority":1,"selection":{"tagStatus":"untagged","countType":"sinceImagePushed","countUnit":"days","countNumber":14},"action":{"type":"expire"}}]}';
    const result = await publish(
      {
        container: container([`${ECR}/golden/base:1.0`], {
          endpoints: { [ECR]: secure.baseUrl },
          ca: secure.ca as string,
          ecrRepository: {
            tagMutability: 'IMMUTABLE',
            scanOnPush: true,
            kmsKey: 'alias/ecr',
            lifecyclePolicy: policy,
          },
        }),
      },
      deps(secrets),
    );
    expect(failuresOf(result)).toEqual([]);
    expect(result.images[0]).toMatchObject({
      status: 'pushed',
      reference: `${ECR}/golden/base:1.0@${digest}`,
    });
    expect(secrets).toContain(user.password);
    expect(ecrMock.commandCalls(CreateRepositoryCommand).map((c) => c.args[0].input)).toEqual([
      {
        registryId: '123456789012',
        repositoryName: 'golden/base',
        imageTagMutability: 'IMMUTABLE',
        imageScanningConfiguration: { scanOnPush: true },
        encryptionConfiguration: { encryptionType: 'KMS', kmsKey: 'alias/ecr' },
      },
    ]);
    expect(ecrMock.commandCalls(PutLifecyclePolicyCommand)[0]?.args[0].input).toEqual({
      registryId: '123456789012',
      repositoryName: 'golden/base',
      lifecyclePolicyText: policy,
    });
    expect(result.repositories).toEqual([{ repository: 'golden/base', created: true, drift: [] }]);
    expect(
      skopeoDigest(
        `${secure.host}/golden/base:1.0`,
        '--cert-dir',
        secure.certDir as string,
        '--creds',
        `${user.username}:${user.password}`,
      ),
    ).toBe(digest);
  });

  it('leaves an existing repository as it is and reports how it differs', async () => {
    ecrMock.on(GetAuthorizationTokenCommand).resolves({
      authorizationData: [
        { authorizationToken: Buffer.from(`${user.username}:${user.password}`).toString('base64') },
      ],
    });
    ecrMock.on(DescribeRepositoriesCommand).resolves({
      repositories: [
        {
          repositoryName: 'golden/mutable',
          imageTagMutability: 'MUTABLE',
          imageScanningConfiguration: { scanOnPush: false },
          encryptionConfiguration: { encryptionType: 'AES256' },
        },
      ],
    });
    const warnings: string[] = [];
    const result = await publish(
      {
        container: container([`${ECR}/golden/mutable:1.0`], {
          endpoints: { [ECR]: secure.baseUrl },
          ca: secure.ca as string,
          ecrRepository: { tagMutability: 'IMMUTABLE', scanOnPush: true },
        }),
      },
      deps([], warnings),
    );
    expect(result.images[0]?.status).toBe('pushed');
    expect(ecrMock.commandCalls(CreateRepositoryCommand)).toHaveLength(0);
    expect(result.repositories[0]?.drift).toEqual([
      'tags are MUTABLE, not IMMUTABLE',
      'scan on push is off, not on',
    ]);
    expect(warnings.join('\n')).toMatch(
      /golden\/mutable: the repository differs .*tags are MUTABLE, not IMMUTABLE\. It was left as it is\./,
    );
  });

  it('names the account and the permission when the AWS credentials cannot get a token', async () => {
    ecrMock.on(GetAuthorizationTokenCommand).rejects(
      Object.assign(new Error('The security token included in the request is invalid.'), {
        name: 'UnrecognizedClientException',
      }),
    );
    const result = await publish({ container: container([`${ECR}/golden/base:2.0`]) }, deps());
    expect(result.images[0]?.status).toBe('failed');
    expect(result.images[0]?.error).toMatch(
      /ECR GetAuthorizationToken: The security token .* account 123456789012 .*ecr:GetAuthorizationToken/,
    );
  });
});

describe('publish: credentials from the Docker config', () => {
  it('uses the auths entry docker login left for the registry', async () => {
    const config = path.join(work, 'docker', 'config.json');
    fs.mkdirSync(path.dirname(config), { recursive: true });
    fs.writeFileSync(
      config,
      JSON.stringify({
        auths: {
          [`https://${secure.host}`]: {
            auth: Buffer.from(`${user.username}:${user.password}`).toString('base64'),
          },
        },
      }),
    );
    const secrets: string[] = [];
    const result = await publish(
      {
        container: container([`${secure.host}/from/config:1.0`], {
          dockerConfig: config,
          ca: secure.ca as string,
        }),
      },
      deps(secrets),
    );
    expect(result.images[0]?.status).toBe('pushed');
    expect(secrets).toContain(user.password);
  });
});

describe('publish: the OCI archive in S3', () => {
  it('uploads the image beside the pushes, named by its digest and tagged as the first destination', async () => {
    s3Mock.on(HeadObjectCommand).rejects(Object.assign(new Error('NotFound'), { name: 'NotFound' }));
    s3Mock.on(PutObjectCommand).resolves({});
    const result = await publish(
      {
        container: container([`${plain.host}/archived/app:2.0`], {
          s3: { location: { bucket: 'golden-images', prefix: 'containers' }, region: 'eu-west-1' },
        }),
      },
      deps(),
    );
    expect(failuresOf(result)).toEqual([]);
    const key = `containers/${digest.replace(':', '-')}.oci.tar`;
    expect(result.archive).toMatchObject({ object: `s3://golden-images/${key}`, status: 'uploaded' });
    expect(s3Mock.commandCalls(PutObjectCommand)[0]?.args[0].input).toMatchObject({
      Bucket: 'golden-images',
      Key: key,
    });
    expect(result.images[0]?.status).toBe('pushed');
  });

  it('reports a refused upload as a failure without hiding the pushes', async () => {
    s3Mock
      .on(HeadObjectCommand)
      .rejects(Object.assign(new Error('Access Denied'), { name: 'AccessDenied', $fault: 'client' }));
    const result = await publish(
      {
        container: container([`${plain.host}/archived/app:2.1`], {
          s3: { location: { bucket: 'golden-images', prefix: '' }, region: 'eu-west-1' },
        }),
      },
      deps(),
    );
    expect(result.images[0]?.status).toBe('pushed');
    expect(failuresOf(result)).toEqual([
      expect.stringMatching(/^S3 archive: Could not look for s3:\/\/golden-images\/sha256-.*Access Denied/),
    ]);
  });
});

describe('publish: container and AMI together', () => {
  it('publishes both; a destination that fails is reported and does not hide the others', async () => {
    const world = worldWithSource();
    const result = await publish(
      {
        container: container([`${plain.host}/ok/app:1.0`, '127.0.0.1:9/down/app:1.0']),
        ami: amiOptions({ regions: ['us-east-1', 'eu-west-1'], tags: parsePairs('tags', 'team=platform') }),
      },
      {
        ...deps(),
        ...world.deps(),
        aws: async () => ({
          ...world.deps(),
          ecr: () => new ECRClient({}),
          s3: (region: string) => new S3Client({ region }),
        }),
        log: () => {},
        warn: () => {},
        secret: () => {},
      },
    );
    expect(result.images.map((i) => i.status)).toEqual(['pushed', 'failed']);
    expect(result.amis.map((a) => [a.region, a.status])).toEqual([
      ['us-east-1', 'source'],
      ['eu-west-1', 'copied'],
    ]);
    expect(failuresOf(result)).toEqual([
      expect.stringMatching(
        /^127\.0\.0\.1:9\/down\/app:1\.0: .*cannot reach the registry at https:\/\/127\.0\.0\.1:9/,
      ),
    ]);
    expect(skopeoDigest(`${plain.host}/ok/app:1.0`, '--tls-verify=false')).toBe(digest);
  });

  it('pushes to every destination even when the AMI cannot be published, and reports both', async () => {
    const empty = new FakeAws();
    const result = await publish(
      { container: container([`${plain.host}/both/app:1.0`]), ami: amiOptions({ regions: ['eu-west-1'] }) },
      {
        ...deps(),
        aws: async () => ({
          ...empty.deps(),
          ecr: () => new ECRClient({}),
          s3: (region: string) => new S3Client({ region }),
        }),
      },
    );
    expect(result.images.map((i) => i.status)).toEqual(['pushed']);
    expect(result.amis).toEqual([]);
    expect(failuresOf(result)).toEqual([expect.stringMatching(/^AMI: .*ami-0123456789abcdef0.*us-east-1/)]);
    expect(skopeoDigest(`${plain.host}/both/app:1.0`, '--tls-verify=false')).toBe(digest);
  });

  it('stops before pushing or copying anything when an input is bad', async () => {
    const world = worldWithSource();
    const before = plain.requests().length;
    await expect(
      publish(
        {
          container: container([`${plain.host}/never/app:1.0`]),
          ami: amiOptions({ regions: ['us-east-1', 'cn-north-1'] }),
        },
        {
          ...deps(),
          aws: async () => ({
            ...world.deps(),
            ecr: () => new ECRClient({}),
            s3: (region: string) => new S3Client({ region }),
          }),
        },
      ),
    ).rejects.toThrow(/regions/);
    await expect(
      publish(
        {
          container: {
            ...container([`${plain.host}/never/app:1.0`]),
            source: parseSource('source', `oci:${layout}:9.9`),
          },
        },
        deps(),
      ),
    ).rejects.toThrow(/9\.9.*1\.0|1\.0.*9\.9/);
    const wrong = `${plain.host}/never/app@sha256:${'0'.repeat(64)}`;
    await expect(publish({ container: container([wrong]) }, deps())).rejects.toThrow(
      `Invalid value "${wrong}" for input 'destinations': the image's digest is ${digest}; name that digest, or none.`,
    );
    expect(plain.requests().slice(before)).toEqual([]);
  });
});
