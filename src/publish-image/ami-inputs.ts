/**
 * The AMI half of publish-image, before any AWS call: the share lists, the whole option set
 * checked once (so the action and the CLI reject the same values), the tags every copy gets, and
 * the deterministic client token that makes CopyImage idempotent.
 */
import { createHash } from 'node:crypto';
import { partitionOf, parseRegion } from '../core/aws.js';
import { InputError } from '../core/errors.js';
import type { AmiPublishOptions } from './ami.js';

/** The tag that marks a copy as ours and names what it was copied from: re-runs find copies by it. */
export const SOURCE_AMI_TAG = 'imagepipe:source-ami';
export const SOURCE_REGION_TAG = 'imagepipe:source-region';
const PROVENANCE_KEYS = {
  repository: 'imagepipe:repository',
  commit: 'imagepipe:commit',
  runUrl: 'imagepipe:run-url',
} as const;

const AMI_ID = /^ami-(?:[0-9a-f]{8}|[0-9a-f]{17})$/;
const ACCOUNT_ID = /^\d{12}$/;
const ORGANIZATION_ARN = /^arn:aws(?:-[a-z]+)*:organizations::\d{12}:organization\/o-[a-z0-9]{10,32}$/;
const OU_ARN =
  /^arn:aws(?:-[a-z]+)*:organizations::\d{12}:ou\/o-[a-z0-9]{10,32}\/ou-[0-9a-z]{4,32}-[a-z0-9]{8,32}$/;
/** The AWS managed EBS key, as an alias or an alias ARN: snapshots encrypted with it cannot be shared. */
const AWS_MANAGED_EBS_KEY = /^(?:arn:aws(?:-[a-z]+)*:kms:[a-z0-9-]+:\d{12}:)?alias\/aws\/ebs$/;
/** A KMS alias, as `alias/…` or an alias ARN. */
const KMS_ALIAS = /^(?:arn:aws(?:-[a-z]+)*:kms:[a-z0-9-]*:\d{12}:)?alias\//;
/** AWS rejects a deprecation time more than 10 years ahead. */
const MAX_DEPRECATE_DAYS = 3650;

function parseEach(name: string, list: readonly string[], pattern: RegExp, allowed: string): string[] {
  const out: string[] = [];
  for (const raw of list) {
    const item = raw.trim();
    if (item === '') continue;
    if (!pattern.test(item)) throw new InputError(name, item, allowed);
    if (!out.includes(item)) out.push(item);
  }
  return out;
}

/** 12-digit AWS account ids, trimmed, without blanks or repeats. */
export function parseAccountIds(name: string, list: readonly string[]): string[] {
  return parseEach(name, list, ACCOUNT_ID, 'expected a 12-digit AWS account id such as 123456789012');
}

/** Organization ARNs: `arn:aws:organizations::123456789012:organization/o-abcd123456`. */
export function parseOrganizationArns(name: string, list: readonly string[]): string[] {
  return parseEach(
    name,
    list,
    ORGANIZATION_ARN,
    'expected an organization ARN such as arn:aws:organizations::123456789012:organization/o-abcd123456',
  );
}

/** Organizational unit ARNs: `arn:aws:organizations::123456789012:ou/o-abcd123456/ou-ab12-cd345678`. */
export function parseOuArns(name: string, list: readonly string[]): string[] {
  return parseEach(
    name,
    list,
    OU_ARN,
    'expected an organizational unit ARN such as arn:aws:organizations::123456789012:ou/o-abcd123456/ou-ab12-cd345678',
  );
}

export function isAwsManagedEbsKey(keyId: string): boolean {
  return AWS_MANAGED_EBS_KEY.test(keyId);
}

/**
 * Whether a snapshot's KmsKeyId (EC2 reports the key's ARN) is the key a kms-key-ids entry
 * names. A key ARN must be that ARN, and a key id the id at its end. An alias (`alias/…` or an
 * alias ARN) cannot be resolved to its key without kms:DescribeKey, and this engine has no KMS
 * client: an alias is taken to match any KMS key, so only the snapshots' encryption is checked.
 */
export function kmsKeyMatches(wanted: string, actual: string | undefined): boolean {
  if (KMS_ALIAS.test(wanted)) return actual !== undefined;
  if (actual === undefined) return false;
  if (wanted.startsWith('arn:')) return actual === wanted;
  return actual === wanted || actual.endsWith(`:key/${wanted}`);
}

/** The partition an organization or OU ARN names: `arn:<partition>:organizations::…`. */
function arnPartition(arn: string): string {
  return arn.split(':')[1] ?? '';
}

/** Organization and OU ARNs must be of source-region's partition: EC2 knows no other. */
function checkArnPartitions(name: string, arns: string[], source: string): string[] {
  const partition = partitionOf(source);
  for (const arn of arns) {
    if (arnPartition(arn) !== partition) {
      throw new InputError(
        name,
        arn,
        `the ARN is in the ${arnPartition(arn)} partition, but source-region ${source} is in ${partition}: give ARNs that start with arn:${partition}:organizations::`,
      );
    }
  }
  return arns;
}

/**
 * Checks every option, as the action inputs they come from, before anything is called, and
 * returns the options with the share lists normalised.
 */
export function checkOptions(options: AmiPublishOptions): AmiPublishOptions {
  if (!AMI_ID.test(options.amiId)) {
    throw new InputError('ami-id', options.amiId, 'expected an AMI id such as ami-0123456789abcdef0');
  }
  const source = parseRegion('source-region', options.sourceRegion);
  if (options.regions.length === 0) throw new InputError('regions', '', 'list at least one region');
  const seen = new Set<string>();
  for (const region of options.regions) {
    parseRegion('regions', region);
    if (seen.has(region)) throw new InputError('regions', region, 'each region may be listed once');
    seen.add(region);
    if (partitionOf(region) !== partitionOf(source)) {
      throw new InputError(
        'regions',
        region,
        `an AMI cannot be copied across partitions; list regions of the ${partitionOf(source)} partition, as source-region ${source} is`,
      );
    }
  }
  for (const region of Object.keys(options.kmsKeyIds)) {
    if (region === source || !seen.has(region)) {
      throw new InputError(
        'kms-key-ids',
        region,
        'give keys only for the regions the AMI is copied to (those in regions, other than source-region)',
      );
    }
  }
  for (const key of Object.keys(options.tags)) {
    if (/^(?:aws|imagepipe):/i.test(key)) {
      throw new InputError('tags', key, 'tag keys starting with aws: or imagepipe: are reserved');
    }
  }
  const days = options.deprecateAfterDays;
  if (days !== undefined && !(Number.isInteger(days) && days >= 1 && days <= MAX_DEPRECATE_DAYS)) {
    throw new InputError(
      'deprecate-after-days',
      String(days),
      `expected a whole number from 1 to ${MAX_DEPRECATE_DAYS}`,
    );
  }
  if (!(options.timeoutMinutes > 0)) {
    throw new InputError(
      'timeout-minutes',
      String(options.timeoutMinutes),
      'expected a number of minutes above 0',
    );
  }
  if (options.s3Bucket !== undefined && !seen.has(source)) {
    throw new InputError(
      's3-bucket',
      options.s3Bucket,
      `the AMI is stored from source-region ${source} (CreateStoreImageTask needs the bucket in the region of the AMI), so list ${source} in regions too`,
    );
  }
  return {
    ...options,
    shareAccounts: parseAccountIds('share-accounts', options.shareAccounts),
    shareOrganizations: checkArnPartitions(
      'share-organizations',
      parseOrganizationArns('share-organizations', options.shareOrganizations),
      source,
    ),
    shareOus: checkArnPartitions('share-ous', parseOuArns('share-ous', options.shareOus), source),
  };
}

/** Provenance tags of the run, empty ones left out. */
export function provenanceTags(options: AmiPublishOptions): Record<string, string> {
  const tags: Record<string, string> = {};
  for (const [field, key] of Object.entries(PROVENANCE_KEYS)) {
    const value = options.provenance[field as keyof typeof PROVENANCE_KEYS]?.trim();
    if (value) tags[key] = value;
  }
  return tags;
}

/** The tags that identify a copy: given to CopyImage, so even a pending copy is found by a re-run. */
export function identityTags(options: AmiPublishOptions): Record<string, string> {
  return { [SOURCE_AMI_TAG]: options.amiId, [SOURCE_REGION_TAG]: options.sourceRegion };
}

/** Every tag an AMI and its snapshots end up with: a copy's identity, then the run's provenance and the user's tags. */
export function desiredTags(options: AmiPublishOptions, isCopy: boolean): Record<string, string> {
  return { ...(isCopy ? identityTags(options) : {}), ...provenanceTags(options), ...options.tags };
}

/** Every parameter CopyImage is sent, the client token aside (its tags follow from the source). */
export interface CopyParameters {
  sourceImageId: string;
  sourceRegion: string;
  region: string;
  name: string;
  description?: string;
  encrypted: boolean;
  kmsKeyId?: string;
}

/**
 * The CopyImage client token (at most 64 characters): a hash of every parameter sent and the
 * generation. A request repeated after a lost answer or a crash sends the same token and makes no
 * second copy, and changed inputs never reuse a token (EC2 would answer
 * IdempotentParameterMismatch). The generation starts at the number of failed copies already
 * there, so that a re-run after a failed copy makes a new one instead of being handed the failed
 * one again, and goes up when a token's image turns out to be gone (deregistered or disabled).
 */
export function copyClientToken(params: CopyParameters, generation: number): string {
  const digest = createHash('sha256')
    .update(
      JSON.stringify([
        params.sourceImageId,
        params.sourceRegion,
        params.region,
        params.name,
        params.description ?? null,
        params.encrypted,
        params.kmsKeyId ?? null,
        generation,
      ]),
    )
    .digest('hex');
  return `imagepipe-${digest.slice(0, 40)}`;
}
