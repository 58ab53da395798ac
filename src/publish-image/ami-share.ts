/**
 * Launch permissions for accounts, organizations and OUs; for an encrypted AMI also the
 * snapshots' createVolumePermission for the accounts. Only what is missing is added, so a re-run
 * changes nothing. An AMI encrypted with the AWS managed key alias/aws/ebs cannot be used by
 * anyone else, so sharing one is refused before it is even copied.
 */
import {
  DescribeImageAttributeCommand,
  DescribeSnapshotAttributeCommand,
  ModifyImageAttributeCommand,
  ModifySnapshotAttributeCommand,
  type Image,
  type LaunchPermission,
} from '@aws-sdk/client-ec2';
import { UserError, wrapError } from '../core/errors.js';
import type { AmiPublishOptions } from './ami.js';
import { isEncrypted, snapshotIdsOf, type AmiContext } from './ami-context.js';
import { isAwsManagedEbsKey } from './ami-inputs.js';

export function sharingRequested(options: AmiPublishOptions): boolean {
  return options.shareAccounts.length + options.shareOrganizations.length + options.shareOus.length > 0;
}

/**
 * The refusal to share a copy encrypted with the AWS managed key, or undefined when sharing is
 * fine. We only refuse what we know: a copy that is encrypted while kms-key-ids names no key for
 * its region (CopyImage then uses alias/aws/ebs), or names alias/aws/ebs itself. A key given by
 * id or ARN is taken to be customer managed: telling an AWS managed key's ARN apart needs
 * kms:DescribeKey, and this engine has no KMS client. Asked before copying (`madeId` undefined)
 * and again once the copy exists, for a region that encrypts every new volume by default.
 */
export function awsManagedKeyRefusal(
  ctx: AmiContext,
  region: string,
  encrypted: boolean,
  madeId?: string,
): UserError | undefined {
  if (!encrypted || !sharingRequested(ctx.options)) return undefined;
  const key = ctx.options.kmsKeyIds[region];
  if (key !== undefined && !isAwsManagedEbsKey(key)) return undefined;
  const fix = `set kms-key-ids for ${region} to a customer managed KMS key whose key policy lets the share-accounts, share-organizations and share-ous principals use it`;
  return new UserError(
    madeId === undefined
      ? `The copy in ${region} would be encrypted with the AWS managed key alias/aws/ebs, which cannot be shared with other accounts: ${fix}.`
      : `The copy ${madeId} in ${region} is encrypted with the AWS managed key alias/aws/ebs (the region encrypts new EBS volumes by default), which cannot be shared with other accounts: ${fix}, and deregister ${madeId} so that a re-run copies again.`,
  );
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
 * Shares the AMI as the options ask; returns whether anything was asked. `isCopy` is false for
 * the source AMI published in place, whose key we did not choose: if it is the AWS managed key,
 * the snapshot permission call fails with AWS's own message, and organization or OU launches
 * would fail later, which is why the log says so.
 */
export async function shareImage(
  ctx: AmiContext,
  region: string,
  image: Image,
  isCopy: boolean,
): Promise<boolean> {
  const { shareAccounts, shareOrganizations, shareOus } = ctx.options;
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

  if (!isEncrypted(image)) return true;
  if (shareAccounts.length > 0) {
    for (const snapshotId of snapshotIdsOf(image)) {
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
        const missing = shareAccounts.filter((id) => !have.some((p) => p.UserId === id));
        if (missing.length === 0) continue;
        await ctx.call(`${region}: share ${snapshotId}`, () =>
          ec2.send(
            new ModifySnapshotAttributeCommand({
              SnapshotId: snapshotId,
              Attribute: 'createVolumePermission',
              CreateVolumePermission: { Add: missing.map((UserId) => ({ UserId })) },
            }),
          ),
        );
      } catch (error) {
        throw wrapError(`share the snapshot ${snapshotId} of ${imageId} in ${region}`, error);
      }
    }
  }
  const orgs = shareOrganizations.length + shareOus.length > 0;
  ctx.log(
    `${region}: ${imageId} is encrypted: the KMS key${
      isCopy ? '' : ' (of the source AMI, not chosen here: it must not be the AWS managed alias/aws/ebs)'
    } must let the shared ${orgs ? 'accounts, organizations and OUs' : 'accounts'} use it (kms:Decrypt, kms:DescribeKey, kms:CreateGrant, kms:ReEncrypt*, kms:GenerateDataKey*) in its key policy${
      orgs
        ? '; organizations and OUs cannot get snapshot permissions, so grant them there with aws:PrincipalOrgID or aws:PrincipalOrgPaths'
        : ''
    }`,
  );
  return true;
}
