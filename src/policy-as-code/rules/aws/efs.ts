/** EFS file systems: encryption at rest. */
import { get, mayBeOff } from '../../model.js';
import { tf } from '../aws-terraform.js';
import { hit, resourceRule } from '../define.js';

export const efsUnencrypted = resourceRule(
  {
    id: 'efs-unencrypted',
    title: 'EFS file system is not encrypted',
    severity: 'medium',
    description:
      'An EFS file system created without encryption stores its files and backups in clear text, and encryption cannot be turned on afterwards: the data has to be copied to a new file system.',
    fix: 'Set `Encrypted: true` (with a `KmsKeyId`) on `AWS::EFS::FileSystem` (CloudFormation), or `encrypted = true` on `aws_efs_file_system` (Terraform).',
    refs: {
      cfn_nag: ['F27'],
      checkov: ['CKV_AWS_42'],
      kics: ['2ff8e83c-90e1-4d68-a300-6d652112e622', '48207659-729f-4b5c-9402-f884257d794f'],
    },
  },
  {
    cloudformation: {
      types: ['AWS::EFS::FileSystem'],
      check(res, doc) {
        const encrypted = get(res.body, 'Encrypted');
        if (mayBeOff(encrypted, doc)) {
          return hit(
            encrypted?.pos ?? res.pos,
            `File system ${res.name} is not encrypted: set Encrypted: true.`,
          );
        }
      },
    },
    terraform: tf(['aws_efs_file_system'], (res, doc) => {
      const encrypted = get(res.body, 'encrypted');
      if (mayBeOff(encrypted, doc)) {
        return hit(
          encrypted?.pos ?? res.pos,
          `File system ${res.name} is not encrypted: set encrypted = true.`,
        );
      }
    }),
  },
);

export const EFS_RULES = [efsUnencrypted];
