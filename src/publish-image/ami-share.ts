/**
 * Launch permissions for accounts, organizations and OUs, and, when share-snapshots asks for it,
 * the snapshots' createVolumePermission for the accounts. Only what is missing is added, so a
 * re-run changes nothing. An AMI encrypted with the AWS managed key alias/aws/ebs cannot be used
 * by anyone else, so sharing one is refused, before it is even copied when that is known.
 */
import {
  DescribeImageAttributeCommand,
  DescribeSnapshotAttributeCommand,
  GetEbsDefaultKmsKeyIdCommand,
  ModifyImageAttributeCommand,
  ModifySnapshotAttributeCommand,
  type Image,
  type LaunchPermission,
  type Snapshot,
} from '@aws-sdk/client-ec2';
import { UserError, wrapError } from '../core/errors.js';
import type { AmiPublishOptions } from './ami.js';
import { isEncrypted, snapshotIdsOf, type AmiContext } from './ami-context.js';
import { isAwsManagedEbsKey } from './ami-inputs.js';

export function sharingRequested(options: AmiPublishOptions): boolean {
  return options.shareAccounts.length + options.shareOrganizations.length + options.shareOus.length > 0;
}

/**
 * The region's default EBS KMS key, as GetEbsDefaultKmsKeyId names it: `alias/aws/ebs` while it
 * is the AWS managed key, else the ARN of the customer managed key ModifyEbsDefaultKmsKeyId set.
 * CopyImage encrypts with it when no KmsKeyId is given.
 */
export async function defaultEbsKey(ctx: AmiContext, region: string): Promise<string> {
  try {
    const answer = await ctx.call(`${region}: read the default EBS KMS key`, () =>
      ctx.ec2(region).send(new GetEbsDefaultKmsKeyIdCommand({})),
    );
    return answer.KmsKeyId ?? 'alias/aws/ebs';
  } catch (error) {
    throw wrapError(`read the default EBS KMS key of ${region} (ec2:GetEbsDefaultKmsKeyId)`, error);
  }
}

/**
 * The refusal to share a copy encrypted with the AWS managed key, or undefined when sharing is
 * fine. Asked before copying (`copy` undefined: `encrypted` says whether the copy would be
 * encrypted) and again once the copy exists (its snapshots known), for a region that encrypts
 * every new volume by default or a copy found from an earlier run. A key named in kms-key-ids is
 * refused only when it is alias/aws/ebs: a key id or ARN is taken to be customer managed
 * (telling an AWS managed key's ARN apart needs kms:DescribeKey, and this engine has no KMS
 * client). With no key named, the copy uses the region's default EBS key (`defaultKey`, asked
 * only then), refused when that is the AWS managed key.
 */
export async function awsManagedKeyRefusal(
  ctx: AmiContext,
  region: string,
  encrypted: boolean,
  defaultKey: () => Promise<string>,
  copy?: { image: Image; snapshots: Snapshot[] },
): Promise<UserError | undefined> {
  if (!encrypted || !sharingRequested(ctx.options)) return undefined;
  const key = ctx.options.kmsKeyIds[region];
  const fix = `set kms-key-ids for ${region} to a customer managed KMS key whose key policy lets the share-accounts, share-organizations and share-ous principals use it`;
  if (key !== undefined) {
    if (!isAwsManagedEbsKey(key)) return undefined;
    return new UserError(
      `The copy in ${region} would be encrypted with the AWS managed key alias/aws/ebs, which cannot be shared with other accounts: ${fix}.`,
    );
  }
  const byDefault = await defaultKey();
  const madeId = copy?.image.ImageId;
  if (isAwsManagedEbsKey(byDefault)) {
    return new UserError(
      madeId === undefined
        ? `The copy in ${region} would be encrypted with the AWS managed key alias/aws/ebs, which cannot be shared with other accounts: ${fix}.`
        : `The copy ${madeId} in ${region} is encrypted with the region's default EBS key, the AWS managed key alias/aws/ebs, which cannot be shared with other accounts: ${fix}, and deregister ${madeId} so that a re-run copies again.`,
    );
  }
  // Not the alias: the ARN of the customer managed key the account chose as its default. A copy
  // made while another default was set may use another key, which cannot be judged here.
  const others = [
    ...new Set(
      (copy?.snapshots ?? [])
        .filter((s) => s.Encrypted && s.KmsKeyId !== byDefault)
        .map((s) => s.KmsKeyId ?? '?'),
    ),
  ];
  if (madeId !== undefined && others.length > 0) {
    ctx.log(
      `${region}: ${madeId} is encrypted with ${others.join(', ')}, not the region's default EBS key ${byDefault}: if that is the AWS managed key aws/ebs, the shared accounts cannot use ${madeId}`,
    );
  }
  return undefined;
}

function describeShares(accounts: number, organizations: number, ous: number): string {
  const parts = [
    [accounts, 'account'],
    [organizations, 'organization'],
    [ous, 'OU'],
  ] as const;
  return parts
    .filter(([count]) => count > 0)
    .map(([count, what]) => `${count} ${what}${count === 1 ? '' : 's'}`)
    .join(', ');
}

/**
 * Shares the AMI as the options ask; returns whether anything was asked. Launch permission is
 * all another account needs to launch the AMI, its snapshots unshared; with share-snapshots the
 * accounts also get createVolumePermission on every snapshot, which they need to copy the AMI.
 * `isCopy` is false for the source AMI published in place, whose key we did not choose: if it is
 * the AWS managed key, sharing its snapshots fails with AWS's own message, and launches by the
 * shared principals would fail later, which is why the log says so.
 */
export async function shareImage(
  ctx: AmiContext,
  region: string,
  image: Image,
  isCopy: boolean,
): Promise<boolean> {
  const { shareAccounts, shareOrganizations, shareOus, shareSnapshots = false } = ctx.options;
  if (!sharingRequested(ctx.options)) return false;
  const imageId = image.ImageId ?? '';
  const ec2 = ctx.ec2(region);
  try {
    const current = await ctx.call(`${region}: read the launch permissions of ${imageId}`, () =>
      ec2.send(new DescribeImageAttributeCommand({ ImageId: imageId, Attribute: 'launchPermission' })),
    );
    const have = current.LaunchPermissions ?? [];
    const add: LaunchPermission[] = [
      ...shareAccounts.filter((id) => !have.some((p) => p.UserId === id)).map((UserId) => ({ UserId })),
      ...shareOrganizations
        .filter((arn) => !have.some((p) => p.OrganizationArn === arn))
        .map((OrganizationArn) => ({ OrganizationArn })),
      ...shareOus
        .filter((arn) => !have.some((p) => p.OrganizationalUnitArn === arn))
        .map((OrganizationalUnitArn) => ({ OrganizationalUnitArn })),
    ];
    if (add.length > 0) {
      await ctx.call(`${region}: share ${imageId}`, () =>
        ec2.send(new ModifyImageAttributeCommand({ ImageId: imageId, LaunchPermission: { Add: add } })),
      );
    }
    ctx.log(
      add.length > 0
        ? `${region}: shared ${imageId} with ${describeShares(
            add.filter((p) => p.UserId).length,
            add.filter((p) => p.OrganizationArn).length,
            add.filter((p) => p.OrganizationalUnitArn).length,
          )}`
        : `${region}: ${imageId} is already shared as asked`,
    );
  } catch (error) {
    throw wrapError(`share ${imageId} in ${region}`, error);
  }

  const orgs = shareOrganizations.length + shareOus.length > 0;
  if (shareSnapshots) {
    for (const snapshotId of shareAccounts.length > 0 ? snapshotIdsOf(image) : []) {
      await shareSnapshot(ctx, region, imageId, snapshotId, shareAccounts);
    }
    if (orgs) {
      ctx.log(
        `${region}: share-snapshots: EC2 gives snapshot permissions to accounts only, not to organizations or OUs: they can launch ${imageId} but not copy it`,
      );
    }
  }
  if (!isEncrypted(image)) return true;
  ctx.log(
    `${region}: ${imageId} is encrypted: the KMS key${
      isCopy ? '' : ' (of the source AMI, not chosen here: it must not be the AWS managed alias/aws/ebs)'
    } must let the shared ${orgs ? 'accounts, organizations and OUs' : 'accounts'} use it (kms:Decrypt, kms:DescribeKey, kms:CreateGrant, kms:ReEncrypt*, kms:GenerateDataKey*) in its key policy${
      orgs ? '; grant organizations and OUs there with aws:PrincipalOrgID or aws:PrincipalOrgPaths' : ''
    }`,
  );
  return true;
}

/** createVolumePermission on one snapshot for the accounts that lack it. */
async function shareSnapshot(
  ctx: AmiContext,
  region: string,
  imageId: string,
  snapshotId: string,
  accounts: string[],
): Promise<void> {
  const ec2 = ctx.ec2(region);
  try {
    const current = await ctx.call(`${region}: read the volume permissions of ${snapshotId}`, () =>
      ec2.send(
        new DescribeSnapshotAttributeCommand({
          SnapshotId: snapshotId,
          Attribute: 'createVolumePermission',
        }),
      ),
    );
    const have = current.CreateVolumePermissions ?? [];
    const missing = accounts.filter((id) => !have.some((p) => p.UserId === id));
    if (missing.length === 0) return;
    await ctx.call(`${region}: share ${snapshotId}`, () =>
      ec2.send(
        new ModifySnapshotAttributeCommand({
          SnapshotId: snapshotId,
          Attribute: 'createVolumePermission',
          CreateVolumePermission: { Add: missing.map((UserId) => ({ UserId })) },
        }),
      ),
    );
    ctx.log(
      `${region}: shared the snapshot ${snapshotId} of ${imageId} with ${missing.length} account${missing.length === 1 ? '' : 's'}`,
    );
  } catch (error) {
    throw wrapError(`share the snapshot ${snapshotId} of ${imageId} in ${region}`, error);
  }
}
