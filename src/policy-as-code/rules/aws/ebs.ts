/** EBS: volumes, and the block devices of instances, launch templates and launch configurations. */
import { get, mayBeOff, posOf } from '../../model.js';
import { hit, resourceRule } from '../define.js';

export const ebsVolumeUnencrypted = resourceRule(
  {
    id: 'ebs-volume-unencrypted',
    title: 'EBS volume is not encrypted',
    severity: 'high',
    description:
      'An unencrypted EBS volume stores its data, and every snapshot and AMI made from it, in clear text. Anyone who gets a copy of a snapshot can read it.',
    fix: 'Set `Encrypted: true` (CloudFormation) or `encrypted = true` (Terraform), ideally with a customer managed `KmsKeyId` / `kms_key_id`, or turn on EBS encryption by default for the account.',
    refs: { cfn_nag: ['F1'], checkov: ['CKV_AWS_3'], kics: ['8bbb242f-6e38-4127-86d4-d8f0b2687ae2'] },
  },
  {
    cloudformation: {
      types: ['AWS::EC2::Volume'],
      check(res, doc) {
        const encrypted = get(res.body, 'Encrypted');
        if (mayBeOff(encrypted, doc)) {
          return hit(posOf(encrypted, res), `Volume ${res.name} is not encrypted: set Encrypted: true.`);
        }
      },
    },
  },
);

export const EBS_RULES = [ebsVolumeUnencrypted];
