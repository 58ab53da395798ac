/**
 * S3 buckets: public ACLs and policies and Block Public Access here; encryption, versioning and
 * logging in s3-data.ts. `S3_RULES` gathers them all.
 *
 * Terraform holds these settings on `aws_s3_bucket` itself in AWS provider v3 (`acl`, `policy`,
 * `versioning`, `logging`, `server_side_encryption_configuration`) and in companion resources
 * from v4 on (`aws_s3_bucket_acl`, `aws_s3_bucket_policy`, `aws_s3_bucket_versioning`, …) that
 * name the bucket in `bucket`. A setting on a companion is reported on the companion; a bucket is
 * reported for a missing companion only when no companion of the module may reference it.
 */
import { get, mayBeOff, possible, UNKNOWN } from '../../model.js';
import type { Doc, Hit, MapNode, Resource } from '../../types.js';
import {
  mapItems,
  policyDocuments,
  publicPrincipalHits,
  statementLabel,
  stringsAt,
  uniqueHits,
} from '../aws-helpers.js';
import { documentPolicyFor, missingCompanion, moduleResources, tf } from '../aws-terraform.js';
import { hit, resourceRule } from '../define.js';
import { s3AccessLoggingOff, s3Unencrypted, s3VersioningOff } from './s3-data.js';

const PUBLIC_ACLS = new Map([
  ['publicread', 'anyone on the internet can list and read it'],
  ['publicreadwrite', 'anyone on the internet can list, read and write it'],
  ['authenticatedread', 'any AWS account holder can list and read it'],
]);

/** What a canned ACL exposes, for CloudFormation (`PublicRead`) and Terraform (`public-read`) names. */
function publicAcl(acl: string): string | undefined {
  return PUBLIC_ACLS.get(acl.trim().toLowerCase().replace(/-/g, ''));
}

/** The groups whose grants make a bucket public, as Terraform's `grant` blocks name them. */
const PUBLIC_GRANTEES = new Map([
  ['http://acs.amazonaws.com/groups/global/allusers', 'anyone on the internet'],
  ['http://acs.amazonaws.com/groups/global/authenticatedusers', 'any AWS account holder'],
]);

/** Canned ACLs and grants to everyone in a Terraform bucket or `aws_s3_bucket_acl`. */
function tfPublicAcl(res: Resource, doc: Doc): Hit[] {
  const what = res.type === 'aws_s3_bucket_acl' ? `Bucket ACL ${res.name}` : `Bucket ${res.name}`;
  const hits: Array<Hit | undefined> = stringsAt(get(res.body, 'acl'), doc).map((acl) => {
    const exposed = publicAcl(acl.value);
    return exposed
      ? hit(acl.pos, `${what} has the ${acl.value} ACL: ${exposed}. Use "private" or drop the ACL.`)
      : undefined;
  });
  // v3: `grant { uri permissions }` on the bucket; v4: `access_control_policy { grant { grantee { uri } } }`.
  const grants =
    res.type === 'aws_s3_bucket_acl'
      ? mapItems(get(res.body, 'access_control_policy'), doc).flatMap((p) =>
          mapItems(get(p, 'grant'), doc).flatMap((g) => mapItems(get(g, 'grantee'), doc)),
        )
      : mapItems(get(res.body, 'grant'), doc);
  for (const grant of grants) {
    for (const uri of stringsAt(get(grant, 'uri'), doc)) {
      const who = PUBLIC_GRANTEES.get(uri.value.trim().toLowerCase());
      if (who) hits.push(hit(uri.pos, `${what} grants access to ${who}: remove the grant.`));
    }
  }
  return uniqueHits(hits);
}

export const s3PublicAcl = resourceRule(
  {
    id: 's3-public-acl',
    title: 'S3 bucket has a public canned ACL',
    severity: 'high',
    description:
      'The canned ACLs PublicRead, PublicReadWrite and AuthenticatedRead (`public-read`, `public-read-write`, `authenticated-read` in Terraform), and grants to the AllUsers or AuthenticatedUsers groups, give every internet user, or every AWS account holder, access to the bucket: its objects can be listed and downloaded (and with PublicReadWrite, replaced or deleted).',
    fix: 'Remove `AccessControl` (CloudFormation) or the `acl` and group `grant`s of `aws_s3_bucket` / `aws_s3_bucket_acl` (Terraform), keep `ObjectOwnership: BucketOwnerEnforced` (ACLs disabled) and serve public content through CloudFront with origin access control.',
    refs: {
      cfn_nag: ['W31', 'F14'],
      checkov: ['CKV_AWS_20', 'CKV_AWS_57'],
      kics: [
        '219f4c95-aa50-44e0-97de-cf71f4641170',
        '07dda8de-d90d-469e-9b37-1aca53526ced',
        '835d5497-a526-4aea-a23f-98a9afd1635f',
        '57b9893d-33b1-4419-bcea-a717ea87e139',
        '38c5ee0d-7f22-4260-ab72-5073048df100',
      ],
    },
  },
  {
    cloudformation: {
      types: ['AWS::S3::Bucket'],
      check(res, doc) {
        return uniqueHits(
          stringsAt(get(res.body, 'AccessControl'), doc).map((acl) => {
            const what = publicAcl(acl.value);
            return what
              ? hit(acl.pos, `Bucket ${res.name} has the ${acl.value} ACL: ${what}. Remove AccessControl.`)
              : undefined;
          }),
        );
      },
    },
    terraform: tf(['aws_s3_bucket', 'aws_s3_bucket_acl'], tfPublicAcl),
  },
);

export const s3PublicPolicy = resourceRule(
  {
    id: 's3-public-policy',
    title: 'S3 bucket policy allows everyone',
    severity: 'high',
    description:
      'A bucket policy statement that allows the principal `*` (or `{"AWS": "*"}`) without a condition naming the callers (aws:SourceVpce, aws:PrincipalOrgID, aws:SourceArn, …) grants its actions to anyone on the internet.',
    fix: 'Name the principals (account or role ARNs) in the statement, or add a condition on aws:PrincipalOrgID, aws:SourceVpce, aws:SourceArn or aws:SourceAccount; serve public content through CloudFront with origin access control. In Terraform the same applies to `policy` of `aws_s3_bucket_policy` (or of a provider v3 `aws_s3_bucket`) and to the `principals` of the `aws_iam_policy_document` it reads.',
    refs: { cfn_nag: ['F16'], checkov: ['CKV_AWS_70'], kics: ['7af43613-6bb9-4a0e-8c4d-1314b799425e'] },
  },
  {
    cloudformation: {
      types: ['AWS::S3::BucketPolicy'],
      check: (res, doc) =>
        publicPrincipalHits(
          policyDocuments(get(res.body, 'PolicyDocument'), doc),
          doc,
          (st) =>
            `Bucket policy ${res.name}${statementLabel(st)} allows everyone (Principal *): name the principals or add a condition that narrows the callers.`,
        ),
    },
    terraform: tf(
      ['aws_s3_bucket_policy', 'aws_s3_bucket'],
      (res, doc) => {
        const what =
          res.block === 'data'
            ? `Policy document ${res.name}`
            : res.type === 'aws_s3_bucket'
              ? `Bucket ${res.name} policy`
              : `Bucket policy ${res.name}`;
        const policies =
          res.block === 'data'
            ? documentPolicyFor(res, doc, 'bucket')
            : policyDocuments(get(res.body, 'policy'), doc);
        return publicPrincipalHits(
          policies,
          doc,
          (st) =>
            `${what}${statementLabel(st)} allows everyone (Principal *): name the principals or add a condition that narrows the callers.`,
        );
      },
      ['aws_iam_policy_document'],
    ),
  },
);

const BPA_FLAGS = ['BlockPublicAcls', 'BlockPublicPolicy', 'IgnorePublicAcls', 'RestrictPublicBuckets'];
const TF_BPA_FLAGS = [
  'block_public_acls',
  'block_public_policy',
  'ignore_public_acls',
  'restrict_public_buckets',
];

/** The flags of a Block Public Access configuration that may be off (absent ones default to false). */
function flagsOff(config: MapNode, doc: Doc, flags: readonly string[]): string[] {
  return flags.filter((flag) => mayBeOff(get(config, flag), doc));
}

const TF_BPA = ['aws_s3_bucket_public_access_block'];

export const s3PublicAccessBlockOff = resourceRule(
  {
    id: 's3-public-access-block-off',
    title: 'S3 bucket does not block public access',
    severity: 'medium',
    description:
      'S3 Block Public Access is the guard that keeps a later ACL or bucket policy from making the bucket public. New buckets get all four settings on by default since April 2023, but a configuration that is missing leaves the bucket to defaults that an account setting or a later change can alter, and a configuration with a setting off (or left out: it then defaults to false) lets public grants through.',
    fix: 'Set `PublicAccessBlockConfiguration` with `BlockPublicAcls`, `BlockPublicPolicy`, `IgnorePublicAcls` and `RestrictPublicBuckets` all `true` (CloudFormation), or an `aws_s3_bucket_public_access_block` with `block_public_acls`, `block_public_policy`, `ignore_public_acls` and `restrict_public_buckets` all `true` for every bucket of the module (Terraform).',
    refs: {
      checkov: ['CKV_AWS_53', 'CKV_AWS_54', 'CKV_AWS_55', 'CKV_AWS_56'],
      kics: [
        '48f100d9-f499-4c6d-b2b8-deafe47ffb26',
        'd0cc8694-fcad-43ff-ac86-32331d7e867f',
        '1a4bc881-9f69-4d44-8c9a-d37d08f54c50',
        '4fa66806-0dd9-4f8d-9480-3174d39c7c91',
        '1ec253ab-c220-4d63-b2de-5b40e0af9293',
      ],
    },
  },
  {
    cloudformation: {
      types: ['AWS::S3::Bucket'],
      check(res, doc) {
        const config = get(res.body, 'PublicAccessBlockConfiguration');
        const hits: Hit[] = [];
        for (const c of possible(config, doc)) {
          if (c === UNKNOWN) continue;
          if (c === undefined || c.kind !== 'map') {
            if (c === undefined) {
              hits.push(
                hit(
                  res.pos,
                  `Bucket ${res.name} has no PublicAccessBlockConfiguration: set all four Block Public Access settings to true.`,
                ),
              );
            }
            continue;
          }
          const off = flagsOff(c, doc, BPA_FLAGS);
          if (off.length > 0) {
            const first = get(c, off[0]!);
            hits.push(
              hit(
                first?.pos ?? c.pos,
                `Bucket ${res.name} does not block public access (${off.join(', ')} not true): set all four to true.`,
              ),
            );
          }
        }
        return uniqueHits(hits);
      },
    },
    terraform: [
      tf(TF_BPA, (res, doc) => {
        const off = flagsOff(res.body, doc, TF_BPA_FLAGS);
        if (off.length === 0) return;
        return hit(
          get(res.body, off[0]!)?.pos ?? res.pos,
          `Public access block ${res.name} does not block public access (${off.join(', ')} not true): set all four to true.`,
        );
      }),
      tf(['aws_s3_bucket'], (res, doc) => {
        // An account-wide block in the same module that certainly sets all four covers every bucket.
        const account = moduleResources(doc, 'aws_s3_account_public_access_block');
        if (account.some((a) => flagsOff(a.body, doc, TF_BPA_FLAGS).length === 0)) return;
        return missingCompanion(
          res,
          doc,
          TF_BPA,
          `Bucket ${res.name} has no aws_s3_bucket_public_access_block: add one with all four settings true.`,
        );
      }),
    ],
  },
);

export const S3_RULES = [
  s3PublicAcl,
  s3PublicPolicy,
  s3PublicAccessBlockOff,
  s3Unencrypted,
  s3VersioningOff,
  s3AccessLoggingOff,
];
