/** S3 buckets: public ACLs and policies, Block Public Access, encryption, versioning and logging. */
import { entry, get, isFn, isScalar, mayBeOff, possible, UNKNOWN } from '../../model.js';
import type { Doc, Hit, Resource } from '../../types.js';
import {
  conditionNarrows,
  mayAllow,
  policyDocuments,
  statementLabel,
  statements,
  stringsAt,
  uniqueHits,
  wildcardPrincipals,
} from '../aws-helpers.js';
import { hit, resourceRule } from '../define.js';

const PUBLIC_ACLS = new Map([
  ['publicread', 'anyone on the internet can list and read it'],
  ['publicreadwrite', 'anyone on the internet can list, read and write it'],
  ['authenticatedread', 'any AWS account holder can list and read it'],
]);

export const s3PublicAcl = resourceRule(
  {
    id: 's3-public-acl',
    title: 'S3 bucket has a public canned ACL',
    severity: 'high',
    description:
      'The canned ACLs PublicRead, PublicReadWrite and AuthenticatedRead grant every internet user, or every AWS account holder, access to the bucket: its objects can be listed and downloaded (and with PublicReadWrite, replaced or deleted).',
    fix: 'Remove `AccessControl` (CloudFormation) or the `acl` / `aws_s3_bucket_acl` (Terraform), keep `ObjectOwnership: BucketOwnerEnforced` (ACLs disabled) and serve public content through CloudFront with origin access control.',
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
            const what = PUBLIC_ACLS.get(acl.value.trim().toLowerCase());
            return what
              ? hit(acl.pos, `Bucket ${res.name} has the ${acl.value} ACL: ${what}. Remove AccessControl.`)
              : undefined;
          }),
        );
      },
    },
  },
);

export const s3PublicPolicy = resourceRule(
  {
    id: 's3-public-policy',
    title: 'S3 bucket policy allows everyone',
    severity: 'high',
    description:
      'A bucket policy statement that allows the principal `*` (or `{"AWS": "*"}`) without a condition naming the callers (aws:SourceVpce, aws:PrincipalOrgID, aws:SourceArn, …) grants its actions to anyone on the internet.',
    fix: 'Name the principals (account or role ARNs) in the statement, or add a condition on aws:PrincipalOrgID, aws:SourceVpce, aws:SourceArn or aws:SourceAccount; serve public content through CloudFront with origin access control. The same applies to `policy` of `aws_s3_bucket_policy` in Terraform.',
    refs: { cfn_nag: ['F16'], checkov: ['CKV_AWS_70'], kics: ['7af43613-6bb9-4a0e-8c4d-1314b799425e'] },
  },
  {
    cloudformation: {
      types: ['AWS::S3::BucketPolicy'],
      check(res, doc) {
        const hits: Hit[] = [];
        for (const policy of policyDocuments(get(res.body, 'PolicyDocument'), doc)) {
          for (const st of statements(policy, doc)) {
            if (!mayAllow(st, doc) || conditionNarrows(st, doc)) continue;
            for (const p of wildcardPrincipals(st, doc)) {
              hits.push(
                hit(
                  p.pos,
                  `Bucket policy ${res.name}${statementLabel(st)} allows everyone (Principal *): name the principals or add a condition that narrows the callers.`,
                ),
              );
            }
          }
        }
        return uniqueHits(hits);
      },
    },
  },
);

const BPA_FLAGS = ['BlockPublicAcls', 'BlockPublicPolicy', 'IgnorePublicAcls', 'RestrictPublicBuckets'];

export const s3PublicAccessBlockOff = resourceRule(
  {
    id: 's3-public-access-block-off',
    title: 'S3 bucket does not block public access',
    severity: 'medium',
    description:
      'S3 Block Public Access is the guard that keeps a later ACL or bucket policy from making the bucket public. New buckets get all four settings on by default since April 2023, but a configuration that is missing leaves the bucket to defaults that an account setting or a later change can alter, and a configuration with a setting off (or left out: it then defaults to false) lets public grants through.',
    fix: 'Set `PublicAccessBlockConfiguration` with `BlockPublicAcls`, `BlockPublicPolicy`, `IgnorePublicAcls` and `RestrictPublicBuckets` all `true` (CloudFormation), or an `aws_s3_bucket_public_access_block` with `block_public_acls`, `block_public_policy`, `ignore_public_acls` and `restrict_public_buckets` all `true` (Terraform).',
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
          const off = BPA_FLAGS.filter((flag) => mayBeOff(get(c, flag), doc));
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
  },
);

export const s3Unencrypted = resourceRule(
  {
    id: 's3-unencrypted',
    title: 'S3 bucket has no default encryption configured',
    severity: 'low',
    description:
      'The bucket does not state its default encryption. Since January 2023 S3 encrypts every new object with S3-managed keys (SSE-S3) anyway, so data is not stored in clear text; what is missing is a choice made on purpose, and SSE-KMS with a customer managed key, which adds key policies, CloudTrail records of every decryption and the ability to revoke access. Hence the low severity.',
    fix: 'Set `BucketEncryption.ServerSideEncryptionConfiguration` with `SSEAlgorithm: aws:kms` and a `KMSMasterKeyID` (CloudFormation), or an `aws_s3_bucket_server_side_encryption_configuration` (Terraform); `BucketKeyEnabled: true` keeps KMS costs down.',
    refs: {
      checkov: ['CKV_AWS_19'],
      kics: ['b2e8752c-3497-4255-98d2-e4ae5b46bbf5', '6726dcc0-5ff5-459d-b473-a780bef7665c'],
    },
  },
  {
    cloudformation: {
      types: ['AWS::S3::Bucket'],
      check(res, doc) {
        if (possible(get(res.body, 'BucketEncryption'), doc).some((p) => p === undefined)) {
          return hit(
            res.pos,
            `Bucket ${res.name} has no BucketEncryption: configure SSE-KMS default encryption.`,
          );
        }
      },
    },
  },
);

export const s3VersioningOff = resourceRule(
  {
    id: 's3-versioning-off',
    title: 'S3 bucket versioning is not enabled',
    severity: 'low',
    description:
      'Without versioning an overwrite or a delete, by mistake, by a faulty deployment or by ransomware with stolen credentials, destroys the object for good.',
    fix: 'Set `VersioningConfiguration: {Status: Enabled}` (CloudFormation) or an `aws_s3_bucket_versioning` with `status = "Enabled"` (Terraform), with a lifecycle rule expiring noncurrent versions.',
    refs: {
      checkov: ['CKV_AWS_21'],
      kics: ['a227ec01-f97a-4084-91a4-47b350c1db54', '568a4d22-3517-44a6-a7ad-6a7eed88722c'],
    },
  },
  {
    cloudformation: {
      types: ['AWS::S3::Bucket'],
      check(res, doc) {
        const config = get(res.body, 'VersioningConfiguration');
        const hits: Hit[] = [];
        for (const c of possible(config, doc)) {
          if (c === UNKNOWN) continue;
          if (c === undefined) {
            hits.push(
              hit(
                res.pos,
                `Bucket ${res.name} has no versioning: set VersioningConfiguration.Status: Enabled.`,
              ),
            );
            continue;
          }
          const status = get(c, 'Status');
          for (const s of stringsAt(status, doc)) {
            if (s.value !== 'Enabled') {
              hits.push(hit(s.pos, `Bucket ${res.name} has versioning ${s.value}: set Status: Enabled.`));
            }
          }
        }
        return uniqueHits(hits);
      },
    },
  },
);

/**
 * Buckets that receive access logs: a bucket named by another bucket's
 * `LoggingConfiguration.DestinationBucketName` (by `Ref`), or one granting `LogDeliveryWrite`.
 * Logging a log bucket into itself loops, so they are not asked to log.
 */
function logBuckets(doc: Doc): Set<string> {
  const out = new Set<string>();
  for (const r of doc.resources) {
    if (r.type !== 'AWS::S3::Bucket') continue;
    const dest = get(r.body, 'LoggingConfiguration', 'DestinationBucketName');
    if (isFn(dest, 'Ref') && isScalar(dest.arg)) out.add(String(dest.arg.value));
    if (stringsAt(get(r.body, 'AccessControl'), doc).some((s) => s.value === 'LogDeliveryWrite'))
      out.add(r.name);
  }
  return out;
}

function logsAccess(bucket: Resource, doc: Doc): boolean | undefined {
  const config = get(bucket.body, 'LoggingConfiguration');
  const values = possible(config, doc);
  if (values.every((v) => v === UNKNOWN)) return undefined;
  return values.every((v) => v === UNKNOWN || (v !== undefined && v.kind === 'map'));
}

export const s3AccessLoggingOff = resourceRule(
  {
    id: 's3-access-logging-off',
    title: 'S3 bucket access logging is not enabled',
    severity: 'low',
    description:
      'Without server access logs there is no record of who read, wrote or deleted objects, which an investigation of a leak or of tampering needs (CloudTrail data events are the alternative).',
    fix: 'Set `LoggingConfiguration: {DestinationBucketName: …, LogFilePrefix: …}` pointing at a dedicated log bucket (CloudFormation), or an `aws_s3_bucket_logging` (Terraform); or record S3 data events with CloudTrail.',
    refs: {
      cfn_nag: ['W35'],
      checkov: ['CKV_AWS_18'],
      kics: ['4552b71f-0a2a-4bc4-92dd-ed7ec1b4674c', 'f861041c-8c9f-4156-acfc-5e6e524f5884'],
    },
  },
  {
    cloudformation: {
      types: ['AWS::S3::Bucket'],
      check(res, doc) {
        if (logBuckets(doc).has(res.name)) return;
        if (logsAccess(res, doc) === false) {
          const config = entry(res.body, 'LoggingConfiguration');
          return hit(
            config?.value.pos ?? res.pos,
            `Bucket ${res.name} does not log access: set LoggingConfiguration to a log bucket.`,
          );
        }
      },
    },
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
