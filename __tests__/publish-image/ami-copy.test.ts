import { describe, expect, it } from '@jest/globals';
import {
  CopyImageCommand,
  CreateTagsCommand,
  DescribeImagesCommand,
  ModifyImageAttributeCommand,
} from '@aws-sdk/client-ec2';
import { InputError, UserError } from '../../src/core/errors.js';
import { publishAmi } from '../../src/publish-image/ami.js';
import { copyClientToken } from '../../src/publish-image/ami-inputs.js';
import { ACCOUNT, amiOptions, awsError, FakeAws, SOURCE, START, worldWithSource } from './ami-fake.js';

const TAGS = [
  { Key: 'imagepipe:source-ami', Value: SOURCE },
  { Key: 'imagepipe:source-region', Value: 'us-east-1' },
  { Key: 'imagepipe:repository', Value: 'acme/golden' },
  { Key: 'imagepipe:commit', Value: '0123456789abcdef0123456789abcdef01234567' },
  { Key: 'imagepipe:run-url', Value: 'https://github.com/acme/golden/actions/runs/42' },
  { Key: 'team', Value: 'platform' },
];
const KMS = {
  'eu-west-1': 'alias/golden-images',
  'ap-southeast-2': `arn:aws:kms:ap-southeast-2:${ACCOUNT}:key/1234abcd-12ab-34cd-56ef-1234567890ab`,
};

describe('publishAmi: copies', () => {
  it('copies to every region in parallel, encrypted with each region’s key, and tags each copy and its snapshots', async () => {
    const world = worldWithSource();
    const results = await publishAmi(amiOptions({ encrypted: true, kmsKeyIds: KMS }), world.deps());

    const copies = world.calls(CopyImageCommand);
    expect(copies.map((c) => c.region).sort()).toEqual(['ap-southeast-2', 'eu-west-1']);
    for (const { region, input } of copies) {
      expect(input).toEqual({
        SourceImageId: SOURCE,
        SourceRegion: 'us-east-1',
        Name: 'golden-1.2.0',
        Description: 'golden image 1.2.0',
        Encrypted: true,
        KmsKeyId: KMS[region as keyof typeof KMS],
        ClientToken: expect.stringMatching(/^imagepipe-[0-9a-f]{40}$/),
        TagSpecifications: [{ ResourceType: 'image', Tags: TAGS.slice(0, 2) }],
      });
    }
    expect(copies[0]!.input.ClientToken).not.toBe(copies[1]!.input.ClientToken);
    // Both copies were started before either was waited for.
    expect(world.logs.findIndex((l) => l.includes('pending'))).toBeGreaterThan(
      Math.max(...copies.map((c) => world.logs.findIndex((l) => l.startsWith(`${c.region}: copying`)))),
    );

    expect(results.map((r) => [r.region, r.status])).toEqual([
      ['eu-west-1', 'copied'],
      ['ap-southeast-2', 'copied'],
    ]);
    for (const result of results) {
      const copy = world.image(result.region, result.amiId!)!;
      expect(copy.State).toBe('available');
      expect(result.snapshots).toEqual(copy.BlockDeviceMappings!.map((m) => m.Ebs!.SnapshotId));
      expect(result.snapshots).toHaveLength(2);
      expect(world.calls(CreateTagsCommand, result.region).map((c) => c.input)).toEqual([
        { Resources: [result.amiId, ...result.snapshots], Tags: TAGS },
      ]);
      for (const id of result.snapshots) {
        const snapshot = world.snapshot(result.region, id)!;
        expect(snapshot.Tags).toEqual(TAGS);
        expect(snapshot.Encrypted).toBe(true);
        // EC2 records the key's ARN, whether the key was named by alias, id or ARN.
        expect(snapshot.KmsKeyId).toBe(world.keyArn(result.region, KMS[result.region as keyof typeof KMS]));
      }
      expect(result).toEqual({
        region: result.region,
        status: 'copied',
        amiId: expect.stringMatching(/^ami-/),
        snapshots: result.snapshots,
        shared: false,
      });
    }
    // Nothing is made in the source region.
    expect(world.calls(CopyImageCommand, 'us-east-1')).toEqual([]);
    expect(world.calls(CreateTagsCommand, 'us-east-1')).toEqual([]);
  });

  it('logs each region’s progress while it polls, at the poll interval', async () => {
    const world = worldWithSource();
    world.region('eu-west-1').copyPlan.pendingPolls = 9;
    const [result] = await publishAmi(amiOptions({ regions: ['eu-west-1'] }), world.deps());
    const id = result!.amiId!;
    expect(world.logs).toEqual(
      expect.arrayContaining([
        `eu-west-1: copying ${SOURCE} from us-east-1 as ${id} (golden-1.2.0)`,
        `eu-west-1: ${id} pending (0s)`,
        `eu-west-1: ${id} pending (15s)`,
        `eu-west-1: ${id} pending (2m00s)`,
        `eu-west-1: ${id} available (2m15s)`,
      ]),
    );
    expect(world.logs.filter((l) => l.includes(' pending ('))).toHaveLength(9);
    expect(world.sleeps).toEqual(Array(9).fill(15_000));
  });

  it('uses a client token that depends on every CopyImage parameter, and not on tags or provenance', async () => {
    const tokens = async (extra = {}) => {
      const world = worldWithSource();
      await publishAmi(amiOptions(extra), world.deps());
      return Object.fromEntries(world.calls(CopyImageCommand).map((c) => [c.region, c.input.ClientToken]));
    };
    const first = await tokens();
    expect(await tokens({ tags: { other: 'tags' }, provenance: {} })).toEqual(first);
    for (const changed of [
      { name: 'golden-1.2.0-encrypted' },
      { encrypted: true },
      { encrypted: true, kmsKeyIds: KMS },
    ]) {
      const other = await tokens(changed);
      expect(other['eu-west-1']).not.toBe(first['eu-west-1']);
      expect(other['ap-southeast-2']).not.toBe(first['ap-southeast-2']);
    }
  });

  it('gives the copy the name input, and copies without Encrypted when encryption is not asked for', async () => {
    const world = worldWithSource();
    await publishAmi(amiOptions({ regions: ['eu-west-1'], name: 'golden-eu' }), world.deps());
    const copies = world.calls(CopyImageCommand);
    expect(copies).toHaveLength(1);
    const input = copies[0]!.input;
    expect(input.Name).toBe('golden-eu');
    expect(input).not.toHaveProperty('Encrypted');
    expect(input).not.toHaveProperty('KmsKeyId');
  });

  it('finds its copies by tag on a re-run and copies and tags nothing twice', async () => {
    const world = worldWithSource();
    const options = amiOptions({ encrypted: true, kmsKeyIds: KMS });
    const first = await publishAmi(options, world.deps());
    world.resetCalls();

    const second = await publishAmi(options, world.deps());
    expect(world.calls(CopyImageCommand)).toEqual([]);
    expect(world.calls(CreateTagsCommand)).toEqual([]);
    expect(second).toEqual(first.map((r) => ({ ...r, status: 'existing' })));
    const lookups = world.calls(DescribeImagesCommand, 'eu-west-1');
    expect(lookups.map((c) => c.input)).toEqual([
      {
        Owners: ['self'],
        IncludeDeprecated: true,
        IncludeDisabled: true,
        Filters: [{ Name: 'tag:imagepipe:source-ami', Values: [SOURCE] }],
      },
    ]);
    expect(world.commandNames('eu-west-1')).toEqual(['DescribeImages', 'DescribeSnapshots']);
    expect(world.logs).toContain(
      `eu-west-1: found ${first[0]!.amiId}, a copy of ${SOURCE} made earlier (available)`,
    );
  });

  it('tags only what a re-run finds untagged, with the tags that changed', async () => {
    const world = worldWithSource();
    const [first] = await publishAmi(amiOptions({ regions: ['eu-west-1'] }), world.deps());
    world.resetCalls();
    await publishAmi(amiOptions({ regions: ['eu-west-1'], tags: { team: 'security' } }), world.deps());
    expect(world.calls(CreateTagsCommand).map((c) => c.input.Resources)).toEqual([
      [first!.amiId, ...first!.snapshots],
    ]);
    expect(world.snapshot('eu-west-1', first!.snapshots[0]!)!.Tags).toContainEqual({
      Key: 'team',
      Value: 'security',
    });
  });

  it('waits for a copy a timed-out run left pending instead of copying again', async () => {
    const world = worldWithSource();
    world.region('eu-west-1').copyPlan.pendingPolls = 12;
    const [timedOut] = await publishAmi(
      amiOptions({ regions: ['eu-west-1'], timeoutMinutes: 2 }),
      world.deps(),
    );
    expect(timedOut).toEqual({
      region: 'eu-west-1',
      status: 'failed',
      amiId: expect.stringMatching(/^ami-/),
      snapshots: [],
      shared: false,
      error: `The copy ${timedOut!.amiId} in eu-west-1 was still pending when timeout-minutes (2) ran out; it goes on in AWS, and a re-run picks it up.`,
    });
    // Polled until the deadline itself, never past it.
    expect(world.now).toBe(START + 120_000);
    expect(world.logs).toContain(`eu-west-1: failed: ${timedOut!.error}`);
    world.resetCalls();

    const [resumed] = await publishAmi(amiOptions({ regions: ['eu-west-1'] }), world.deps());
    expect(world.calls(CopyImageCommand)).toEqual([]);
    expect(resumed!.status).toBe('existing');
    expect(resumed!.amiId).toBe(timedOut!.amiId);
    expect(world.logs).toContain(
      `eu-west-1: found ${resumed!.amiId}, a copy of ${SOURCE} made earlier (pending)`,
    );
    expect(world.calls(CreateTagsCommand)).toHaveLength(1);
  });

  it('reports a region whose copy fails next to the one that succeeds', async () => {
    const world = worldWithSource();
    Object.assign(world.region('eu-west-1').copyPlan, {
      outcome: 'failed',
      reason: 'Snapshot copy failed: KMS key disabled',
    });
    const results = await publishAmi(amiOptions(), world.deps());
    expect(results[0]).toEqual({
      region: 'eu-west-1',
      status: 'failed',
      amiId: expect.stringMatching(/^ami-/),
      snapshots: [],
      shared: false,
      error: `The copy ${results[0]!.amiId} in eu-west-1 is failed: Snapshot copy failed: KMS key disabled.`,
    });
    expect(results[1]).toMatchObject({ region: 'ap-southeast-2', status: 'copied' });
    expect(world.calls(CreateTagsCommand).map((c) => c.region)).toEqual(['ap-southeast-2']);
  });

  it('makes a new copy, with a new client token, when a re-run finds only a failed one', async () => {
    const world = worldWithSource();
    world.region('eu-west-1').copyPlan.outcome = 'failed';
    const [failed] = await publishAmi(amiOptions({ regions: ['eu-west-1'] }), world.deps());
    world.region('eu-west-1').copyPlan.outcome = 'available';
    const [retried] = await publishAmi(amiOptions({ regions: ['eu-west-1'] }), world.deps());
    const tokens = world.calls(CopyImageCommand).map((c) => c.input.ClientToken);
    expect(tokens).toHaveLength(2);
    expect(tokens[1]).not.toBe(tokens[0]);
    expect(retried!.status).toBe('copied');
    expect(retried!.amiId).not.toBe(failed!.amiId);
  });

  it('retries throttled calls with backoff, and CopyImage with the same client token', async () => {
    const world = worldWithSource();
    const throttled = () => awsError('ThrottlingException', 'Rate exceeded');
    world.fail('eu-west-1', 'DescribeImages', throttled(), throttled());
    world.fail(
      'eu-west-1',
      'CopyImage',
      awsError('RequestLimitExceeded', 'Request limit exceeded.'),
      throttled(),
    );
    world.fail('eu-west-1', 'CreateTags', throttled());
    const [result] = await publishAmi(amiOptions({ regions: ['eu-west-1'] }), world.deps());
    expect(result!.status).toBe('copied');
    const copies = world.calls(CopyImageCommand);
    expect(copies).toHaveLength(3);
    expect(new Set(copies.map((c) => c.input.ClientToken)).size).toBe(1);
    expect(world.image('eu-west-1', result!.amiId!)).toBeDefined();
    expect(world.calls(CreateTagsCommand)).toHaveLength(2);
    expect(world.logs).toContainEqual(
      expect.stringMatching(
        /^eu-west-1: look for copies of ami-\w+: try 1 of 3 failed \(Rate exceeded\); retrying in \d+ ms$/,
      ),
    );
    expect(world.logs.filter((l) => l.includes('retrying in'))).toHaveLength(5);
  });

  it('gives up after 3 tries of its own, since the SDK client has retried each of them already', async () => {
    const world = worldWithSource();
    const throttled = () => awsError('ThrottlingException', 'Rate exceeded');
    world.fail('eu-west-1', 'DescribeImages', throttled(), throttled(), throttled());
    const [result] = await publishAmi(amiOptions({ regions: ['eu-west-1'] }), world.deps());
    expect(result).toMatchObject({
      status: 'failed',
      error: `Could not look for existing copies of ${SOURCE} in eu-west-1: Rate exceeded`,
    });
    expect(world.calls(DescribeImagesCommand, 'eu-west-1')).toHaveLength(3);
    expect(world.calls(CopyImageCommand)).toEqual([]);
  });

  it('does not retry an error that is not throttling, and fails only that region', async () => {
    const world = worldWithSource();
    world.fail(
      'ap-southeast-2',
      'CreateTags',
      awsError('UnauthorizedOperation', 'You are not authorized to perform this operation.'),
    );
    const results = await publishAmi(amiOptions(), world.deps());
    expect(results[0]!.status).toBe('copied');
    expect(results[1]).toMatchObject({
      status: 'failed',
      error: expect.stringMatching(
        /^Could not tag ami-\w+, snap-\w+, snap-\w+ in ap-southeast-2: You are not authorized to perform this operation\.$/,
      ),
    });
    expect(world.calls(CreateTagsCommand, 'ap-southeast-2')).toHaveLength(1);
  });

  it('treats a copy that EC2 does not list yet as pending (eventual consistency)', async () => {
    const world = worldWithSource();
    world.region('eu-west-1').copyPlan.invisiblePolls = 2;
    const [result] = await publishAmi(amiOptions({ regions: ['eu-west-1'] }), world.deps());
    expect(result!.status).toBe('copied');
    expect(world.logs).toContain(`eu-west-1: ${result!.amiId} not visible yet (0s)`);
  });

  it('publishes in place when the source region is listed: no copy, tags without the copy markers', async () => {
    const world = worldWithSource();
    const results = await publishAmi(amiOptions({ regions: ['us-east-1', 'eu-west-1'] }), world.deps());
    expect(results.map((r) => [r.region, r.status, r.amiId === SOURCE])).toEqual([
      ['us-east-1', 'source', true],
      ['eu-west-1', 'copied', false],
    ]);
    expect(world.calls(CopyImageCommand).map((c) => c.region)).toEqual(['eu-west-1']);
    expect(world.calls(CreateTagsCommand, 'us-east-1').map((c) => c.input)).toEqual([
      { Resources: [SOURCE, ...results[0]!.snapshots], Tags: TAGS.slice(2) },
    ]);
  });
});

describe('publishAmi: the source AMI', () => {
  it.each([
    ['does not exist', () => new FakeAws()],
    [
      'lives in another region',
      () => {
        const world = new FakeAws();
        world.addImage('eu-west-1', { ImageId: SOURCE });
        return world;
      },
    ],
  ])('is a UserError naming the AMI and the region, before any copy, when it %s', async (_, makeWorld) => {
    const world = makeWorld();
    const run = publishAmi(amiOptions(), world.deps());
    await expect(run).rejects.toThrow(UserError);
    await expect(run).rejects.toThrow(
      `The source AMI ${SOURCE} was not found in source-region us-east-1: check the id, that the AMI lives in us-east-1, and that this account owns it or it is shared with it.`,
    );
    expect(world.calls(CopyImageCommand)).toEqual([]);
    expect(world.calls(DescribeImagesCommand).map((c) => [c.region, c.input.ImageIds])).toEqual([
      ['us-east-1', [SOURCE]],
    ]);
  });

  it('is a UserError when it is not available', async () => {
    const world = new FakeAws();
    world.addImage('us-east-1', { ImageId: SOURCE, State: 'pending' });
    await expect(publishAmi(amiOptions(), world.deps())).rejects.toThrow(
      new UserError(
        `The source AMI ${SOURCE} in us-east-1 is pending, not available: publish it once it is available.`,
      ),
    );
    expect(world.calls(CopyImageCommand)).toEqual([]);
  });

  it('is retried while describing it is throttled', async () => {
    const world = worldWithSource();
    world.fail('us-east-1', 'DescribeImages', awsError('RequestLimitExceeded'));
    const results = await publishAmi(amiOptions({ regions: ['eu-west-1'] }), world.deps());
    expect(results[0]!.status).toBe('copied');
  });

  it('rejects bad options with an InputError before calling AWS', async () => {
    const world = worldWithSource();
    await expect(publishAmi(amiOptions({ amiId: 'ami-123' }), world.deps())).rejects.toThrow(InputError);
    await expect(publishAmi(amiOptions({ shareAccounts: ['12345'] }), world.deps())).rejects.toThrow(
      `Invalid value "12345" for input 'share-accounts'`,
    );
    expect(world.calls(DescribeImagesCommand)).toEqual([]);
  });
});

describe('publishAmi: a copy found from an earlier run with other inputs', () => {
  const KEY_ARN = `arn:aws:kms:eu-west-1:${ACCOUNT}:key/1234abcd-12ab-34cd-56ef-1234567890ab`;
  const OTHER_ARN = `arn:aws:kms:eu-west-1:${ACCOUNT}:key/9999ffff-12ab-34cd-56ef-1234567890ab`;
  const fix = (id: string) =>
    `It is neither reused nor shared: deregister it (aws ec2 deregister-image --region eu-west-1 --image-id ${id}, and delete its snapshots) so that a re-run copies again, or change the inputs back to those it was made with.`;

  it('fails the region, shares nothing and copies nothing, when encryption is asked for now and the copy is not encrypted', async () => {
    const world = worldWithSource();
    const [plain] = await publishAmi(amiOptions({ regions: ['eu-west-1'] }), world.deps());
    world.resetCalls();
    const [result] = await publishAmi(
      amiOptions({
        regions: ['eu-west-1'],
        encrypted: true,
        kmsKeyIds: { 'eu-west-1': KEY_ARN },
        shareAccounts: ['444455556666'],
      }),
      world.deps(),
    );
    const id = plain!.amiId!;
    const [a, b] = plain!.snapshots;
    expect(result).toEqual({
      region: 'eu-west-1',
      status: 'failed',
      amiId: id,
      snapshots: [],
      shared: false,
      error: `The copy ${id} of ${SOURCE} in eu-west-1, found by its imagepipe:source-ami tag, was made with other inputs: its snapshots ${a}, ${b} are not encrypted, but encrypted or kms-key-ids asks for encryption. ${fix(id)}`,
    });
    expect(world.calls(CopyImageCommand)).toEqual([]);
    expect(world.calls(CreateTagsCommand)).toEqual([]);
    expect(world.calls(ModifyImageAttributeCommand)).toEqual([]);
  });

  it('fails the region when the copy has another name', async () => {
    const world = worldWithSource();
    const [first] = await publishAmi(amiOptions({ regions: ['eu-west-1'] }), world.deps());
    world.resetCalls();
    const [result] = await publishAmi(
      amiOptions({ regions: ['eu-west-1'], name: 'golden-eu' }),
      world.deps(),
    );
    expect(result!.error).toBe(
      `The copy ${first!.amiId} of ${SOURCE} in eu-west-1, found by its imagepipe:source-ami tag, was made with other inputs: its name is "golden-1.2.0", not "golden-eu". ${fix(first!.amiId!)}`,
    );
    // Refused as soon as the copy is found: its snapshots are not even looked at.
    expect(world.commandNames('eu-west-1')).toEqual(['DescribeImages']);
  });

  it('fails the region when the copy is encrypted with another key than kms-key-ids names', async () => {
    const world = worldWithSource();
    const options = amiOptions({ regions: ['eu-west-1'], kmsKeyIds: { 'eu-west-1': KEY_ARN } });
    const [first] = await publishAmi(options, world.deps());
    world.resetCalls();
    const [result] = await publishAmi({ ...options, kmsKeyIds: { 'eu-west-1': OTHER_ARN } }, world.deps());
    const [a, b] = first!.snapshots;
    expect(result!.status).toBe('failed');
    expect(result!.error).toContain(
      `was made with other inputs: its snapshot ${a} is encrypted with ${KEY_ARN}, not with ${OTHER_ARN} from kms-key-ids; its snapshot ${b} is encrypted with ${KEY_ARN}, not with ${OTHER_ARN} from kms-key-ids.`,
    );
    expect(world.calls(CopyImageCommand)).toEqual([]);
  });

  it('reuses a copy whose key kms-key-ids names by ARN or by key id, and takes an alias to match any key', async () => {
    const world = worldWithSource();
    const options = amiOptions({ regions: ['eu-west-1'], kmsKeyIds: { 'eu-west-1': KEY_ARN } });
    const [first] = await publishAmi(options, world.deps());
    for (const key of [KEY_ARN, '1234abcd-12ab-34cd-56ef-1234567890ab', 'alias/golden-images']) {
      const [again] = await publishAmi({ ...options, kmsKeyIds: { 'eu-west-1': key } }, world.deps());
      expect(again).toMatchObject({ status: 'existing', amiId: first!.amiId });
    }
    expect(world.calls(CopyImageCommand)).toHaveLength(1);
  });

  it('reuses an encrypted copy when encryption is not asked for any more, as an encrypted source would give', async () => {
    const world = worldWithSource();
    const [first] = await publishAmi(amiOptions({ regions: ['eu-west-1'], encrypted: true }), world.deps());
    const [again] = await publishAmi(amiOptions({ regions: ['eu-west-1'] }), world.deps());
    expect(again).toMatchObject({ status: 'existing', amiId: first!.amiId });
  });

  it('prefers a copy that matches to a newer one that does not', async () => {
    const world = worldWithSource();
    const [first] = await publishAmi(amiOptions({ regions: ['eu-west-1'] }), world.deps());
    // A newer copy of the same source under another name, made by hand or by an older version.
    const newer = world.addImage('eu-west-1', {
      ImageId: 'ami-0aaaaaaaaaaaaaaaa',
      Name: 'golden-by-hand',
      CreationDate: new Date(START + 3_600_000).toISOString(),
      Tags: [{ Key: 'imagepipe:source-ami', Value: SOURCE }],
    });
    const [again] = await publishAmi(amiOptions({ regions: ['eu-west-1'] }), world.deps());
    expect(again).toMatchObject({ status: 'existing', amiId: first!.amiId });
    const [byHand] = await publishAmi(
      amiOptions({ regions: ['eu-west-1'], name: 'golden-by-hand' }),
      world.deps(),
    );
    expect(byHand).toMatchObject({ status: 'existing', amiId: newer.ImageId });
  });
});

describe('publishAmi: client tokens', () => {
  const tokenFor = (generation: number) =>
    copyClientToken(
      {
        sourceImageId: SOURCE,
        sourceRegion: 'us-east-1',
        region: 'eu-west-1',
        name: 'golden-1.2.0',
        description: 'golden image 1.2.0',
        encrypted: false,
      },
      generation,
    );

  it('copies again after the first copy was deregistered and inputs changed, with a token of its own', async () => {
    const world = worldWithSource();
    const [plain] = await publishAmi(amiOptions({ regions: ['eu-west-1'] }), world.deps());
    world.deregister('eu-west-1', plain!.amiId!);
    world.resetCalls();
    const [encrypted] = await publishAmi(
      amiOptions({ regions: ['eu-west-1'], encrypted: true, kmsKeyIds: { 'eu-west-1': 'alias/golden' } }),
      world.deps(),
    );
    expect(encrypted).toMatchObject({ status: 'copied' });
    expect(encrypted!.amiId).not.toBe(plain!.amiId);
    expect(world.calls(CopyImageCommand)).toHaveLength(1);
  });

  it('moves to the next generation when CopyImage answers with a deregistered copy that EC2 no longer lists', async () => {
    const world = worldWithSource();
    const [first] = await publishAmi(amiOptions({ regions: ['eu-west-1'] }), world.deps());
    world.deregister('eu-west-1', first!.amiId!);
    world.resetCalls();
    const [second] = await publishAmi(amiOptions({ regions: ['eu-west-1'] }), world.deps());
    const copies = world.calls(CopyImageCommand);
    expect(copies.map((c) => c.input.ClientToken)).toEqual([tokenFor(0), tokenFor(1)]);
    expect(second).toMatchObject({ status: 'copied' });
    expect(second!.amiId).not.toBe(first!.amiId);
    expect(world.logs).toContain(
      `eu-west-1: CopyImage answered with ${first!.amiId}, which EC2 still did not list after 2m00s (an earlier copy, deregistered since): copying with the next generation's client token`,
    );
  });

  it('does not reuse a disabled copy, and counts it as a generation (it is listed with IncludeDisabled)', async () => {
    const world = worldWithSource();
    const [first] = await publishAmi(amiOptions({ regions: ['eu-west-1'] }), world.deps());
    world.disable('eu-west-1', first!.amiId!);
    world.resetCalls();
    const [second] = await publishAmi(amiOptions({ regions: ['eu-west-1'] }), world.deps());
    expect(second).toMatchObject({ status: 'copied' });
    expect(second!.amiId).not.toBe(first!.amiId);
    expect(world.calls(CopyImageCommand).map((c) => c.input.ClientToken)).toEqual([tokenFor(1)]);
    expect(world.logs).toContain(
      `eu-west-1: ${first!.amiId}, a copy of ${SOURCE} made earlier, is disabled: not reused (enable it again to have it reused)`,
    );
  });

  it('moves to the next generation on IdempotentParameterMismatch, and gives up after 3', async () => {
    const world = worldWithSource();
    const taken = { params: '{"SourceImageId":"ami-0fedcba9876543210"}', imageId: 'ami-0000000000000dead' };
    world.region('eu-west-1').tokens.set(tokenFor(0), taken);
    const [result] = await publishAmi(amiOptions({ regions: ['eu-west-1'] }), world.deps());
    expect(result).toMatchObject({ status: 'copied' });
    expect(world.calls(CopyImageCommand).map((c) => c.input.ClientToken)).toEqual([tokenFor(0), tokenFor(1)]);
    expect(world.logs).toContain(
      `eu-west-1: the client token of generation 0 was used before with other parameters (IdempotentParameterMismatch): copying with the next generation's token`,
    );

    const other = worldWithSource();
    for (const generation of [0, 1, 2]) other.region('eu-west-1').tokens.set(tokenFor(generation), taken);
    const [failed] = await publishAmi(amiOptions({ regions: ['eu-west-1'] }), other.deps());
    expect(failed).toMatchObject({
      status: 'failed',
      error: expect.stringMatching(
        /^Could not copy ami-\w+ to eu-west-1: The client token you have provided/,
      ),
    });
    expect(other.calls(CopyImageCommand)).toHaveLength(3);
  });
});
