/**
 * Tags on an AMI and on every snapshot it points at, set once the AMI is available (its snapshots
 * are only known then). Only what lacks a tag, or has another value, is tagged, so a re-run with
 * the same inputs calls CreateTags not at all.
 */
import {
  CreateTagsCommand,
  DescribeSnapshotsCommand,
  type Image,
  type Snapshot,
  type Tag,
} from '@aws-sdk/client-ec2';
import { wrapError } from '../core/errors.js';
import { snapshotIdsOf, type AmiContext } from './ami-context.js';

function hasAll(tags: Tag[] | undefined, wanted: Record<string, string>): boolean {
  return Object.entries(wanted).every(([key, value]) =>
    tags?.some((tag) => tag.Key === key && tag.Value === value),
  );
}

/** The AMI's snapshots as DescribeSnapshots reports them (tags, encryption, key). */
export async function describeSnapshots(ctx: AmiContext, region: string, image: Image): Promise<Snapshot[]> {
  const ids = snapshotIdsOf(image);
  if (ids.length === 0) return [];
  try {
    const answer = await ctx.call(`${region}: describe the snapshots of ${image.ImageId}`, () =>
      ctx.ec2(region).send(new DescribeSnapshotsCommand({ SnapshotIds: ids })),
    );
    return answer.Snapshots ?? [];
  } catch (error) {
    throw wrapError(`describe the snapshots of ${image.ImageId} in ${region}`, error);
  }
}

/** Tags the AMI and its snapshots with `wanted` where any of it is missing. */
export async function tagImage(
  ctx: AmiContext,
  region: string,
  image: Image,
  snapshots: Snapshot[],
  wanted: Record<string, string>,
): Promise<void> {
  const imageId = image.ImageId ?? '';
  if (Object.keys(wanted).length === 0) return;
  const resources: string[] = [];
  if (!hasAll(image.Tags, wanted)) resources.push(imageId);
  for (const id of snapshotIdsOf(image)) {
    const snapshot = snapshots.find((s) => s.SnapshotId === id);
    if (!hasAll(snapshot?.Tags, wanted)) resources.push(id);
  }
  if (resources.length === 0) {
    ctx.log(`${region}: ${imageId} and its snapshots are already tagged`);
    return;
  }
  try {
    await ctx.call(`${region}: tag ${imageId}`, () =>
      ctx.ec2(region).send(
        new CreateTagsCommand({
          Resources: resources,
          Tags: Object.entries(wanted).map(([Key, Value]) => ({ Key, Value })),
        }),
      ),
    );
  } catch (error) {
    throw wrapError(`tag ${resources.join(', ')} in ${region}`, error);
  }
  ctx.log(`${region}: tagged ${resources.join(', ')} with ${Object.keys(wanted).length} tags`);
}
