/** SNS topics: encryption at rest. */
import { get, possible } from '../../model.js';
import { tf } from '../aws-terraform.js';
import { hit, resourceRule } from '../define.js';

export const snsUnencrypted = resourceRule(
  {
    id: 'sns-unencrypted',
    title: 'SNS topic is not encrypted',
    severity: 'medium',
    description:
      'SNS does not encrypt topics by default: messages, which often carry alerts, events and personal data, are stored unencrypted until delivered.',
    fix: 'Set `KmsMasterKeyId` to a KMS key (`alias/aws/sns` or, better, a customer managed key) on `AWS::SNS::Topic` (CloudFormation), or `kms_master_key_id` on `aws_sns_topic` (Terraform).',
    refs: {
      cfn_nag: ['W47'],
      checkov: ['CKV_AWS_26'],
      kics: ['9d13b150-a2ab-42a1-b6f4-142e41f81e52', '28545147-2fc6-42d5-a1f9-cf226658e591'],
    },
  },
  {
    cloudformation: {
      types: ['AWS::SNS::Topic'],
      check(res, doc) {
        if (possible(get(res.body, 'KmsMasterKeyId'), doc).some((p) => p === undefined)) {
          return hit(res.pos, `Topic ${res.name} is not encrypted: set KmsMasterKeyId.`);
        }
      },
    },
    terraform: tf(['aws_sns_topic'], (res, doc) => {
      if (possible(get(res.body, 'kms_master_key_id'), doc).some((p) => p === undefined)) {
        return hit(res.pos, `Topic ${res.name} is not encrypted: set kms_master_key_id.`);
      }
    }),
  },
);

export const SNS_RULES = [snsUnencrypted];
