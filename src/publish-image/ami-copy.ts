/**
 * The source AMI checked, and one copy per target region: found again by its tag when a run is
 * repeated, otherwise made with CopyImage and a deterministic client token, then waited for.
 */
import { CopyImageCommand, DescribeImagesCommand, type Image } from '@aws-sdk/client-ec2';
import { UserError, wrapError } from '../core/errors.js';
import { errorName, formatElapsed, nextPoll, type AmiContext } from './ami-context.js';
import { copyClientToken, identityTags, SOURCE_AMI_TAG } from './ami-inputs.js';

/** DescribeImages by id answers with one of these for an id it does not (yet) know. */
const NOT_FOUND = new Set(['InvalidAMIID.NotFound', 'InvalidAMIID.Unavailable', 'InvalidAMIID.Malformed']);
/** States a copy never leaves. */
const FAILED_STATES = new Set(['failed', 'error', 'invalid', 'deregistered', 'disabled']);

/** The image with that id in that region, or undefined when EC2 does not know it. */
async function describeImage(ctx: AmiContext, region: string, imageId: string): Promise<Image | undefined> {
  try {
    const answer = await ctx.call(`${region}: describe ${imageId}`, () =>
      ctx.ec2(region).send(new DescribeImagesCommand({ ImageIds: [imageId], IncludeDeprecated: true })),
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
}

/**
 * The copy of the source in `region`: an available one found by tag is reused, a pending one is
 * waited for, and only when there is neither is a new copy made. `onImageId` hears the id as
 * soon as it is known, so a failure later can still name it.
 */
export async function copyToRegion(
  ctx: AmiContext,
  region: string,
  source: Image,
  onImageId: (imageId: string) => void,
): Promise<RegionCopy> {
  const { amiId, sourceRegion, kmsKeyIds } = ctx.options;
  const ec2 = ctx.ec2(region);
  const found = await ctx
    .call(`${region}: look for copies of ${amiId}`, () =>
      ec2.send(
        new DescribeImagesCommand({
          Owners: ['self'],
          IncludeDeprecated: true,
          Filters: [{ Name: `tag:${SOURCE_AMI_TAG}`, Values: [amiId] }],
        }),
      ),
    )
    .catch((error: unknown) => {
      throw wrapError(`look for existing copies of ${amiId} in ${region}`, error);
    });
  const copies = (found.Images ?? []).sort(newestFirst);
  const reusable =
    copies.find((image) => image.State === 'available') ?? copies.find((image) => image.State === 'pending');
  const startedAt = ctx.now();
  if (reusable?.ImageId) {
    onImageId(reusable.ImageId);
    ctx.log(`${region}: found ${reusable.ImageId}, a copy of ${amiId} made earlier (${reusable.State})`);
    const image =
      reusable.State === 'available'
        ? reusable
        : await waitForImage(ctx, region, reusable.ImageId, startedAt);
    return { image, status: 'existing' };
  }

  const name = ctx.options.name ?? source.Name ?? amiId;
  const kmsKeyId = kmsKeyIds[region];
  const encrypted = ctx.options.encrypted || kmsKeyId !== undefined;
  const failedBefore = copies.filter((image) => FAILED_STATES.has(image.State ?? '')).length;
  const copied = await ctx
    .call(`${region}: copy ${amiId}`, () =>
      ec2.send(
        new CopyImageCommand({
          SourceImageId: amiId,
          SourceRegion: sourceRegion,
          Name: name,
          Description: source.Description || `${amiId} from ${sourceRegion}, copied by imagepipe`,
          ...(encrypted ? { Encrypted: true } : {}),
          ...(kmsKeyId !== undefined ? { KmsKeyId: kmsKeyId } : {}),
          ClientToken: copyClientToken(amiId, region, name, failedBefore),
          TagSpecifications: [
            {
              ResourceType: 'image',
              Tags: Object.entries(identityTags(ctx.options)).map(([Key, Value]) => ({ Key, Value })),
            },
          ],
        }),
      ),
    )
    .catch((error: unknown) => {
      throw wrapError(`copy ${amiId} to ${region}`, error);
    });
  const imageId = copied.ImageId;
  if (!imageId) throw new Error(`Could not copy ${amiId} to ${region}: CopyImage returned no image id`);
  onImageId(imageId);
  ctx.log(
    `${region}: copying ${amiId} from ${sourceRegion} as ${imageId} (${name}${
      encrypted ? `, encrypted with ${kmsKeyId ?? 'the default EBS key'}` : ''
    })`,
  );
  return { image: await waitForImage(ctx, region, imageId, startedAt), status: 'copied' };
}

/**
 * Polls until the copy is available, logging its state each time. A failed copy throws with
 * EC2's reason; a copy still pending at the deadline throws naming timeout-minutes. Right after
 * CopyImage the new id can be unknown for a while (eventual consistency): that counts as pending.
 */
export async function waitForImage(
  ctx: AmiContext,
  region: string,
  imageId: string,
  startedAt: number,
): Promise<Image> {
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
