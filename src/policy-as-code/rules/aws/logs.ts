/** CloudWatch Logs log groups: encryption with a customer managed key. */
import { get, possible } from '../../model.js';
import { tf } from '../aws-terraform.js';
import { hit, resourceRule } from '../define.js';

export const logGroupUnencrypted = resourceRule(
  {
    id: 'log-group-unencrypted',
    title: 'CloudWatch log group is not encrypted with a KMS key',
    severity: 'low',
    description:
      'CloudWatch Logs always encrypts log data at rest with a service key, so nothing is stored in clear text; a customer managed KMS key adds a key policy that controls who can read the logs, which matters when they hold tokens, personal data or request bodies. Hence the low severity.',
    fix: 'Set `KmsKeyId` to a customer managed key whose policy allows the logs service principal on `AWS::Logs::LogGroup` (CloudFormation), or `kms_key_id` on `aws_cloudwatch_log_group` (Terraform).',
    refs: { checkov: ['CKV_AWS_158'], kics: ['0afbcfe9-d341-4b92-a64c-7e6de0543879'] },
  },
  {
    cloudformation: {
      types: ['AWS::Logs::LogGroup'],
      check(res, doc) {
        if (possible(get(res.body, 'KmsKeyId'), doc).some((p) => p === undefined)) {
          return hit(
            res.pos,
            `Log group ${res.name} has no KmsKeyId: encrypt it with a customer managed key.`,
          );
        }
      },
    },
    terraform: tf(['aws_cloudwatch_log_group'], (res, doc) => {
      if (possible(get(res.body, 'kms_key_id'), doc).some((p) => p === undefined)) {
        return hit(
          res.pos,
          `Log group ${res.name} has no kms_key_id: encrypt it with a customer managed key.`,
        );
      }
    }),
  },
);

export const LOGS_RULES = [logGroupUnencrypted];
