/**
 * S3 buckets: default encryption, versioning and access logging; the public access rules are in
 * s3.ts, which gathers all of them. Terraform reads v3 settings on `aws_s3_bucket` and v4
 * companions (`aws_s3_bucket_server_side_encryption_configuration`, `aws_s3_bucket_versioning`,
 * `aws_s3_bucket_logging`) as s3.ts describes.
 */
import { entry, get, isFn, isScalar, mayBeOff, possible, UNKNOWN } from '../../model.js';
import type { Doc, Hit, Resource } from '../../types.js';
import { mapItems, stringsAt, uniqueHits } from '../aws-helpers.js';
import { mayReference, missingCompanion, moduleResources, tf } from '../aws-terraform.js';
import { hit, resourceRule } from '../define.js';

export const s3Unencrypted = resourceRule(
  {
    id: 's3-unencrypted',
    title: 'S3 bucket has no default encryption configured',
    severity: 'low',
    description:
      'The bucket does not state its default encryption. Since January 2023 S3 encrypts every new object with S3-managed keys (SSE-S3) anyway, so data is not stored in clear text; what is missing is a choice made on purpose, and SSE-KMS with a customer managed key, which adds key policies, CloudTrail records of every decryption and the ability to revoke access. Hence the low severity.',
    fix: 'Set `BucketEncryption.ServerSideEncryptionConfiguration` with `SSEAlgorithm: aws:kms` and a `KMSMasterKeyID` (CloudFormation), or an `aws_s3_bucket_server_side_encryption_configuration` (Terraform; provider v3: a `server_side_encryption_configuration` block); `BucketKeyEnabled: true` keeps KMS costs down.',
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
    terraform: tf(['aws_s3_bucket'], (res, doc) => {
      if (!possible(get(res.body, 'server_side_encryption_configuration'), doc).some((p) => p === undefined))
        return;
      return missingCompanion(
        res,
        doc,
        ['aws_s3_bucket_server_side_encryption_configuration'],
        `Bucket ${res.name} has no default encryption configured: add an aws_s3_bucket_server_side_encryption_configuration with SSE-KMS.`,
      );
    }),
  },
);

export const s3VersioningOff = resourceRule(
  {
    id: 's3-versioning-off',
    title: 'S3 bucket versioning is not enabled',
    severity: 'low',
    description:
      'Without versioning an overwrite or a delete, by mistake, by a faulty deployment or by ransomware with stolen credentials, destroys the object for good.',
    fix: 'Set `VersioningConfiguration: {Status: Enabled}` (CloudFormation) or an `aws_s3_bucket_versioning` with `status = "Enabled"` (Terraform; provider v3: `versioning { enabled = true }`), with a lifecycle rule expiring noncurrent versions.',
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
    terraform: [
      tf(['aws_s3_bucket'], (res, doc) => {
        const versioning = get(res.body, 'versioning');
        if (versioning === undefined) {
          return missingCompanion(
            res,
            doc,
            ['aws_s3_bucket_versioning'],
            `Bucket ${res.name} has no versioning: add an aws_s3_bucket_versioning with status = "Enabled".`,
          );
        }
        // v3: `versioning { enabled = true }`, false when left out.
        return uniqueHits(
          mapItems(versioning, doc).map((v) => {
            const enabled = get(v, 'enabled');
            return mayBeOff(enabled, doc)
              ? hit(
                  enabled?.pos ?? v.pos,
                  `Bucket ${res.name} has versioning off: set versioning { enabled = true }.`,
                )
              : undefined;
          }),
        );
      }),
      tf(['aws_s3_bucket_versioning'], (res, doc) =>
        uniqueHits(
          mapItems(get(res.body, 'versioning_configuration'), doc).flatMap((c) =>
            stringsAt(get(c, 'status'), doc)
              .filter((s) => s.value !== 'Enabled')
              .map((s) => hit(s.pos, `Bucket versioning ${res.name} is ${s.value}: set status = "Enabled".`)),
          ),
        ),
      ),
    ],
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

/**
 * True when a Terraform bucket may receive access logs: another bucket's `logging { target_bucket }`
 * or an `aws_s3_bucket_logging`'s `target_bucket` may name it (an unknown target may name any), or
 * its ACL (on the bucket, or an `aws_s3_bucket_acl` that may be its) may be `log-delivery-write`.
 */
function tfLogBucket(bucket: Resource, doc: Doc): boolean {
  const targets = [
    ...moduleResources(doc, 'aws_s3_bucket')
      .filter((b) => b !== bucket)
      .flatMap((b) => mapItems(get(b.body, 'logging'), doc).map((l) => get(l, 'target_bucket'))),
    ...moduleResources(doc, 'aws_s3_bucket_logging').map((l) => get(l.body, 'target_bucket')),
  ];
  if (targets.some((t) => t !== undefined && mayReference(t, doc, bucket, 'bucket'))) return true;
  const acls = [
    get(bucket.body, 'acl'),
    ...moduleResources(doc, 'aws_s3_bucket_acl')
      .filter((a) => mayReference(get(a.body, 'bucket'), doc, bucket, 'bucket'))
      .map((a) => get(a.body, 'acl')),
  ];
  return acls.some((acl) => stringsAt(acl, doc).some((s) => s.value === 'log-delivery-write'));
}

export const s3AccessLoggingOff = resourceRule(
  {
    id: 's3-access-logging-off',
    title: 'S3 bucket access logging is not enabled',
    severity: 'low',
    description:
      'Without server access logs there is no record of who read, wrote or deleted objects, which an investigation of a leak or of tampering needs (CloudTrail data events are the alternative).',
    fix: 'Set `LoggingConfiguration: {DestinationBucketName: …, LogFilePrefix: …}` pointing at a dedicated log bucket (CloudFormation), or an `aws_s3_bucket_logging` (Terraform; provider v3: a `logging` block); or record S3 data events with CloudTrail.',
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
    terraform: tf(['aws_s3_bucket'], (res, doc) => {
      if (!possible(get(res.body, 'logging'), doc).some((p) => p === undefined)) return;
      if (tfLogBucket(res, doc)) return;
      return missingCompanion(
        res,
        doc,
        ['aws_s3_bucket_logging'],
        `Bucket ${res.name} does not log access: add an aws_s3_bucket_logging to a log bucket.`,
      );
    }),
  },
);
