import { beforeEach, describe, expect, it } from '@jest/globals';
import {
  CreateRepositoryCommand,
  DescribeRepositoriesCommand,
  ECRClient,
  ECRServiceException,
  GetAuthorizationTokenCommand,
  GetLifecyclePolicyCommand,
  LifecyclePolicyNotFoundException,
  PutLifecyclePolicyCommand,
  RepositoryAlreadyExistsException,
  RepositoryNotFoundException,
  type Repository,
} from '@aws-sdk/client-ecr';
import { mockClient } from 'aws-sdk-client-mock';
import { UserError } from '../../src/core/errors.js';
import { ecrCredentials, ensureRepository, type RepositorySettings } from '../../src/publish-image/ecr.js';

const ACCOUNT = '123456789012';
const HOST = `${ACCOUNT}.dkr.ecr.eu-west-1.amazonaws.com`;
const REPO = 'team/app';
const KEY_ID = '1234abcd-12ab-34cd-56ef-1234567890ab';
const KEY_ARN = `arn:aws:kms:eu-west-1:${ACCOUNT}:key/${KEY_ID}`;
const POLICY = JSON.stringify({
  rules: [
    {
      rulePriority: 1,
      description: 'keep 30 images',
      selection: { tagStatus: 'any', countType: 'imageCountMoreThan', countNumber: 30 },
      action: { type: 'expire' },
    },
  ],
});

const client = new ECRClient({
  region: 'eu-west-1',
  credentials: { accessKeyId: 'x', secretAccessKey: 'y' },
});
const ecr = mockClient(client);
beforeEach(() => {
  ecr.reset();
  // A strict fake: a command the test did not model fails loudly.
  ecr.onAnyCommand().rejects(new Error('the fake ECR does not model this command'));
});

const meta = { $metadata: {} };
const notFound = () =>
  new RepositoryNotFoundException({ message: `The repository with name '${REPO}' does not exist`, ...meta });
const alreadyExists = () =>
  new RepositoryAlreadyExistsException({
    message: `The repository with name '${REPO}' already exists`,
    ...meta,
  });
const noPolicy = () =>
  new LifecyclePolicyNotFoundException({ message: 'Lifecycle policy does not exist', ...meta });
const denied = (action: string) =>
  new ECRServiceException({
    name: 'AccessDeniedException',
    $fault: 'client',
    message: `User: arn:aws:sts::${ACCOUNT}:assumed-role/ci/run is not authorized to perform: ecr:${action}`,
    ...meta,
  });

const settings = (extra: Partial<RepositorySettings> = {}): RepositorySettings => ({
  tagMutability: 'IMMUTABLE',
  scanOnPush: true,
  ...extra,
});

const repository = (extra: Partial<Repository> = {}): Repository => ({
  repositoryName: REPO,
  repositoryArn: `arn:aws:ecr:eu-west-1:${ACCOUNT}:repository/${REPO}`,
  registryId: ACCOUNT,
  imageTagMutability: 'IMMUTABLE',
  imageScanningConfiguration: { scanOnPush: true },
  encryptionConfiguration: { encryptionType: 'AES256' },
  ...extra,
});

const names = () => ecr.calls().map((c) => (c.args[0] as { constructor: { name: string } }).constructor.name);
const inputs = <T>(command: abstract new (...args: never[]) => unknown): T[] =>
  ecr.commandCalls(command as never).map((c) => c.args[0].input as T);

describe('ecrCredentials', () => {
  it('decodes the AWS:password token', async () => {
    const password = 'opaque-ecr-token:with-a-colon';
    ecr.on(GetAuthorizationTokenCommand).resolves({
      authorizationData: [
        {
          authorizationToken: Buffer.from(`AWS:${password}`).toString('base64'),
          proxyEndpoint: `https://${HOST}`,
          expiresAt: new Date(),
        },
      ],
    });
    await expect(ecrCredentials(client, ACCOUNT, HOST)).resolves.toEqual({
      username: 'AWS',
      password,
      from: 'ECR GetAuthorizationToken',
    });
    expect(inputs(GetAuthorizationTokenCommand)).toEqual([{}]);
  });

  it('turns an SDK error into a UserError naming the host, the account and the permission', async () => {
    ecr.on(GetAuthorizationTokenCommand).rejects(denied('GetAuthorizationToken'));
    const error = await ecrCredentials(client, ACCOUNT, HOST).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UserError);
    const message = (error as Error).message;
    expect(message).toContain(`Could not get a registry password for ${HOST}`);
    expect(message).toContain('is not authorized to perform: ecr:GetAuthorizationToken');
    expect(message).toContain(`AWS credentials for account ${ACCOUNT}`);
    expect(message).toContain('allow ecr:GetAuthorizationToken');
  });

  it.each([
    ['no authorization data', {}],
    ['an empty token', { authorizationData: [{ authorizationToken: '' }] }],
    [
      'a token without a colon',
      { authorizationData: [{ authorizationToken: Buffer.from('AWS').toString('base64') }] },
    ],
  ])('refuses %s with a UserError naming the host', async (_label, answer) => {
    ecr.on(GetAuthorizationTokenCommand).resolves(answer);
    const error = await ecrCredentials(client, ACCOUNT, HOST).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UserError);
    expect((error as Error).message).toBe(`ECR GetAuthorizationToken for ${HOST} returned no usable token.`);
  });
});

describe('ensureRepository: a missing repository is created to the settings', () => {
  it('creates it IMMUTABLE, scanned on push, AES256, then puts the lifecycle policy', async () => {
    ecr.on(DescribeRepositoriesCommand).rejects(notFound());
    ecr.on(CreateRepositoryCommand).resolves({ repository: repository() });
    ecr.on(PutLifecyclePolicyCommand).resolves({ repositoryName: REPO, lifecyclePolicyText: POLICY });

    const result = await ensureRepository(client, ACCOUNT, REPO, settings({ lifecyclePolicy: POLICY }));

    expect(result).toEqual({ repository: REPO, created: true, drift: [] });
    expect(names()).toEqual([
      'DescribeRepositoriesCommand',
      'CreateRepositoryCommand',
      'PutLifecyclePolicyCommand',
    ]);
    expect(inputs(DescribeRepositoriesCommand)).toEqual([{ registryId: ACCOUNT, repositoryNames: [REPO] }]);
    expect(inputs(CreateRepositoryCommand)).toEqual([
      {
        registryId: ACCOUNT,
        repositoryName: REPO,
        imageTagMutability: 'IMMUTABLE',
        imageScanningConfiguration: { scanOnPush: true },
        encryptionConfiguration: { encryptionType: 'AES256' },
      },
    ]);
    expect(inputs(PutLifecyclePolicyCommand)).toEqual([
      { registryId: ACCOUNT, repositoryName: REPO, lifecyclePolicyText: POLICY },
    ]);
  });

  it('creates it with the KMS key, MUTABLE and without scanning when asked, and puts no policy without one', async () => {
    ecr.on(DescribeRepositoriesCommand).rejects(notFound());
    ecr.on(CreateRepositoryCommand).resolves({ repository: repository() });

    const result = await ensureRepository(
      client,
      ACCOUNT,
      REPO,
      settings({ tagMutability: 'MUTABLE', scanOnPush: false, kmsKey: 'alias/team-images' }),
    );

    expect(result).toEqual({ repository: REPO, created: true, drift: [] });
    expect(inputs(CreateRepositoryCommand)).toEqual([
      {
        registryId: ACCOUNT,
        repositoryName: REPO,
        imageTagMutability: 'MUTABLE',
        imageScanningConfiguration: { scanOnPush: false },
        encryptionConfiguration: { encryptionType: 'KMS', kmsKey: 'alias/team-images' },
      },
    ]);
    expect(ecr.commandCalls(PutLifecyclePolicyCommand)).toHaveLength(0);
  });

  it('compares a repository another run created between the look-up and the create as an existing one', async () => {
    ecr
      .on(DescribeRepositoriesCommand)
      .rejectsOnce(notFound())
      .resolves({ repositories: [repository({ imageTagMutability: 'MUTABLE' })] });
    ecr.on(CreateRepositoryCommand).rejects(alreadyExists());
    ecr.on(GetLifecyclePolicyCommand).resolves({ repositoryName: REPO, lifecyclePolicyText: POLICY });

    const result = await ensureRepository(client, ACCOUNT, REPO, settings({ lifecyclePolicy: POLICY }));

    expect(result).toEqual({ repository: REPO, created: false, drift: ['tags are MUTABLE, not IMMUTABLE'] });
    expect(names()).toEqual([
      'DescribeRepositoriesCommand',
      'CreateRepositoryCommand',
      'DescribeRepositoriesCommand',
      'GetLifecyclePolicyCommand',
    ]);
    expect(ecr.commandCalls(PutLifecyclePolicyCommand)).toHaveLength(0);
  });
});

describe('ensureRepository: an existing repository is left as it is and its drift reported', () => {
  const existing = (repo: Repository, policy?: string) => {
    ecr.on(DescribeRepositoriesCommand).resolves({ repositories: [repo] });
    if (policy === undefined) ecr.on(GetLifecyclePolicyCommand).rejects(noPolicy());
    else
      ecr
        .on(GetLifecyclePolicyCommand)
        .resolves({ repositoryName: REPO, registryId: ACCOUNT, lifecyclePolicyText: policy });
  };
  const noChanges = () => {
    expect(ecr.commandCalls(CreateRepositoryCommand)).toHaveLength(0);
    expect(ecr.commandCalls(PutLifecyclePolicyCommand)).toHaveLength(0);
  };

  it('reports no drift when it matches, and makes no changes', async () => {
    existing(repository(), POLICY);
    const result = await ensureRepository(client, ACCOUNT, REPO, settings({ lifecyclePolicy: POLICY }));
    expect(result).toEqual({ repository: REPO, created: false, drift: [] });
    expect(names()).toEqual(['DescribeRepositoriesCommand', 'GetLifecyclePolicyCommand']);
    expect(inputs(GetLifecyclePolicyCommand)).toEqual([{ registryId: ACCOUNT, repositoryName: REPO }]);
    noChanges();
  });

  it('does not read the lifecycle policy when none is asked for', async () => {
    existing(repository());
    expect(await ensureRepository(client, ACCOUNT, REPO, settings())).toEqual({
      repository: REPO,
      created: false,
      drift: [],
    });
    expect(names()).toEqual(['DescribeRepositoriesCommand']);
  });

  it.each<[string, Partial<Repository>, Partial<RepositorySettings>, string[]]>([
    ['mutable tags', { imageTagMutability: 'MUTABLE' }, {}, ['tags are MUTABLE, not IMMUTABLE']],
    [
      'immutable tags where MUTABLE is asked',
      {},
      { tagMutability: 'MUTABLE' },
      ['tags are IMMUTABLE, not MUTABLE'],
    ],
    [
      'no scan on push',
      { imageScanningConfiguration: { scanOnPush: false } },
      {},
      ['scan on push is off, not on'],
    ],
    [
      'no scanning configuration at all',
      { imageScanningConfiguration: undefined },
      {},
      ['scan on push is off, not on'],
    ],
    ['scan on push where off is asked', {}, { scanOnPush: false }, ['scan on push is on, not off']],
    [
      'AES256 where a KMS key is asked',
      {},
      { kmsKey: KEY_ID },
      [`it is encrypted with AES256, not KMS key ${KEY_ID}`],
    ],
    [
      'another KMS key',
      {
        encryptionConfiguration: {
          encryptionType: 'KMS',
          kmsKey: `arn:aws:kms:eu-west-1:${ACCOUNT}:key/other`,
        },
      },
      { kmsKey: KEY_ID },
      [`it is encrypted with KMS key arn:aws:kms:eu-west-1:${ACCOUNT}:key/other, not KMS key ${KEY_ID}`],
    ],
    [
      'everything at once',
      { imageTagMutability: 'MUTABLE', imageScanningConfiguration: { scanOnPush: false } },
      { kmsKey: KEY_ARN },
      [
        'tags are MUTABLE, not IMMUTABLE',
        'scan on push is off, not on',
        `it is encrypted with AES256, not KMS key ${KEY_ARN}`,
      ],
    ],
  ])('reports %s', async (_label, repo, asked, drift) => {
    existing(repository(repo));
    expect(await ensureRepository(client, ACCOUNT, REPO, settings(asked))).toEqual({
      repository: REPO,
      created: false,
      drift,
    });
    noChanges();
  });

  it.each([
    ['the key id', KEY_ID],
    ['the key ARN', KEY_ARN],
  ])('takes the repository’s KMS key ARN as the same key as %s', async (_label, asked) => {
    existing(repository({ encryptionConfiguration: { encryptionType: 'KMS', kmsKey: KEY_ARN } }));
    expect((await ensureRepository(client, ACCOUNT, REPO, settings({ kmsKey: asked }))).drift).toEqual([]);
  });

  it('does not count a KMS repository as drift when no key is asked for', async () => {
    existing(repository({ encryptionConfiguration: { encryptionType: 'KMS', kmsKey: KEY_ARN } }));
    expect((await ensureRepository(client, ACCOUNT, REPO, settings())).drift).toEqual([]);
  });

  it('reports a missing lifecycle policy', async () => {
    existing(repository());
    const result = await ensureRepository(client, ACCOUNT, REPO, settings({ lifecyclePolicy: POLICY }));
    expect(result.drift).toEqual(['it has no lifecycle policy, but ecr-lifecycle-policy gives one']);
    noChanges();
  });

  it('reports a different lifecycle policy', async () => {
    const other = JSON.parse(POLICY) as { rules: Array<{ selection: { countNumber: number } }> };
    other.rules[0]!.selection.countNumber = 10;
    existing(repository(), JSON.stringify(other));
    const result = await ensureRepository(client, ACCOUNT, REPO, settings({ lifecyclePolicy: POLICY }));
    expect(result.drift).toEqual(['its lifecycle policy differs from ecr-lifecycle-policy']);
    noChanges();
  });

  it('does not count the same policy with other key order and whitespace as drift', async () => {
    const reordered =
      '{\n  "rules" : [ { "action": {"type":"expire"}, "selection": {"countNumber": 30, "countType": "imageCountMoreThan",\n "tagStatus":"any"},\n "description":"keep 30 images", "rulePriority": 1 } ]\n}\n';
    existing(repository(), reordered);
    const result = await ensureRepository(client, ACCOUNT, REPO, settings({ lifecyclePolicy: POLICY }));
    expect(result.drift).toEqual([]);
  });

  it('reports the repository drift and the policy drift together', async () => {
    existing(repository({ imageTagMutability: 'MUTABLE' }));
    const result = await ensureRepository(client, ACCOUNT, REPO, settings({ lifecyclePolicy: POLICY }));
    expect(result.drift).toEqual([
      'tags are MUTABLE, not IMMUTABLE',
      'it has no lifecycle policy, but ecr-lifecycle-policy gives one',
    ]);
  });
});

describe('ensureRepository: other errors are wrapped, saying what could not be done', () => {
  it('on the look-up', async () => {
    ecr.on(DescribeRepositoriesCommand).rejects(denied('DescribeRepositories'));
    await expect(ensureRepository(client, ACCOUNT, REPO, settings())).rejects.toThrow(
      `Could not look up the ECR repository ${REPO}: User: arn:aws:sts::${ACCOUNT}:assumed-role/ci/run is not authorized to perform: ecr:DescribeRepositories`,
    );
    expect(names()).toEqual(['DescribeRepositoriesCommand']);
  });

  it('on the create', async () => {
    ecr.on(DescribeRepositoriesCommand).rejects(notFound());
    ecr.on(CreateRepositoryCommand).rejects(denied('CreateRepository'));
    await expect(
      ensureRepository(client, ACCOUNT, REPO, settings({ lifecyclePolicy: POLICY })),
    ).rejects.toThrow(
      `Could not create the ECR repository ${REPO}: User: arn:aws:sts::${ACCOUNT}:assumed-role/ci/run is not authorized to perform: ecr:CreateRepository`,
    );
    expect(ecr.commandCalls(PutLifecyclePolicyCommand)).toHaveLength(0);
  });

  it('on putting the policy on the new repository', async () => {
    ecr.on(DescribeRepositoriesCommand).rejects(notFound());
    ecr.on(CreateRepositoryCommand).resolves({ repository: repository() });
    ecr.on(PutLifecyclePolicyCommand).rejects(denied('PutLifecyclePolicy'));
    await expect(
      ensureRepository(client, ACCOUNT, REPO, settings({ lifecyclePolicy: POLICY })),
    ).rejects.toThrow(`Could not put the lifecycle policy on the new repository ${REPO}: `);
  });

  it('on reading the policy of an existing repository', async () => {
    ecr.on(DescribeRepositoriesCommand).resolves({ repositories: [repository()] });
    ecr.on(GetLifecyclePolicyCommand).rejects(denied('GetLifecyclePolicy'));
    await expect(
      ensureRepository(client, ACCOUNT, REPO, settings({ lifecyclePolicy: POLICY })),
    ).rejects.toThrow(
      `Could not read the lifecycle policy of ${REPO}: User: arn:aws:sts::${ACCOUNT}:assumed-role/ci/run is not authorized to perform: ecr:GetLifecyclePolicy`,
    );
  });
});
