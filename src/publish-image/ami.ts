/**
 * The AMI half of publish-image, as a pure engine: copy an AMI to regions in parallel, tag each
 * copy and its snapshots with the run's provenance, share it, set its deprecation time, write its
 * id to SSM parameters, and store it in S3. Every step first looks at what is already there, so a
 * re-run with the same inputs finds its copies by tag and does nothing twice; a copy found that
 * was made with other inputs fails its region instead of being shared. A region that fails does
 * not stop the others: each gets its own result.
 */
import {
  EnableImageDeprecationCommand,
  type EC2Client,
  type Image,
  type Snapshot,
} from '@aws-sdk/client-ec2';
import type { SSMClient } from '@aws-sdk/client-ssm';
import { errorMessage, wrapError } from '../core/errors.js';
import { isEncrypted, makeContext, snapshotIdsOf, type AmiContext } from './ami-context.js';
import { checkFoundCopy, copyToRegion, describeSource } from './ami-copy.js';
import { checkOptions, desiredTags } from './ami-inputs.js';
import { awsManagedKeyRefusal, defaultEbsKey, shareImage } from './ami-share.js';
import { writeImageParameter } from './ami-ssm.js';
import { startStore, waitForStore } from './ami-store.js';
import { describeSnapshots, tagImage } from './ami-tags.js';

export { parseAccountIds, parseOrganizationArns, parseOuArns } from './ami-inputs.js';

export interface AmiPublishOptions {
  /** ami-…, living in sourceRegion. */
  amiId: string;
  sourceRegion: string;
  /** Targets; the source region may be listed (then: tag, share, deprecate, SSM in place, no copy). */
  regions: string[];
  /** CopyImage Encrypted. A kms-key-ids entry for a region implies it there. */
  encrypted: boolean;
  /** Region → KMS key id, ARN or alias for the copy in that region. */
  kmsKeyIds: Record<string, string>;
  /** The copies' name; default: the source AMI's name. */
  name?: string;
  tags: Record<string, string>;
  provenance: { repository?: string; commit?: string; runUrl?: string };
  shareAccounts: string[];
  /** Organization ARNs. */
  shareOrganizations: string[];
  /** Organizational unit ARNs. */
  shareOus: string[];
  /**
   * Also give shareAccounts createVolumePermission on the AMI's snapshots, which they need to
   * copy the AMI (not to launch it). Organizations and OUs cannot get it. Default false.
   */
  shareSnapshots?: boolean;
  /** Days after each AMI's creation date at which it is deprecated. */
  deprecateAfterDays?: number;
  /** Written in every region with that region's AMI id. */
  ssmParameter?: string;
  /** Stores the source AMI (source-region must be listed in regions, and the bucket be there). */
  s3Bucket?: string;
  /** Bounds every wait of the whole publish, from its start. */
  timeoutMinutes: number;
}

export interface AmiDeps {
  /** Created by the caller with clientConfig(region). */
  ec2(region: string): EC2Client;
  ssm(region: string): SSMClient;
  log(message: string): void;
  sleep?: (ms: number) => Promise<void>;
  now?: () => number;
  /** Default 15 000. */
  pollIntervalMs?: number;
}

export interface AmiRegionResult {
  region: string;
  status: 'copied' | 'existing' | 'source' | 'failed';
  amiId?: string;
  snapshots: string[];
  shared: boolean;
  /** ISO 8601, when deprecate-after-days was set. */
  deprecationTime?: string;
  ssmParameter?: string;
  ssmVersion?: number;
  /** `s3://bucket/key`, when s3Bucket was set and the AMI is stored. */
  s3Object?: string;
  /** Why this region failed, in one sentence. */
  error?: string;
}

/**
 * Publishes the AMI to every region in `regions`; results in that order. Bad options are an
 * InputError and a bad source AMI a UserError, both before anything is changed; a failure in a
 * region is reported in its result.
 */
export async function publishAmi(options: AmiPublishOptions, deps: AmiDeps): Promise<AmiRegionResult[]> {
  const ctx = makeContext(checkOptions(options), deps);
  const source = await describeSource(ctx);
  return Promise.all(ctx.options.regions.map((region) => publishRegion(ctx, source, region)));
}

async function publishRegion(ctx: AmiContext, source: Image, region: string): Promise<AmiRegionResult> {
  const { options } = ctx;
  const result: AmiRegionResult = { region, status: 'failed', snapshots: [], shared: false };
  try {
    const inPlace = region === options.sourceRegion;
    if (inPlace) result.amiId = options.amiId;
    const store =
      inPlace && options.s3Bucket
        ? await startStore(ctx, region, options.amiId, options.s3Bucket)
        : undefined;
    let image = source;
    let status: AmiRegionResult['status'] = 'source';
    let snapshots: Snapshot[] | undefined;
    if (!inPlace) {
      // The region's default EBS key, read at most once, and only when the check needs it.
      let byDefault: Promise<string> | undefined;
      const defaultKey = () => (byDefault ??= defaultEbsKey(ctx, region));
      // Refused before copying when we can tell (encryption asked for, or an encrypted source)...
      const refusal = await awsManagedKeyRefusal(
        ctx,
        region,
        options.encrypted || isEncrypted(source),
        defaultKey,
      );
      if (refusal) throw refusal;
      const copy = await copyToRegion(ctx, region, source, (id) => (result.amiId = id));
      ({ image, status } = copy);
      snapshots = await describeSnapshots(ctx, region, image);
      // A copy found from an earlier run must be what these inputs ask for...
      checkFoundCopy(region, copy, options.amiId, snapshots);
      // ...and is checked again, as is a new one, now that its encryption is known (the region
      // may encrypt every new volume by default).
      const late = await awsManagedKeyRefusal(ctx, region, isEncrypted(image), defaultKey, {
        image,
        snapshots,
      });
      if (late) throw late;
    }
    const imageId = image.ImageId ?? '';
    result.amiId = imageId;
    result.snapshots = snapshotIdsOf(image);

    snapshots ??= await describeSnapshots(ctx, region, image);
    await tagImage(ctx, region, image, snapshots, desiredTags(options, !inPlace));
    result.shared = await shareImage(ctx, region, image, !inPlace);
    if (options.deprecateAfterDays !== undefined) {
      result.deprecationTime = await deprecate(ctx, region, image, options.deprecateAfterDays);
    }
    if (options.ssmParameter) {
      result.ssmVersion = await writeImageParameter(ctx, region, options.ssmParameter, imageId);
      result.ssmParameter = options.ssmParameter;
    }
    if (store) result.s3Object = await waitForStore(ctx, store);
    result.status = status;
  } catch (error) {
    result.status = 'failed';
    result.error = errorMessage(error);
    ctx.log(`${region}: failed: ${result.error}`);
  }
  return result;
}

const DAY_MS = 86_400_000;
const MINUTE_MS = 60_000;

/**
 * Deprecates the AMI `days` after its creation date (rounded down to the minute, as EC2 keeps
 * it), so a re-run computes the same time and leaves an AMI that has it alone. EC2 refuses a
 * time in the past: an AMI older than `days` (a source published late) is deprecated a minute
 * from now, and left alone once it has a deprecation time no later than that.
 */
async function deprecate(ctx: AmiContext, region: string, image: Image, days: number): Promise<string> {
  const now = ctx.now();
  const created = Date.parse(image.CreationDate ?? '');
  const due = Math.floor(((Number.isNaN(created) ? now : created) + days * DAY_MS) / MINUTE_MS) * MINUTE_MS;
  const overdue = due <= now;
  const at = overdue ? Math.ceil((now + MINUTE_MS) / MINUTE_MS) * MINUTE_MS : due;
  const current = Date.parse(image.DeprecationTime ?? '');
  if (!Number.isNaN(current) && (Math.abs(current - at) < MINUTE_MS || (overdue && current <= at))) {
    const iso = new Date(current).toISOString();
    ctx.log(`${region}: ${image.ImageId} already deprecates at ${iso}`);
    return iso;
  }
  const iso = new Date(at).toISOString();
  try {
    await ctx.call(`${region}: deprecate ${image.ImageId}`, () =>
      ctx
        .ec2(region)
        .send(new EnableImageDeprecationCommand({ ImageId: image.ImageId, DeprecateAt: new Date(at) })),
    );
  } catch (error) {
    throw wrapError(`set the deprecation time of ${image.ImageId} in ${region}`, error);
  }
  ctx.log(
    overdue
      ? `${region}: ${image.ImageId} is older than deprecate-after-days (${days}): it deprecates at ${iso}`
      : `${region}: ${image.ImageId} deprecates at ${iso}`,
  );
  return iso;
}
