/**
 * The source AMI checked, and one copy per target region: found again by its tag when a run is
 * repeated (and then checked against what the inputs ask for), otherwise made with CopyImage and
 * a client token hashed from every parameter, then waited for.
 */
import { CopyImageCommand, DescribeImagesCommand, type Image, type Snapshot } from '@aws-sdk/client-ec2';
import { UserError, wrapError } from '../core/errors.js';
import { errorName, formatElapsed, nextPoll, snapshotIdsOf, type AmiContext } from './ami-context.js';
import {
  copyClientToken,
  identityTags,
  kmsKeyMatches,
  SOURCE_AMI_TAG,
  type CopyParameters,
} from './ami-inputs.js';

/** DescribeImages by id answers with one of these for an id it does not (yet) know. */
const NOT_FOUND = new Set(['InvalidAMIID.NotFound', 'InvalidAMIID.Unavailable', 'InvalidAMIID.Malformed']);
/** States a copy never leaves. */
const FAILED_STATES = new Set(['failed', 'error', 'invalid', 'deregistered', 'disabled']);
/** States of an image a client token named that make the token useless: its image is gone. */
const GONE_STATES = new Set(['deregistered', 'disabled']);
/**
 * How long the image CopyImage answered with may stay unknown to DescribeImages (eventual
 * consistency) before it counts as gone: a token that named a copy since deregistered is answered
 * with that copy's id, which EC2 no longer lists.
 */
export const COPY_VISIBILITY_GRACE_MS = 120_000;
/** Client-token generations one run tries in a region before it gives up. */
export const MAX_GENERATIONS = 3;

/** The image with that id in that region, or undefined when EC2 does not know it. */
async function describeImage(ctx: AmiContext, region: string, imageId: string): Promise<Image | undefined> {
  try {
    const answer = await ctx.call(`${region}: describe ${imageId}`, () =>
      ctx
        .ec2(region)
        .send(
          new DescribeImagesCommand({ ImageIds: [imageId], IncludeDeprecated: true, IncludeDisabled: true }),
        ),
    );
    return answer.Images?.find((image) => image.ImageId === imageId);
  } catch (error) {
    if (NOT_FOUND.has(errorName(error))) return undefined;
    throw error;
  }
}

/** The source AMI, which must exist in source-region and be available: otherwise a UserError, before any copy. */
export async function describeSource(ctx: AmiContext): Promise<Image> {
  const { amiId, sourceRegion } = ctx.options;
  let image: Image | undefined;
  try {
    image = await describeImage(ctx, sourceRegion, amiId);
  } catch (error) {
    throw wrapError(`describe the source AMI ${amiId} in ${sourceRegion}`, error);
  }
  if (!image) {
    throw new UserError(
      `The source AMI ${amiId} was not found in source-region ${sourceRegion}: check the id, that the AMI lives in ${sourceRegion}, and that this account owns it or it is shared with it.`,
    );
  }
  if (image.State !== 'available') {
    throw new UserError(
      `The source AMI ${amiId} in ${sourceRegion} is ${image.State ?? 'in no known state'}, not available${
        image.StateReason?.Message ? ` (${image.StateReason.Message})` : ''
      }: publish it once it is available.`,
    );
  }
  return image;
}

function newestFirst(a: Image, b: Image): number {
  return (b.CreationDate ?? '').localeCompare(a.CreationDate ?? '');
}

export interface RegionCopy {
  image: Image;
  status: 'copied' | 'existing';
  /** What CopyImage is (or would have been) sent for this region. */
  wanted: CopyParameters;
}

/** The CopyImage parameters the options ask for in `region`. */
export function copyParameters(ctx: AmiContext, region: string, source: Image): CopyParameters {
  const { amiId, sourceRegion, kmsKeyIds, encrypted } = ctx.options;
  const kmsKeyId = kmsKeyIds[region];
  return {
    sourceImageId: amiId,
    sourceRegion,
    region,
    name: ctx.options.name ?? source.Name ?? amiId,
    description: source.Description || `${amiId} from ${sourceRegion}, copied by imagepipe`,
    encrypted: encrypted || kmsKeyId !== undefined,
    ...(kmsKeyId !== undefined ? { kmsKeyId } : {}),
  };
}

/**
 * How a copy found by tag differs from the copy the inputs ask for: its name, and, when
 * encryption is asked for, each snapshot's encryption and (when kms-key-ids names a key for the
 * region) its key. Without `snapshots` (a copy still pending) only what DescribeImages shows is
 * compared. A copy that is encrypted while encryption is not asked for is fine: an encrypted
 * source or encryption by default would make a new copy encrypted too.
 */
export function copyMismatches(image: Image, wanted: CopyParameters, snapshots?: Snapshot[]): string[] {
  const out: string[] = [];
  if (image.Name !== wanted.name) {
    out.push(`its name is ${JSON.stringify(image.Name ?? '')}, not ${JSON.stringify(wanted.name)}`);
  }
  if (!wanted.encrypted) return out;
  const ids = snapshotIdsOf(image);
  const plain = snapshots
    ? ids.filter((id) => snapshots.find((s) => s.SnapshotId === id)?.Encrypted !== true)
    : (image.BlockDeviceMappings ?? []).flatMap((m) =>
        m.Ebs?.SnapshotId && m.Ebs.Encrypted === false ? [m.Ebs.SnapshotId] : [],
      );
  if (plain.length > 0) {
    out.push(
      `${plain.length === 1 ? 'its snapshot' : 'its snapshots'} ${plain.join(', ')} ${plain.length === 1 ? 'is' : 'are'} not encrypted, but encrypted or kms-key-ids asks for encryption`,
    );
    return out;
  }
  const key = wanted.kmsKeyId;
  if (key === undefined || !snapshots) return out;
  for (const id of ids) {
    const actual = snapshots.find((s) => s.SnapshotId === id)?.KmsKeyId;
    if (!kmsKeyMatches(key, actual)) {
      out.push(
        `its snapshot ${id} is encrypted with ${actual ?? 'a key EC2 does not name'}, not with ${key} from kms-key-ids`,
      );
    }
  }
  return out;
}

/** The UserError for a copy found by tag that is not what the inputs ask for. Such a copy is never shared. */
export function mismatchError(region: string, image: Image, amiId: string, differences: string[]): UserError {
  const id = image.ImageId ?? '';
  return new UserError(
    `The copy ${id} of ${amiId} in ${region}, found by its ${SOURCE_AMI_TAG} tag, was made with other inputs: ${differences.join('; ')}. It is neither reused nor shared: deregister it (aws ec2 deregister-image --region ${region} --image-id ${id}, and delete its snapshots) so that a re-run copies again, or change the inputs back to those it was made with.`,
  );
}

/** A copy found by tag is checked again once its snapshots are known. */
export function checkFoundCopy(region: string, copy: RegionCopy, amiId: string, snapshots: Snapshot[]): void {
  if (copy.status !== 'existing') return;
  const differences = copyMismatches(copy.image, copy.wanted, snapshots);
  if (differences.length > 0) throw mismatchError(region, copy.image, amiId, differences);
}

/** The image a client token named is gone: the next generation's token is tried. */
class CopyGone extends Error {}

/**
 * The copy of the source in `region`: an available one found by tag is reused, a pending one is
 * waited for, and only when there is neither is a new copy made. A copy found that was made with
 * other inputs fails the region (see mismatchError). `onImageId` hears the id as soon as it is
 * known, so a failure later can still name it.
 */
export async function copyToRegion(
  ctx: AmiContext,
  region: string,
  source: Image,
  onImageId: (imageId: string) => void,
): Promise<RegionCopy> {
  const { amiId, sourceRegion } = ctx.options;
  const ec2 = ctx.ec2(region);
  const wanted = copyParameters(ctx, region, source);
  const found = await ctx
    .call(`${region}: look for copies of ${amiId}`, () =>
      ec2.send(
        new DescribeImagesCommand({
          Owners: ['self'],
          IncludeDeprecated: true,
          // A disabled copy is hidden otherwise, and must still count as a failed generation.
          IncludeDisabled: true,
          Filters: [{ Name: `tag:${SOURCE_AMI_TAG}`, Values: [amiId] }],
        }),
      ),
    )
    .catch((error: unknown) => {
      throw wrapError(`look for existing copies of ${amiId} in ${region}`, error);
    });
  const copies = (found.Images ?? []).sort(newestFirst);
  // A matching copy first, then an available one before a pending one, then the newest.
  const rank = (image: Image) =>
    (copyMismatches(image, wanted).length > 0 ? 2 : 0) + (image.State === 'available' ? 0 : 1);
  const reusable = copies
    .filter((image) => image.State === 'available' || image.State === 'pending')
    .sort((a, b) => rank(a) - rank(b))[0];
  const startedAt = ctx.now();
  if (reusable?.ImageId) {
    onImageId(reusable.ImageId);
    ctx.log(`${region}: found ${reusable.ImageId}, a copy of ${amiId} made earlier (${reusable.State})`);
    const differences = copyMismatches(reusable, wanted);
    if (differences.length > 0) throw mismatchError(region, reusable, amiId, differences);
    const image =
      reusable.State === 'available'
        ? reusable
        : await waitForImage(ctx, region, reusable.ImageId, startedAt);
    return { image, status: 'existing', wanted };
  }
  for (const disabled of copies.filter((image) => image.State === 'disabled')) {
    ctx.log(
      `${region}: ${disabled.ImageId}, a copy of ${amiId} made earlier, is disabled: not reused (enable it again to have it reused)`,
    );
  }

  const { name, kmsKeyId, encrypted } = wanted;
  let generation = copies.filter((image) => FAILED_STATES.has(image.State ?? '')).length;
  for (let tries = 1; ; tries++, generation++) {
    const token = copyClientToken(wanted, generation);
    let imageId: string | undefined;
    try {
      const copied = await ctx.call(`${region}: copy ${amiId}`, () =>
        ec2.send(
          new CopyImageCommand({
            SourceImageId: amiId,
            SourceRegion: sourceRegion,
            Name: name,
            Description: wanted.description,
            ...(encrypted ? { Encrypted: true } : {}),
            ...(kmsKeyId !== undefined ? { KmsKeyId: kmsKeyId } : {}),
            ClientToken: token,
            TagSpecifications: [
              {
                ResourceType: 'image',
                Tags: Object.entries(identityTags(ctx.options)).map(([Key, Value]) => ({ Key, Value })),
              },
            ],
          }),
        ),
      );
      imageId = copied.ImageId;
    } catch (error) {
      if (errorName(error) === 'IdempotentParameterMismatch' && tries < MAX_GENERATIONS) {
        ctx.log(
          `${region}: the client token of generation ${generation} was used before with other parameters (IdempotentParameterMismatch): copying with the next generation's token`,
        );
        continue;
      }
      throw wrapError(`copy ${amiId} to ${region}`, error);
    }
    if (!imageId) throw new Error(`Could not copy ${amiId} to ${region}: CopyImage returned no image id`);
    onImageId(imageId);
    ctx.log(
      `${region}: copying ${amiId} from ${sourceRegion} as ${imageId} (${name}${
        encrypted ? `, encrypted with ${kmsKeyId ?? 'the default EBS key'}` : ''
      })`,
    );
    try {
      const image = await waitForImage(ctx, region, imageId, startedAt, ctx.now());
      return { image, status: 'copied', wanted };
    } catch (error) {
      if (!(error instanceof CopyGone)) throw error;
      if (tries >= MAX_GENERATIONS) {
        throw new Error(
          `Could not copy ${amiId} to ${region} with ${MAX_GENERATIONS} client tokens: ${error.message}. EC2 answers a token with the copy it first made, even once that copy is deregistered or disabled; a re-run starts again from the copies it finds.`,
        );
      }
      ctx.log(`${region}: ${error.message}: copying with the next generation's client token`);
    }
  }
}

/**
 * Polls until the copy is available, logging its state each time. A failed copy throws with
 * EC2's reason; a copy still pending at the deadline throws naming timeout-minutes. Right after
 * CopyImage the new id can be unknown for a while (eventual consistency): that counts as pending.
 * `copiedAt`, for an id CopyImage just answered with, marks it as possibly a token's old copy:
 * deregistered or disabled, or never seen within COPY_VISIBILITY_GRACE_MS, it throws CopyGone.
 */
export async function waitForImage(
  ctx: AmiContext,
  region: string,
  imageId: string,
  startedAt: number,
  copiedAt?: number,
): Promise<Image> {
  let seen = false;
  for (;;) {
    let image: Image | undefined;
    try {
      image = await describeImage(ctx, region, imageId);
    } catch (error) {
      throw wrapError(`follow the copy ${imageId} in ${region}`, error);
    }
    const state = image?.State ?? 'not visible yet';
    if (image && state === 'available') {
      ctx.log(`${region}: ${imageId} available (${formatElapsed(ctx.now() - startedAt)})`);
      return image;
    }
    if (copiedAt !== undefined && !seen) {
      if (image && GONE_STATES.has(state)) {
        throw new CopyGone(`CopyImage answered with ${imageId}, an earlier copy that is ${state}`);
      }
      if (!image && ctx.now() - copiedAt >= COPY_VISIBILITY_GRACE_MS) {
        throw new CopyGone(
          `CopyImage answered with ${imageId}, which EC2 still did not list after ${formatElapsed(ctx.now() - copiedAt)} (an earlier copy, deregistered since)`,
        );
      }
    }
    if (image) seen = true;
    if (FAILED_STATES.has(state)) {
      throw new Error(
        `The copy ${imageId} in ${region} is ${state}: ${image?.StateReason?.Message || 'EC2 gave no reason'}.`,
      );
    }
    ctx.log(`${region}: ${imageId} ${state} (${formatElapsed(ctx.now() - startedAt)})`);
    await nextPoll(
      ctx,
      () =>
        new Error(
          `The copy ${imageId} in ${region} was still ${state} when timeout-minutes (${ctx.options.timeoutMinutes}) ran out; it goes on in AWS, and a re-run picks it up.`,
        ),
    );
  }
}
