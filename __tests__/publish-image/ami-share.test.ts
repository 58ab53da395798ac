import { describe, expect, it } from '@jest/globals';
import {
  CopyImageCommand,
  DescribeImageAttributeCommand,
  GetEbsDefaultKmsKeyIdCommand,
  DescribeSnapshotAttributeCommand,
  ModifyImageAttributeCommand,
  ModifySnapshotAttributeCommand,
} from '@aws-sdk/client-ec2';
import { publishAmi } from '../../src/publish-image/ami.js';
import { ACCOUNT, amiOptions, SOURCE, worldWithSource } from './ami-fake.js';

const ORG = 'arn:aws:organizations::111122223333:organization/o-abcd123456';
const OU = 'arn:aws:organizations::111122223333:ou/o-abcd123456/ou-ab12-cd345678';
const SHARES = {
  shareAccounts: ['444455556666', '777788889999'],
  shareOrganizations: [ORG],
  shareOus: [OU],
};
const KMS = {
  'eu-west-1': 'alias/golden-images',
  'ap-southeast-2': `arn:aws:kms:ap-southeast-2:${ACCOUNT}:key/1234abcd-12ab-34cd-56ef-1234567890ab`,
};
const REFUSAL = (region: string) =>
  `The copy in ${region} would be encrypted with the AWS managed key alias/aws/ebs, which cannot be shared with other accounts: set kms-key-ids for ${region} to a customer managed KMS key whose key policy lets the share-accounts, share-organizations and share-ous principals use it.`;

describe('publishAmi: sharing', () => {
  it('gives accounts, organizations and OUs launch permission, and leaves an unencrypted AMI’s snapshots alone', async () => {
    const world = worldWithSource();
    const results = await publishAmi(amiOptions(SHARES), world.deps());
    expect(results.map((r) => [r.status, r.shared])).toEqual([
      ['copied', true],
      ['copied', true],
    ]);
    for (const result of results) {
      expect(world.calls(ModifyImageAttributeCommand, result.region).map((c) => c.input)).toEqual([
        {
          ImageId: result.amiId,
          LaunchPermission: {
            Add: [
              { UserId: '444455556666' },
              { UserId: '777788889999' },
              { OrganizationArn: ORG },
              { OrganizationalUnitArn: OU },
            ],
          },
        },
      ]);
      expect(world.logs).toContain(
        `${result.region}: shared ${result.amiId} with 2 accounts, 1 organization, 1 OU`,
      );
    }
    expect(world.calls(DescribeSnapshotAttributeCommand)).toEqual([]);
    expect(world.calls(ModifySnapshotAttributeCommand)).toEqual([]);
  });

  it('shares an encrypted copy without its snapshots (launching needs only the AMI and the key), and says what the key policy needs', async () => {
    const world = worldWithSource();
    const results = await publishAmi(
      amiOptions({ ...SHARES, encrypted: true, kmsKeyIds: KMS }),
      world.deps(),
    );
    for (const result of results) {
      expect(result).toMatchObject({ status: 'copied', shared: true });
      expect(world.logs).toContainEqual(
        expect.stringMatching(
          new RegExp(
            `^${result.region}: ${result.amiId} is encrypted: the KMS key must let the shared accounts, organizations and OUs use it .*; grant organizations and OUs there with aws:PrincipalOrgID or aws:PrincipalOrgPaths$`,
          ),
        ),
      );
    }
    expect(world.calls(DescribeSnapshotAttributeCommand)).toEqual([]);
    expect(world.calls(ModifySnapshotAttributeCommand)).toEqual([]);
  });

  it.each([
    ['an encrypted', { encrypted: true, kmsKeyIds: KMS }],
    ['an unencrypted', {}],
  ])(
    'with share-snapshots, gives the accounts createVolumePermission on every snapshot of %s copy, and says organizations and OUs cannot get it',
    async (_, extra) => {
      const world = worldWithSource();
      const results = await publishAmi(
        amiOptions({ ...SHARES, ...extra, shareSnapshots: true }),
        world.deps(),
      );
      for (const result of results) {
        expect(result).toMatchObject({ status: 'copied', shared: true });
        expect(world.calls(ModifySnapshotAttributeCommand, result.region).map((c) => c.input)).toEqual(
          result.snapshots.map((SnapshotId) => ({
            SnapshotId,
            Attribute: 'createVolumePermission',
            CreateVolumePermission: { Add: [{ UserId: '444455556666' }, { UserId: '777788889999' }] },
          })),
        );
        expect(world.logs).toContain(
          `${result.region}: share-snapshots: EC2 gives snapshot permissions to accounts only, not to organizations or OUs: they can launch ${result.amiId} but not copy it`,
        );
      }
    },
  );

  it('with share-snapshots and only organizations and OUs, shares no snapshot', async () => {
    const world = worldWithSource();
    const results = await publishAmi(
      amiOptions({ shareOrganizations: [ORG], shareOus: [OU], shareSnapshots: true }),
      world.deps(),
    );
    expect(results.map((r) => r.shared)).toEqual([true, true]);
    expect(world.calls(DescribeSnapshotAttributeCommand)).toEqual([]);
    expect(world.calls(ModifySnapshotAttributeCommand)).toEqual([]);
  });

  it('shares nothing again on a re-run', async () => {
    const world = worldWithSource();
    const options = amiOptions({ ...SHARES, encrypted: true, kmsKeyIds: KMS, shareSnapshots: true });
    await publishAmi(options, world.deps());
    world.resetCalls();
    const results = await publishAmi(options, world.deps());
    expect(results.map((r) => [r.status, r.shared])).toEqual([
      ['existing', true],
      ['existing', true],
    ]);
    expect(world.calls(DescribeImageAttributeCommand)).toHaveLength(2);
    expect(world.calls(DescribeSnapshotAttributeCommand)).toHaveLength(4);
    expect(world.calls(ModifyImageAttributeCommand)).toEqual([]);
    expect(world.calls(ModifySnapshotAttributeCommand)).toEqual([]);
    expect(world.logs).toContain(`eu-west-1: ${results[0]!.amiId} is already shared as asked`);
  });

  it('adds only the principals that are new', async () => {
    const world = worldWithSource();
    await publishAmi(amiOptions({ shareAccounts: ['444455556666'] }), world.deps());
    world.resetCalls();
    await publishAmi(amiOptions({ shareAccounts: ['444455556666', '777788889999'] }), world.deps());
    expect(world.calls(ModifyImageAttributeCommand).map((c) => c.input.LaunchPermission)).toEqual([
      { Add: [{ UserId: '777788889999' }] },
      { Add: [{ UserId: '777788889999' }] },
    ]);
  });

  it('reads no permissions when nothing is to be shared', async () => {
    const world = worldWithSource();
    const results = await publishAmi(amiOptions({ encrypted: true }), world.deps());
    expect(results.map((r) => [r.status, r.shared])).toEqual([
      ['copied', false],
      ['copied', false],
    ]);
    expect(world.calls(DescribeImageAttributeCommand)).toEqual([]);
  });
});

describe('publishAmi: the AWS managed key alias/aws/ebs', () => {
  it('refuses to share, before copying, a region whose copy would use it, and publishes the others', async () => {
    const world = worldWithSource();
    const results = await publishAmi(
      amiOptions({ ...SHARES, encrypted: true, kmsKeyIds: { 'eu-west-1': KMS['eu-west-1'] } }),
      world.deps(),
    );
    expect(results[0]).toMatchObject({ region: 'eu-west-1', status: 'copied', shared: true });
    expect(results[1]).toEqual({
      region: 'ap-southeast-2',
      status: 'failed',
      snapshots: [],
      shared: false,
      error: REFUSAL('ap-southeast-2'),
    });
    expect(world.calls(CopyImageCommand).map((c) => c.region)).toEqual(['eu-west-1']);
    expect(world.calls(ModifyImageAttributeCommand, 'ap-southeast-2')).toEqual([]);
    // Only the region without a key asks which key is its default.
    expect(world.calls(GetEbsDefaultKmsKeyIdCommand).map((c) => c.region)).toEqual(['ap-southeast-2']);
  });

  it('refuses when kms-key-ids names alias/aws/ebs itself, as an alias or an alias ARN', async () => {
    const world = worldWithSource();
    const results = await publishAmi(
      amiOptions({
        ...SHARES,
        encrypted: true,
        kmsKeyIds: {
          'eu-west-1': 'alias/aws/ebs',
          'ap-southeast-2': `arn:aws:kms:ap-southeast-2:${ACCOUNT}:alias/aws/ebs`,
        },
      }),
      world.deps(),
    );
    expect(results.map((r) => r.error)).toEqual([REFUSAL('eu-west-1'), REFUSAL('ap-southeast-2')]);
    expect(world.calls(CopyImageCommand)).toEqual([]);
  });

  it('refuses when the source is encrypted, as its copy is then encrypted with the default key', async () => {
    const world = worldWithSource(true);
    const results = await publishAmi(
      amiOptions({ shareAccounts: ['444455556666'], encrypted: false }),
      world.deps(),
    );
    expect(results.map((r) => r.error)).toEqual([REFUSAL('eu-west-1'), REFUSAL('ap-southeast-2')]);
    expect(world.calls(CopyImageCommand)).toEqual([]);
  });

  it('refuses after copying when the region encrypts new volumes by default', async () => {
    const world = worldWithSource();
    world.region('eu-west-1').encryptByDefault = true;
    const results = await publishAmi(amiOptions({ shareAccounts: ['444455556666'] }), world.deps());
    const id = results[0]!.amiId!;
    expect(results[0]).toMatchObject({
      status: 'failed',
      amiId: expect.stringMatching(/^ami-/),
      error: `The copy ${id} in eu-west-1 is encrypted with the region's default EBS key, the AWS managed key alias/aws/ebs, which cannot be shared with other accounts: set kms-key-ids for eu-west-1 to a customer managed KMS key whose key policy lets the share-accounts, share-organizations and share-ous principals use it, and deregister ${id} so that a re-run copies again.`,
    });
    expect(results[1]).toMatchObject({ status: 'copied', shared: true });
    expect(world.calls(ModifyImageAttributeCommand).map((c) => c.region)).toEqual(['ap-southeast-2']);
  });

  it('does not refuse an encrypted copy when nothing is shared', async () => {
    const world = worldWithSource(true);
    const results = await publishAmi(amiOptions(), world.deps());
    expect(results.map((r) => r.status)).toEqual(['copied', 'copied']);
  });

  it('shares the source in place, whose key it cannot judge, and lets AWS refuse an AWS-managed-key snapshot', async () => {
    const world = worldWithSource();
    const source = world.image('us-east-1', SOURCE)!;
    for (const mapping of source.BlockDeviceMappings!) {
      mapping.Ebs!.Encrypted = true;
      Object.assign(world.snapshot('us-east-1', mapping.Ebs!.SnapshotId!)!, {
        Encrypted: true,
        KmsKeyId: `arn:aws:kms:us-east-1:${ACCOUNT}:key/aws-managed-ebs`,
      });
    }
    const [result] = await publishAmi(
      amiOptions({ regions: ['us-east-1'], shareAccounts: ['444455556666'], shareSnapshots: true }),
      world.deps(),
    );
    expect(world.calls(ModifyImageAttributeCommand)).toHaveLength(1);
    expect(result).toMatchObject({
      status: 'failed',
      amiId: SOURCE,
      error: `Could not share the snapshot ${source.BlockDeviceMappings![0]!.Ebs!.SnapshotId} of ${SOURCE} in us-east-1: Encrypted snapshots with EBS default key cannot be shared`,
    });
  });

  it('notes for an encrypted source shared in place that its key must not be the AWS managed one', async () => {
    const world = worldWithSource(true);
    const [result] = await publishAmi(
      amiOptions({ regions: ['us-east-1'], shareOrganizations: [ORG] }),
      world.deps(),
    );
    expect(result).toMatchObject({ status: 'source', shared: true });
    expect(world.calls(ModifySnapshotAttributeCommand)).toEqual([]);
    expect(world.logs).toContainEqual(
      expect.stringContaining(
        `us-east-1: ${SOURCE} is encrypted: the KMS key (of the source AMI, not chosen here: it must not be the AWS managed alias/aws/ebs) must let the shared accounts, organizations and OUs use it`,
      ),
    );
  });
});

describe('publishAmi: the default EBS key', () => {
  const CUSTOMER = (region: string) =>
    `arn:aws:kms:${region}:${ACCOUNT}:key/0000aaaa-12ab-34cd-56ef-1234567890ab`;

  it('shares a copy encrypted by default when the default key is customer managed', async () => {
    const world = worldWithSource();
    Object.assign(world.region('eu-west-1'), {
      encryptByDefault: true,
      defaultKmsKey: CUSTOMER('eu-west-1'),
    });
    const [result] = await publishAmi(
      amiOptions({ regions: ['eu-west-1'], shareAccounts: ['444455556666'] }),
      world.deps(),
    );
    expect(result).toMatchObject({ status: 'copied', shared: true });
    expect(world.snapshot('eu-west-1', result!.snapshots[0]!)!.KmsKeyId).toBe(CUSTOMER('eu-west-1'));
    expect(world.calls(GetEbsDefaultKmsKeyIdCommand)).toHaveLength(1);
  });

  it('copies and shares an encrypted source without kms-key-ids when the default key is customer managed, asking once per region', async () => {
    const world = worldWithSource(true);
    for (const region of ['eu-west-1', 'ap-southeast-2'])
      world.region(region).defaultKmsKey = CUSTOMER(region);
    const results = await publishAmi(amiOptions({ shareAccounts: ['444455556666'] }), world.deps());
    expect(results.map((r) => [r.status, r.shared])).toEqual([
      ['copied', true],
      ['copied', true],
    ]);
    expect(
      world
        .calls(GetEbsDefaultKmsKeyIdCommand)
        .map((c) => c.region)
        .sort(),
    ).toEqual(['ap-southeast-2', 'eu-west-1']);
  });

  it('notes a copy found from an earlier run whose key is not the current default, which it cannot judge', async () => {
    const world = worldWithSource();
    Object.assign(world.region('eu-west-1'), {
      encryptByDefault: true,
      defaultKmsKey: CUSTOMER('eu-west-1'),
    });
    const options = amiOptions({ regions: ['eu-west-1'], shareAccounts: ['444455556666'] });
    const [first] = await publishAmi(options, world.deps());
    const changed = `arn:aws:kms:eu-west-1:${ACCOUNT}:key/1111bbbb-12ab-34cd-56ef-1234567890ab`;
    world.region('eu-west-1').defaultKmsKey = changed;
    const [again] = await publishAmi(options, world.deps());
    expect(again).toMatchObject({ status: 'existing', shared: true, amiId: first!.amiId });
    expect(world.logs).toContain(
      `eu-west-1: ${first!.amiId} is encrypted with ${CUSTOMER('eu-west-1')}, not the region's default EBS key ${changed}: if that is the AWS managed key aws/ebs, the shared accounts cannot use ${first!.amiId}`,
    );
  });

  it('fails the region with the missing permission named when the default key cannot be read', async () => {
    const world = worldWithSource(true);
    world.fail(
      'eu-west-1',
      'GetEbsDefaultKmsKeyId',
      Object.assign(new Error('You are not authorized to perform this operation.'), {
        name: 'UnauthorizedOperation',
      }),
    );
    const [result] = await publishAmi(
      amiOptions({ regions: ['eu-west-1'], shareAccounts: ['444455556666'] }),
      world.deps(),
    );
    expect(result).toMatchObject({
      status: 'failed',
      error:
        'Could not read the default EBS KMS key of eu-west-1 (ec2:GetEbsDefaultKmsKeyId): You are not authorized to perform this operation.',
    });
    expect(world.calls(CopyImageCommand)).toEqual([]);
  });
});
