/** CloudTrail trails: logging on, log file validation, KMS encryption, every region. */
import { get, mayBeBool, mayBeOff, possible } from '../../model.js';
import { tf } from '../aws-terraform.js';
import { hit, resourceRule } from '../define.js';

const TRAIL = ['AWS::CloudTrail::Trail'];
const TF_TRAIL = ['aws_cloudtrail'];

export const cloudtrailLoggingOff = resourceRule(
  {
    id: 'cloudtrail-logging-off',
    title: 'CloudTrail trail is not logging',
    severity: 'high',
    description:
      'A trail that is stopped records nothing: API calls, including an attacker’s, leave no audit record for detection or investigation.',
    fix: 'Set `IsLogging: true` on `AWS::CloudTrail::Trail` (CloudFormation) or `enable_logging = true` on `aws_cloudtrail` (Terraform).',
    refs: { checkov: ['CKV_AWS_251'], kics: ['4bb76f17-3d63-4529-bdca-2b454529d774'] },
  },
  {
    cloudformation: {
      types: TRAIL,
      check(res, doc) {
        const logging = get(res.body, 'IsLogging');
        if (logging && mayBeBool(logging, doc, false)) {
          return hit(logging.pos, `Trail ${res.name} is not logging: set IsLogging: true.`);
        }
      },
    },
    // `enable_logging` defaults to true: only an explicit false stops the trail.
    terraform: tf(TF_TRAIL, (res, doc) => {
      const logging = get(res.body, 'enable_logging');
      if (logging && mayBeBool(logging, doc, false)) {
        return hit(logging.pos, `Trail ${res.name} is not logging: set enable_logging = true.`);
      }
    }),
  },
);

export const cloudtrailLogValidationOff = resourceRule(
  {
    id: 'cloudtrail-log-validation-off',
    title: 'CloudTrail log file validation is not enabled',
    severity: 'medium',
    description:
      'Without log file validation CloudTrail writes no signed digests, so a log file that was altered or deleted after delivery cannot be told from a genuine one (CIS AWS Foundations 3.2).',
    fix: 'Set `EnableLogFileValidation: true` (CloudFormation) or `enable_log_file_validation = true` on `aws_cloudtrail` (Terraform).',
    refs: {
      checkov: ['CKV_AWS_36'],
      kics: ['2a3560fe-52ca-4443-b34f-bf0ed5eb74c8', '52ffcfa6-6c70-4ea6-8376-d828d3961669'],
    },
  },
  {
    cloudformation: {
      types: TRAIL,
      check(res, doc) {
        const validation = get(res.body, 'EnableLogFileValidation');
        if (mayBeOff(validation, doc)) {
          return hit(
            validation?.pos ?? res.pos,
            `Trail ${res.name} does not validate its log files: set EnableLogFileValidation: true.`,
          );
        }
      },
    },
    terraform: tf(TF_TRAIL, (res, doc) => {
      const validation = get(res.body, 'enable_log_file_validation');
      if (mayBeOff(validation, doc)) {
        return hit(
          validation?.pos ?? res.pos,
          `Trail ${res.name} does not validate its log files: set enable_log_file_validation = true.`,
        );
      }
    }),
  },
);

export const cloudtrailUnencrypted = resourceRule(
  {
    id: 'cloudtrail-unencrypted',
    title: 'CloudTrail logs are not encrypted with a KMS key',
    severity: 'medium',
    description:
      'Without a KMS key the trail’s log files are only protected by S3-managed encryption, so anyone who can read the bucket can read the account’s full API history; a customer managed key adds a second, audited permission (CIS AWS Foundations 3.5).',
    fix: 'Set `KMSKeyId` to a customer managed key whose policy lets CloudTrail encrypt (CloudFormation), or `kms_key_id` on `aws_cloudtrail` (Terraform).',
    refs: {
      checkov: ['CKV_AWS_35'],
      kics: ['050a9ba8-d1cb-4c61-a5e8-8805a70d3b85', '5d9e3164-9265-470c-9a10-57ae454ac0c7'],
    },
  },
  {
    cloudformation: {
      types: TRAIL,
      check(res, doc) {
        if (possible(get(res.body, 'KMSKeyId'), doc).some((p) => p === undefined)) {
          return hit(
            res.pos,
            `Trail ${res.name} has no KMSKeyId: encrypt its logs with a customer managed key.`,
          );
        }
      },
    },
    terraform: tf(TF_TRAIL, (res, doc) => {
      if (possible(get(res.body, 'kms_key_id'), doc).some((p) => p === undefined)) {
        return hit(
          res.pos,
          `Trail ${res.name} has no kms_key_id: encrypt its logs with a customer managed key.`,
        );
      }
    }),
  },
);

export const cloudtrailNotMultiRegion = resourceRule(
  {
    id: 'cloudtrail-not-multi-region',
    title: 'CloudTrail trail does not cover every region',
    severity: 'medium',
    description:
      'A single-region trail misses activity in every other region, where an attacker can start resources or change global settings unseen (CIS AWS Foundations 3.1).',
    fix: 'Set `IsMultiRegionTrail: true` (CloudFormation) or `is_multi_region_trail = true` (Terraform), with `IncludeGlobalServiceEvents` / `include_global_service_events` on.',
    refs: {
      checkov: ['CKV_AWS_67'],
      kics: ['058ac855-989f-4378-ba4d-52d004020da7', '8173d5eb-96b5-4aa6-a71b-ecfa153c123d'],
    },
  },
  {
    cloudformation: {
      types: TRAIL,
      check(res, doc) {
        const multi = get(res.body, 'IsMultiRegionTrail');
        if (mayBeOff(multi, doc)) {
          return hit(
            multi?.pos ?? res.pos,
            `Trail ${res.name} covers only its own region: set IsMultiRegionTrail: true.`,
          );
        }
      },
    },
    terraform: tf(TF_TRAIL, (res, doc) => {
      const multi = get(res.body, 'is_multi_region_trail');
      if (mayBeOff(multi, doc)) {
        return hit(
          multi?.pos ?? res.pos,
          `Trail ${res.name} covers only its own region: set is_multi_region_trail = true.`,
        );
      }
    }),
  },
);

export const CLOUDTRAIL_RULES = [
  cloudtrailLoggingOff,
  cloudtrailLogValidationOff,
  cloudtrailUnencrypted,
  cloudtrailNotMultiRegion,
];
