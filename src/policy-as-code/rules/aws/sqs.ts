/** SQS queues: encryption at rest. */
import { get, mayBeBool, possible } from '../../model.js';
import { tf } from '../aws-terraform.js';
import { hit, resourceRule } from '../define.js';

export const sqsUnencrypted = resourceRule(
  {
    id: 'sqs-unencrypted',
    title: 'SQS queue is not encrypted',
    severity: 'medium',
    description:
      'A queue with SQS-managed encryption switched off and no KMS key stores its messages unencrypted. New queues get SQS-managed encryption (SSE-SQS) by default, so only a queue that turns it off explicitly is reported.',
    fix: 'Remove `SqsManagedSseEnabled: false` or set `KmsMasterKeyId` to a KMS key on `AWS::SQS::Queue` (CloudFormation); in Terraform keep `sqs_managed_sse_enabled = true` or set `kms_master_key_id` on `aws_sqs_queue`.',
    refs: {
      cfn_nag: ['W48'],
      checkov: ['CKV_AWS_27'],
      kics: ['12726829-93ed-4d51-9cbe-13423f4299e1', '6e8849c1-3aa7-40e3-9063-b85ee300f29f'],
    },
  },
  {
    cloudformation: {
      types: ['AWS::SQS::Queue'],
      check(res, doc) {
        if (!possible(get(res.body, 'KmsMasterKeyId'), doc).some((p) => p === undefined)) return;
        const managed = get(res.body, 'SqsManagedSseEnabled');
        if (managed && mayBeBool(managed, doc, false)) {
          return hit(
            managed.pos,
            `Queue ${res.name} is not encrypted: set KmsMasterKeyId or SqsManagedSseEnabled: true.`,
          );
        }
      },
    },
    terraform: tf(['aws_sqs_queue'], (res, doc) => {
      if (!possible(get(res.body, 'kms_master_key_id'), doc).some((p) => p === undefined)) return;
      const managed = get(res.body, 'sqs_managed_sse_enabled');
      if (managed && mayBeBool(managed, doc, false)) {
        return hit(
          managed.pos,
          `Queue ${res.name} is not encrypted: set kms_master_key_id or sqs_managed_sse_enabled = true.`,
        );
      }
    }),
  },
);

export const SQS_RULES = [sqsUnencrypted];
