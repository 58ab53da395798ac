/** RDS: storage encryption of instances and clusters, and public accessibility. */
import { entry, get, mayBeBool, mayBeOff, possible, toStr, UNKNOWN } from '../../model.js';
import type { Doc, Node } from '../../types.js';
import { hit, resourceRule } from '../define.js';

/** True when the property is certainly set (present in every possible value). */
function alwaysSet(node: Node | undefined, doc: Doc): boolean {
  return possible(node, doc).every((p) => p !== undefined);
}

export const rdsUnencrypted = resourceRule(
  {
    id: 'rds-unencrypted',
    title: 'RDS storage is not encrypted',
    severity: 'high',
    description:
      'An unencrypted database stores its data, automated backups, snapshots and read replicas in clear text, and encryption cannot be turned on later without a copy and a migration.',
    fix: 'Set `StorageEncrypted: true` (with a `KmsKeyId`) on `AWS::RDS::DBInstance` and `AWS::RDS::DBCluster` (CloudFormation), or `storage_encrypted = true` on `aws_db_instance` and `aws_rds_cluster` (Terraform).',
    refs: {
      cfn_nag: ['F26'],
      checkov: ['CKV_AWS_16', 'CKV_AWS_96'],
      kics: [
        '5beacce3-4020-4a3d-9e1d-a36f953df630',
        '65844ba3-03a1-40a8-b3dd-919f122e8c95',
        '08bd0760-8752-44e1-9779-7bb369b2b4e4',
        '3199c26c-7871-4cb3-99c2-10a59244ce7f',
      ],
    },
  },
  {
    cloudformation: [
      {
        types: ['AWS::RDS::DBInstance'],
        check(res, doc) {
          // Cluster members take the cluster's encryption; replicas and restores take their source's.
          for (const key of [
            'DBClusterIdentifier',
            'SourceDBInstanceIdentifier',
            'SourceDBClusterIdentifier',
            'DBSnapshotIdentifier',
            'SourceDBInstanceAutomatedBackupsArn',
          ]) {
            if (entry(res.body, key) && alwaysSet(get(res.body, key), doc)) return;
          }
          const encrypted = get(res.body, 'StorageEncrypted');
          if (mayBeOff(encrypted, doc)) {
            return hit(
              encrypted?.pos ?? res.pos,
              `DB instance ${res.name} is not encrypted: set StorageEncrypted: true.`,
            );
          }
        },
      },
      {
        types: ['AWS::RDS::DBCluster'],
        check(res, doc) {
          for (const key of ['SnapshotIdentifier', 'SourceDBClusterIdentifier']) {
            if (entry(res.body, key) && alwaysSet(get(res.body, key), doc)) return;
          }
          // Aurora Serverless v1 clusters are always encrypted.
          const mode = possible(get(res.body, 'EngineMode'), doc);
          if (mode.every((m) => m !== undefined && m !== UNKNOWN && toStr(m) === 'serverless')) return;
          const encrypted = get(res.body, 'StorageEncrypted');
          if (mayBeOff(encrypted, doc)) {
            return hit(
              encrypted?.pos ?? res.pos,
              `DB cluster ${res.name} is not encrypted: set StorageEncrypted: true.`,
            );
          }
        },
      },
    ],
  },
);

export const rdsPublic = resourceRule(
  {
    id: 'rds-public',
    title: 'RDS database is publicly accessible',
    severity: 'high',
    description:
      'A publicly accessible database gets an address that resolves and routes from the internet, so a single permissive security group rule exposes it to scanning and password guessing.',
    fix: 'Set `PubliclyAccessible: false` on `AWS::RDS::DBInstance` / `AWS::RDS::DBCluster` (CloudFormation) or `publicly_accessible = false` (Terraform), in private subnets, and reach it through the application tier, a VPN or Session Manager port forwarding.',
    refs: {
      cfn_nag: ['F22'],
      checkov: ['CKV_AWS_17'],
      kics: ['de38e1d5-54cb-4111-a868-6f7722695007', '35113e6f-2c6b-414d-beec-7a9482d3b2d1'],
    },
  },
  {
    cloudformation: {
      types: ['AWS::RDS::DBInstance', 'AWS::RDS::DBCluster'],
      check(res, doc) {
        const open = get(res.body, 'PubliclyAccessible');
        if (open && mayBeBool(open, doc, true)) {
          const kind = res.type === 'AWS::RDS::DBCluster' ? 'DB cluster' : 'DB instance';
          return hit(open.pos, `${kind} ${res.name} is publicly accessible: set PubliclyAccessible: false.`);
        }
      },
    },
  },
);

export const RDS_RULES = [rdsUnencrypted, rdsPublic];
